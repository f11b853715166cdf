/**
 * A fix never makes lighttpd refuse a config it accepted (issue 12). Configs from the shared corpus
 * and the fixtures get pitfalls injected (dropped commas, `->`, `else if`, stray `;`, a dropped
 * module, key typos, alias slashes, check-local, a dangling `+`) by a seeded generator; each is run
 * through the real `lighttpd -tt` (as user nobody, like test/fixtures.test.ts) before and after
 * `--fix` (fixConfig, the code the CLI runs). A regression: accepted before, refused after.
 *
 * FIX_DIFF_RUNS (default 300) configs per run, FIX_DIFF_SEED (default 12) picks them; the numbers
 * are printed (FIX_DIFF_VERBOSE=1 also lists every regression's diff).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { fixConfig } from "../../src/fix/fix-files.js";
import { corpusDir, describeWithLighttpd, lighttpdVersion, listSharedFiles, repoRoot, runLighttpd } from "../helpers/lighttpd.js";

const RUNS = Number(process.env.FIX_DIFF_RUNS ?? 300);
const SEED = Number(process.env.FIX_DIFF_SEED ?? 12);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: T[]): T => xs[Math.floor(r() * xs.length)];

/** Replaces one (random) match of `re` (global) by `to(match)`; undefined when nothing matches. */
function replaceOne(text: string, re: RegExp, r: Rand, to: (m: RegExpExecArray) => string): string | undefined {
  const all = [...text.matchAll(re)];
  if (all.length === 0) return undefined;
  const m = pick(r, all) as RegExpExecArray;
  return text.slice(0, m.index) + to(m) + text.slice(m.index + m[0].length);
}

