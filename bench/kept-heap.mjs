#!/usr/bin/env node
/**
 * The heap a lint keeps until its report: the text, the lazy parse (as the evaluator makes it) and
 * the evaluated config of a generated config (default 100k lines), measured after full garbage
 * collections. Garbage collection is about half of a large lint and copies each kept object about
 * twice, so this is the figure that drives lint and `dump` time and peak memory (README, "Large files").
 *   node --expose-gc bench/kept-heap.mjs [lines]      (uses dist/: run `npm run build` first)
 * LINT_DIST=/other/dist measures another build (link node_modules beside it if it is outside the repository).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";

if (typeof globalThis.gc !== "function") {
  console.error("bench/kept-heap.mjs: run it with node --expose-gc");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { parseConfig } = await import(path.join(dist, "src/parse/parse.js"));
const { evaluate } = await import(path.join(dist, "src/eval/evaluate.js"));

const lines = Number(process.argv[2] ?? 100000);
// Written and read back as the CLI reads a file (a buffer from fs: the figures differ by ~5 MB from
// a Buffer.from of the generated string).
const file = path.join(root, "bench/out/kept-heap.conf");
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, generateConfig(lines));
const bytes = fs.readFileSync(file);
const used = () => {
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

const before = used();
let parse;
const config = evaluate(file, {
  version: "1.4.69",
  readFile: (f) => (f === file ? bytes : undefined),
  cwd: "/tmp",
  env: {},
  pid: 1,
  parse: (_f, text, version) => (parse = parseConfig(text, { version, lazy: true })),
});
const all = used() - before;
// The same evaluation again over the kept parse: what the evaluated config alone adds (its own copy of the text included).
const again = evaluate(file, { version: "1.4.69", readFile: (f) => (f === file ? bytes : undefined), cwd: "/tmp", env: {}, pid: 1, parse: () => parse });
const evaluated = used() - before - all;
console.log(`${lines} lines, ${(bytes.length / 1e6).toFixed(1)} MB: text + lazy parse + evaluation keep ${mb(all)} (${(all / bytes.length).toFixed(1)}x the file)`);
console.log(`  of which the evaluation ~${mb(evaluated - bytes.length)} (a second evaluation of the same parse, less its copy of the text)`);
console.log(`  ${config.contexts.length} contexts${again.contexts.length === config.contexts.length ? "" : " (the second evaluation differs!)"}`);
