#!/usr/bin/env node
/**
 * One cold `lint()` of a file (default: the generated 100k-line config), for profiling:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/lint-once.mjs [file] && node bench/prof-summary.mjs /tmp/prof/*.cpuprofile
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { lint } = await import(path.join(dist, "src/linter.js"));
let file = process.argv[2];
if (!file) {
  file = path.join(root, "bench/out/large-100000.conf");
  if (!fs.existsSync(file)) fs.writeFileSync(file, generateConfig(100000));
}
const t = performance.now();
const result = lint(path.resolve(file), { project: { lighttpdVersion: "1.4.69" } });
const ms = performance.now() - t;
console.log(`lint ${ms.toFixed(0)} ms, ${result.files.reduce((n, f) => n + f.diagnostics.length, 0)} diagnostics`);