/** The pitfalls users write (docs/…/lighttpd-pitfalls.md), each as a text mutation. */
export const PITFALLS: Record<string, (t: string, r: Rand) => string | undefined> = {
  "dropped comma": (t, r) => replaceOne(t, /"\s*,(\s*)"/g, r, (m) => `"${m[1] || " "}"`),
  arrow: (t, r) => replaceOne(t, /=>/g, r, () => "->"),
  "else if": (t, r) => replaceOne(t, /\}\s*else\s*\$/g, r, (m) => m[0].replace(/else\s*\$/, "else if $")),
  "elseif after block": (t, r) => replaceOne(t, /\}\n(\s*)else\s*\$/g, r, (m) => `}\n${m[1]}elseif $`),
  "stray semicolon": (t, r) => replaceOne(t, /^([ \t]*[a-z][\w.-]*\s*\+?=\s*("[^"\n]*"|\d+))[ \t]*$/gm, r, (m) => `${m[1]};`),
  "dropped module": (t, r) => replaceOne(t, /"mod_[a-z0-9_]+"\s*,?\s*/g, r, () => ""),
  "key typo": (t, r) =>
    replaceOne(t, /"(max-procs|check-local|bin-path|bin-environment|fix-root-scriptname|broken-scriptfilename|x-sendfile)"/g, r, (m) => `"${m[1].replace(/-/g, "_")}"`),
  "alias slash": (t, r) => replaceOne(t, /("\/[^"\n]*?)\/?("\s*=>\s*"\/[^"\n]*?)(\/?)"/g, r, (m) => `${m[1]}/${m[2]}"`),
  "check-local": (t, r) => replaceOne(t, /"socket"\s*=>\s*"[^"\n]*"/g, r, (m) => `${m[0]}, "check-local" => "enable"`),
  "dangling plus": (t, r) => replaceOne(t, /^([ \t]*[a-z][\w.-]*\s*=\s*"[^"\n]*")[ \t]*\n/gm, r, (m) => `${m[1]} +\n`),
  "backend in tmp": (t, r) => replaceOne(t, /"socket"\s*=>\s*"\/[^"\n]*\/([^"/\n]+)"/g, r, (m) => `"socket" => "/tmp/${m[1]}"`),
};

function inputs(): string[] {
  const fixtures = path.join(repoRoot, "fixtures");
  const ownFixtures = fs
    .readdirSync(fixtures, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".conf") && !d.name.endsWith(".fixed.conf"))
    .map((d) => path.join(d.parentPath, d.name));
  const corpus = listSharedFiles(corpusDir).filter((f) => !/\.(md|tsv)$/.test(f));
  return [...corpus, ...ownFixtures.sort()];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-fixdiff-"));
fs.chmodSync(work, 0o755);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Tally {
  generated: number;
  acceptedBefore: number;
  changedByFix: number;
  regressions: { seed: number; base: string; pitfalls: string[]; before: string; after: string; lighttpd: string }[];
  byPitfall: Record<string, number>;
}

describeWithLighttpd("--fix never makes lighttpd -tt refuse a config it accepted (injected pitfalls)", () => {
  it(`${RUNS} generated configs, seed ${SEED}: zero regressions`, () => {
    const files = inputs();
    expect(files.length).toBeGreaterThan(20);
    const tally: Tally = { generated: 0, acceptedBefore: 0, changedByFix: 0, regressions: [], byPitfall: {} };
    const deadline = Date.now() + Number(process.env.FIX_DIFF_BUDGET_MS ?? 1_500_000);
    for (let i = 0; i < RUNS && Date.now() < deadline; i++) {
      const seed = SEED * 100_003 + i;
      const r = prng(seed);
      const base = pick(r, files);
      let text: string;
      try {
        text = fs.readFileSync(base, "latin1");
      } catch {
        continue;
      }
      if (text.includes("include_shell") || text.length > 200_000) continue;
      // conf.d fragments: give them what a main config has, so that lighttpd can accept them
      if (!/server\.document-root/.test(text)) text = `server.document-root = "/tmp"\n` + text;
      const applied: string[] = [];
      const wanted = 1 + Math.floor(r() * 3);
      for (let k = 0; k < 8 && applied.length < wanted; k++) {
        const name = pick(r, Object.keys(PITFALLS));
        const next = PITFALLS[name](text, r);
        if (next !== undefined && next !== text) {
          text = next;
          applied.push(name);
        }
      }
      tally.generated++;
      const dir = path.join(work, `c${i}`);
      fs.mkdirSync(dir, { mode: 0o755 });
      const conf = path.join(dir, "lighttpd.conf");
      fs.writeFileSync(conf, text, { encoding: "latin1", mode: 0o644 });
      fs.chmodSync(conf, 0o644);
      const before = runLighttpd("-tt", conf, { asUser: "nobody" });
      if (before.status !== 0) continue;
      tally.acceptedBefore++;
      const fixed = fixConfig(conf, { project: { lighttpdVersion: lighttpdVersion ?? "1.4.69", rules: {} } });
      const main = fixed.changed.find((c) => path.resolve(c.path) === conf);
      if (!main) continue;
      tally.changedByFix++;
      for (const p of applied) tally.byPitfall[p] = (tally.byPitfall[p] ?? 0) + 1;
      const fixedConf = path.join(dir, "fixed.conf");
      fs.writeFileSync(fixedConf, Buffer.from(main.fixed, main.encoding), { mode: 0o644 });
      fs.chmodSync(fixedConf, 0o644);
      const after = runLighttpd("-tt", fixedConf, { asUser: "nobody" });
      if (after.status !== 0)
        tally.regressions.push({
          seed,
          base: path.relative(repoRoot, base),
          pitfalls: applied,
          before: text,
          after: main.fixed,
          lighttpd: after.stderr.trim().split("\n").slice(-3).join(" | "),
        });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const summary = `[fix-differential] seed ${SEED}: ${tally.generated} configs generated, ${tally.acceptedBefore} accepted by lighttpd -tt before, ${tally.changedByFix} changed by --fix, ${tally.regressions.length} refused after the fix; pitfalls in fixed configs: ${JSON.stringify(tally.byPitfall)}`;
    console.log(summary);
    for (const g of tally.regressions) {
      console.log(`[fix-differential] REGRESSION seed=${g.seed} base=${g.base} pitfalls=${g.pitfalls.join(",")}: ${g.lighttpd}`);
      if (process.env.FIX_DIFF_VERBOSE === "1") console.log(`--- before\n${g.before}\n--- after\n${g.after}`);
    }
    expect(tally.acceptedBefore).toBeGreaterThan(0);
    expect(tally.changedByFix).toBeGreaterThan(0);
    expect(tally.regressions.map((g) => `${g.seed} ${g.base} [${g.pitfalls.join(", ")}]: ${g.lighttpd}`)).toEqual([]);
  }, 1_800_000);
});
