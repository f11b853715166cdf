/**
 * The oracle tier for every release (issue 14): for each lighttpd release built by
 * tools/build-lighttpd.sh, with `--lighttpd-version` set to that release,
 *  - accept/reject: where that release's `lighttpd -p` refuses a file, lighttpd-lint reports an
 *    error; where it accepts, lighttpd-lint reports none of the errors that mean "refused";
 *  - dump: `dumpConfig(evaluate(...))` equals that release's `lighttpd -p` byte for byte;
 * over the corpus, the oracle cases, generated valid configs (using the syntax the release knows)
 * and damaged configs (using every release's syntax). A release that is not built is skipped with
 * the reason (a failure under REQUIRE_LIGHTTPD=1). Counts: ORACLE_RUNS (default 40 per release).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { lint } from "../../src/linter.js";
import { rules } from "../../rules/index.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { dumpConfig } from "../../src/eval/dump.js";
import type { EvaluatedConfig } from "../../src/eval/model.js";
import { atLeast } from "../../src/util/version.js";
import { refusedOnLoad } from "../../src/ast/diagnostics.js";
import { corpusDir, sharedDir, describeWithOracle, listSharedFiles, oracleBinaries, oracleCasesDir, runOracle } from "../helpers/lighttpd.js";

const RUNS = Number(process.env.ORACLE_RUNS ?? 25);

/**
 * Known disagreements, by file name, with the cause. `-p` refuses these for reasons checked by rules
 * that look at values, not by the evaluator (see test/dump-oracle.test.ts).
 */
const EXCEPTIONS: Record<string, string> = {};

const files = [
  ...listSharedFiles(oracleCasesDir).filter((f) => f.endsWith(".conf")),
  ...listSharedFiles(path.join(corpusDir, "upstream")),
  ...listSharedFiles(path.join(corpusDir, "wild")),
]
  .filter((f) => !fs.readFileSync(f, "latin1").includes("include_shell"))
  .map((f) => fs.realpathSync(f));

// Real paths: lighttpd's var.CWD is getcwd(), which resolves symbolic links (../shared is one).
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-oracle-")));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function parseErrors(config: EvaluatedConfig): number {
  let n = config.diagnostics.filter((d) => d.severity === "error").length;
  for (const f of config.files.values()) n += f.parse.problems.length;
  return n;
}

export interface Verdict {
  file: string;
  problem?: string;
  accepted: boolean;
}

// The rules whose findings can mean "lighttpd -p refuses this" (RuleMeta.effect / refusedAt).
const rejectingRules = rules.filter((r) => r.meta.effect === "refused" || r.meta.refusedAt !== undefined);

/** The errors of the rules that mean "lighttpd refuses this", on an evaluated config (cheaper than a whole lint). */
function refusingErrors(config: EvaluatedConfig, version: string): string[] {
  const out: string[] = [];
  const settings = { lighttpdVersion: version, socketDir: "/run/lighttpd", checkFs: false, root: "/" };
  for (const rule of rejectingRules) {
    rule.check({
      config,
      settings,
      report: (r) => {
        const effect = r.effect ?? rule.meta.effect;
        const refusedAt = r.refusedAt ?? rule.meta.refusedAt ?? "load";
        if ((r.severity ?? rule.meta.severity) === "error" && refusedOnLoad({ effect, refusedAt })) out.push(`${rule.meta.id}: ${r.message}`);
      },
    });
  }
  return out;
}

