/**
 * Property test against the real lighttpd: random configs made of assignments (strings, integers,
 * lists, `+`, `+=`, `:=`, variables), nested conditions and else chains. Whenever lighttpd -p
 * accepts one, our dump must equal its output byte for byte and we must report no error; whenever
 * it refuses one, we must report an error.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { evaluate } from "../../src/eval/evaluate.js";
import { dumpConfig } from "../../src/eval/dump.js";
import { describeWithLighttpd, lighttpdBin } from "../helpers/lighttpd.js";
import { severityOf } from "../helpers/severity.js";

// Typed pools keep most generated configs valid: scalar keys receive strings/integers, list keys
// receive lists, and a prelude defines the variables values may read. A few operators and names
// are chosen so that some configs are refused (duplicate "=", undefined names, clashing keys).
const PRELUDE = 'var.a = "s"\nvar.b = 1\nvar.l = ("p", "q")\nvar.h = ("k" => "v")\n';
const SCALAR_KEYS = ["x", "y", "my.key", "Var.X"];
const LIST_KEYS = ["my.list", "z", "Z"];

const stringLiteral = fc.stringMatching(/^[a-zA-Z0-9 /.\-_"^$]{0,8}$/).map((s) => `"${s.replace(/"/g, '\\"')}"`);
const integerLiteral = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("0080", "2147483647", "2147483648", "4294967296"));
const scalar = fc.oneof(
  { weight: 40, arbitrary: stringLiteral },
  { weight: 20, arbitrary: integerLiteral },
  { weight: 20, arbitrary: fc.constantFrom("var.a", "var.b", "a", "var.CWD", "var.PID") },
  { weight: 1, arbitrary: fc.constantFrom("x", "y", "my.key") },
);

const listLiteral: fc.Arbitrary<string> = fc.letrec<{ list: string }>((tie) => ({
  list: fc.oneof(
    { weight: 3, arbitrary: fc.array(scalar, { maxLength: 7 }).map((items) => `(${items.join(", ")})`) },
    {
      weight: 2,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.constantFrom('"k"', '"j"', '"x"', "1", '"K"', '"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"'),
            fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: tie("list") }),
          ),
          { maxLength: 3 },
        )
        .map((pairs) => `(${pairs.map(([k, v]) => `${k} => ${v}`).join(",\n  ")})`),
    },
  ),
})).list;

const join = (ops: string[]) => ops.join(" + ");
const scalarExpression = fc.array(scalar, { minLength: 1, maxLength: 3 }).map(join);
const listExpression = fc
  .array(fc.oneof({ weight: 3, arbitrary: listLiteral }, { weight: 1, arbitrary: fc.constantFrom("var.l", "var.h") }), { minLength: 1, maxLength: 3 })
  .map(join);
const operator = fc.oneof({ weight: 3, arbitrary: fc.constant(":=") }, { weight: 3, arbitrary: fc.constant("+=") }, { weight: 1, arbitrary: fc.constant("=") });

const assignment = fc
  .oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...SCALAR_KEYS), operator, scalarExpression) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...LIST_KEYS), operator, listExpression) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SCALAR_KEYS, ...LIST_KEYS), operator, fc.oneof(scalarExpression, listExpression)) },
  )
  .map(([k, op, e]) => `${k} ${op} ${e}`);

const conditionHead = fc
  .tuple(
    fc.constantFrom('$HTTP["url"]', '$HTTP["host"]', '$HTTP["useragent"]', '$REQUEST_HEADER["X-A"]', '$SERVER["socket"]'),
    fc.constantFrom("==", "!=", "=~", "!~", "=^", "=$"),
    fc.constantFrom('"/a"', '"^/a"', '"^/A"', '"\\.php$"', '"^/x$"', '"^/b.*"', '"a.example"', '":80"', "var.a", '"/a" + "b"'),
  )
  .map(([f, op, v]) => `${f} ${op} ${v}`);

const block: fc.Arbitrary<string> = fc.letrec<{ statements: string; chain: string }>((tie) => ({
  statements: fc.array(fc.oneof({ weight: 4, arbitrary: assignment }, { weight: 1, arbitrary: tie("chain") }), { maxLength: 4 }).map((s) => s.join("\n")),
  chain: fc
    .tuple(conditionHead, tie("statements"), fc.array(fc.tuple(fc.option(conditionHead, { nil: undefined }), tie("statements")), { maxLength: 2 }))
    .map(([head, body, elses]) => {
      let text = `${head} {\n${body}\n}`;
      for (const [cond, b] of elses) text += cond ? ` else ${cond} {\n${b}\n}` : ` else {\n${b}\n}`;
      return text;
    }),
})).statements;

const config = fc
  .array(fc.oneof({ weight: 3, arbitrary: assignment }, { weight: 2, arbitrary: block }), { minLength: 1, maxLength: 8 })
  .map((parts) => `${PRELUDE}${parts.join("\n")}\n`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-dump-prop-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let crashes = 0;

/**
 * lighttpd -p on one file. lighttpd 1.4.69 sometimes dies of heap corruption ("corrupted size vs.
 * prev_size in fastbins", SIGABRT) on configs that merge lists; whether it does depends on the heap
 * layout (the same file passes in another directory). Such runs are retried and, if lighttpd keeps
 * crashing, not compared.
 */
function runOracle(file: string): SpawnSyncReturns<Buffer> | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = spawnSync(lighttpdBin, ["-p", "-f", file], { cwd: dir, encoding: "buffer", timeout: 10_000, input: "" });
    if (r.signal === null && (r.status === 0 || r.status === 255)) return r;
    crashes++;
  }
  return undefined;
}

/** "A few thousand generated configs per CI run"; DUMP_PROPERTY_RUNS changes it for local runs. */
const RUNS = Number(process.env.DUMP_PROPERTY_RUNS ?? 2000);

describeWithLighttpd("dumpConfig against lighttpd -p on random configs", () => {
  it(`agrees on ${RUNS} generated configs`, () => {
    let accepted = 0;
    let refused = 0;
    const file = path.join(dir, "random.conf");
    fc.assert(
      fc.property(config, (text) => {
        fs.writeFileSync(file, text);
        const r = runOracle(file);
        if (!r) return; // lighttpd itself crashed three times (see runOracle)
        const result = evaluate(file, { version: "1.4.69", cwd: dir, pid: r.pid, env: {} });
        const ourErrors = result.diagnostics.filter((d) => severityOf(d) === "error").length + [...result.files.values()].reduce((n, f) => n + f.parse.problems.length, 0);
        if (r.status === 0) {
          accepted++;
          expect(ourErrors, `no error expected; we said: ${result.diagnostics.map((d) => d.message).join(" | ")}`).toBe(0);
          expect(dumpConfig(result)).toBe(r.stdout.toString("utf8"));
        } else {
          refused++;
          expect(ourErrors, `lighttpd refused it: ${r.stderr.toString("utf8")}`).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must produce both kinds, and mostly configs lighttpd accepts.
    console.log(`random configs: ${accepted} accepted, ${refused} refused, ${crashes} lighttpd crashes retried`);
    expect(accepted).toBeGreaterThan(RUNS / 5);
    expect(refused).toBeGreaterThan(RUNS / 50);
  }, 600_000);
});
