#!/usr/bin/env node
/**
 * In-process timing of the lint phases on a generated config (default 100k lines): parseConfig,
 * evaluate (parse included and without it), every rule, and the whole `lint()`. Best of N runs.
 *   node bench/lint-phases.mjs [lines] [runs]     (uses dist/: run `npm run build` first)
 * With `--cpu-prof` (node flag) it doubles as a profiling harness: `node --cpu-prof bench/lint-phases.mjs`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";
import { bestOf } from "./timing.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { parseConfig } = await import(path.join(dist, "src/parse/parse.js"));
const { evaluate } = await import(path.join(dist, "src/eval/evaluate.js"));
const { resolveSettings } = await import(path.join(dist, "src/engine/lint.js"));
const { lint } = await import(path.join(dist, "src/linter.js"));
const { rules } = await import(path.join(dist, "rules/index.js"));

const lines = Number(process.argv[2] ?? 100000);
const runs = Number(process.argv[3] ?? 3);
const text = generateConfig(lines);
const bytes = Buffer.from(text);
const file = path.join(root, "bench/out/phases.conf");
fs.mkdirSync(path.dirname(file), { recursive: true });
const readFile = (f) => (f === file ? bytes : undefined);
const version = "1.4.69";

const best = (fn) => bestOf(fn, runs);

const [parseMs] = best(() => parseConfig(text, { version }));
const [evalMs, config] = best(() => evaluate(file, { version, readFile, cwd: "/tmp", env: {} }));
const settings = resolveSettings({ lighttpdVersion: version });
const ruleTimes = [];
let rulesTotal = 0;
for (const rule of rules) {
  // A fresh evaluation per rule would be fairer for rule-shared caches; the first rule pays them.
  const [ms] = best(() => rule.check({ config, settings, report() {} }));
  ruleTimes.push([rule.meta.id, ms]);
  rulesTotal += ms;
}
const [lintMs, result] = best(() => lint(file, { project: { lighttpdVersion: version }, readFile, cwd: "/tmp", env: {} }));
const f = (n) => n.toFixed(0).padStart(6);
console.log(`${lines} lines, ${(bytes.length / 1e6).toFixed(1)} MB, best of ${runs}`);
console.log(`parse     ${f(parseMs)} ms`);
console.log(`evaluate  ${f(evalMs)} ms (parse included; without ≈ ${f(evalMs - parseMs)})`);
console.log(`rules     ${f(rulesTotal)} ms (warm, each rule on its own)`);
console.log(`lint()    ${f(lintMs)} ms, ${result.files.reduce((n, x) => n + x.diagnostics.length, 0)} diagnostics`);
ruleTimes.sort((a, b) => b[1] - a[1]);
for (const [id, ms] of ruleTimes.slice(0, Number(process.env.TOP ?? 15))) console.log(`  ${id.padEnd(32)} ${ms.toFixed(1).padStart(7)} ms`);