/** One file against one release: the problem when lighttpd-lint and the release disagree. */
export function disagreement(bin: string, version: string, file: string, cwd = fs.realpathSync(path.dirname(file))): Verdict {
  const r = runOracle(bin, "-p", file, cwd);
  const accepted = r.status === 0;
  if (r.status !== 0 && r.status !== 255 && r.status !== 1) return { file, accepted }; // crashed (signal): no verdict
  const config = evaluate(file, { version, cwd, pid: r.pid });
  if (!accepted) {
    if (parseErrors(config) > 0) return { file, accepted };
    const errors = lint(file, { cwd, env: {}, project: { lighttpdVersion: version, rules: {} } })
      .files.flatMap((f) => f.diagnostics)
      .filter((d) => d.severity === "error");
    if (errors.length > 0) return { file, accepted };
    return { file, accepted, problem: `lighttpd ${version} refuses it (${r.stderr.trim().split("\n").pop()}), lighttpd-lint reports no error` };
  }
  const rejecting = refusingErrors(config, version);
  if (rejecting.length > 0) return { file, accepted, problem: `lighttpd ${version} accepts it, lighttpd-lint says ${rejecting[0]}` };
  const ours = dumpConfig(config);
  if (Buffer.compare(Buffer.from(ours, "utf8"), r.out) !== 0)
    return { file, accepted, problem: `dump differs from lighttpd ${version} -p:\n${firstDifference(ours, r.out.toString("utf8"))}` };
  return { file, accepted };
}

function firstDifference(a: string, b: string): string {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `line ${i + 1}: ours ${JSON.stringify(x[i])}, lighttpd ${JSON.stringify(y[i])}`;
  return "(same lines, different bytes)";
}

// ---------------------------------------------------------------------------------------------
// Generated configs: the syntax each release knows (valid), and everything damaged.

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);
const text = fc.stringMatching(/^[a-zA-Z0-9 /._-]{0,10}$/);
const str = text.map((t) => `"${t}"`);
const strList = fc.array(str, { maxLength: 7 }).map((a) => `(${a.join(", ")})`);
const keyedList = fc.uniqueArray(fc.tuple(word, str), { maxLength: 7, selector: ([k]) => k }).map((a) => `(${a.map(([k, v]) => `"${k}" => ${v}`).join(", ")})`);
const anyValue = fc.oneof(str, fc.integer({ min: 0, max: 99999 }).map(String), strList, keyedList);
/** Assignments lighttpd accepts: var.* of any type, and server keys with values of their type. */
const assign = fc.oneof(
  fc.tuple(word, fc.constantFrom("=", ":="), anyValue).map(([k, o, v]) => `var.${k} ${o} ${v}`),
  fc.tuple(fc.constantFrom("server.tag", "server.name"), str).map(([k, v]) => `${k} := ${v}`),
  fc.integer({ min: 0, max: 65535 }).map((n) => `server.max-keep-alive-requests := ${n}`),
  fc.tuple(fc.constantFrom("=", "+="), strList).map(([o, v]) => `index-file.names ${o} ${v}`),
  fc.tuple(fc.constantFrom(":=", "+="), keyedList).map(([o, v]) => `setenv.add-request-header ${o} ${v}`),
);

/** Valid configs in the syntax `version` knows: its operators and else spellings. */
function validConfig(version: string): fc.Arbitrary<string> {
  const prefixSuffix = atLeast(version, "1.4.65");
  const elseSpellings = ["else", ...(atLeast(version, "1.4.74") ? ["elif", "elsif", "elseif", "else if"] : [])];
  const ifWord = atLeast(version, "1.4.74") ? ["", "if "] : [""];
  const regex = fc.constantFrom('"^/a"', '"\\.php$"', '"^/x$"', '"^/a.b"', '"a|b"', '"^www"', '"^/d/"', '"\\.(js|css)$"');
  const cond = fc.oneof(
    fc
      .tuple(fc.constantFrom('$HTTP["url"]', '$REQUEST_HEADER["X-A"]', '$HTTP["querystring"]', '$HTTP["useragent"]'), fc.constantFrom("=~", "!~"), regex)
      .map(([f, o, v]) => `${f} ${o} ${v}`),
    fc
      .tuple(
        fc.constantFrom('$HTTP["url"]', '$HTTP["host"]', '$REQUEST_HEADER["X-A"]', '$HTTP["scheme"]'),
        fc.constantFrom("==", "!=", ...(prefixSuffix ? ["=^", "=$"] : [])),
        fc.stringMatching(/^[a-z0-9.]{1,8}$/),
      )
      .map(([f, o, v]) => `${f} ${o} "${v}"`),
  );
  const block: fc.Memo<string> = fc.memo((d) => {
    const body = fc.array(d > 1 ? fc.oneof(assign, assign, block(d - 1)) : assign, { maxLength: 3 }).map((l) => l.join("\n"));
    return fc
      .tuple(fc.constantFrom(...ifWord), cond, body, fc.array(fc.tuple(fc.constantFrom(...elseSpellings), cond, body), { maxLength: 2 }), fc.option(body))
      .map(([w, c, b, elses, last]) => {
        let s = `${w}${c} {\n${b}\n}`;
        for (const [e, ec, eb] of elses) s += ` ${e} ${ec} {\n${eb}\n}`;
        if (last !== null) s += ` else {\n${last}\n}`;
        return s;
      });
  });
  return fc.array(fc.oneof(assign, assign, block(3)), { minLength: 1, maxLength: 6 }).map((l) => `server.document-root = "/tmp"\n${l.join("\n")}\n`);
}

const damageVocabulary = ["if ", "elif ", "else if ", "else ", "=^", "=$", ":=", "+=", "(", ")", "{", "}", '"', "=>", ",", "$", "#", "\n", "global {", "+"];
function damagedConfig(): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.constantFrom(...damageVocabulary, ""));
  return fc.tuple(validConfig("1.4.85"), fc.array(edit, { minLength: 1, maxLength: 2 })).map(([text, edits]) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const p = t.length ? at % t.length : 0;
      t = t.slice(0, p) + ins + t.slice(p + del);
    }
    return t;
  });
}

function runGenerated(bin: string, version: string, arb: fc.Arbitrary<string>, label: string): void {
  const file = path.join(tmp, `${version}-${label}.conf`);
  const seen = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(arb, (text) => {
      fs.writeFileSync(file, text);
      const d = disagreement(bin, version, file, tmp);
      expect(d.problem, text).toBeUndefined();
      seen[d.accepted ? "accepted" : "refused"]++;
      if (process.env.ORACLE_DEBUG && !d.accepted) console.log(`refused by ${version}:\n${text}\n${runOracle(bin, "-p", file, tmp).stderr}`);
    }),
    { numRuns: RUNS, seed: Number(process.env.ORACLE_SEED ?? Date.now() % 100000) },
  );
  console.log(`lighttpd ${version} ${label}: ${seen.accepted} accepted, ${seen.refused} refused, all agree`);
}

const only = process.env.ORACLE_VERSIONS?.split(/[ ,]+/).filter(Boolean);
/**
 * Per-run cost: every oracle case for every release; of the corpus, each release takes every third
 * file (a different third for neighbouring releases), so each corpus file meets three releases per
 * run. ORACLE_FULL=1 runs the whole corpus against every release (for measuring, see docs/versions.md).
 */
const full = process.env.ORACLE_FULL === "1";
function filesFor(index: number): string[] {
  return files.filter((f, i) => full || !f.includes(`${path.sep}corpus${path.sep}`) || i % 3 === index % 3);
}

for (const [index, oracle] of oracleBinaries().entries()) {
  if (only && !only.includes(oracle.version)) continue;
  describeWithOracle(oracle, "oracle tier", (bin) => {
    const version = oracle.version;
    it("agrees on the corpus and the oracle cases (accept/reject and dump)", () => {
      expect(files.length).toBeGreaterThan(150);
      const mine = filesFor(index);
      const problems: string[] = [];
      let accepted = 0;
      for (const file of mine) {
        const name = path.basename(file);
        if (EXCEPTIONS[name]) continue;
        const d = disagreement(bin, version, file);
        if (d.accepted) accepted++;
        if (d.problem) problems.push(`${path.relative(fs.realpathSync(sharedDir), file)}: ${d.problem}`);
      }
      console.log(`lighttpd ${version}: ${mine.length} corpus/case files, ${accepted} accepted, ${problems.length} disagreements`);
      expect(problems).toEqual([]);
    }, 600_000);

    it(`agrees on ${RUNS} generated valid configs`, () => runGenerated(bin, version, validConfig(version), "valid"), 600_000);
    it(`agrees on ${RUNS} damaged configs`, () => runGenerated(bin, version, damagedConfig(), "damaged"), 600_000);
  });
}
