#!/usr/bin/env node
/**
 * In-process timing of the parse phases on a generated config (default 100k lines, ~5 MB):
 * tokenizer, chevrotain parser, whole parseConfig, and the `parse` command's JSON output.
 * `node bench/parse-phases.mjs [lines]`. Uses dist/ (run `npx tsc -p tsconfig.json` first).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";
import { bestOf } from "./timing.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const t0 = performance.now();
const { parseConfig } = await import(path.join(root, "dist/src/parse/parse.js"));
const { tokenize } = await import(path.join(root, "dist/grammar/tokenizer.js"));
const { parseTokens } = await import(path.join(root, "dist/grammar/parser.js"));
const { writeParseJson } = await import(path.join(root, "dist/src/ast/json.js"));
const importMs = performance.now() - t0;

const text = generateConfig(Number(process.argv[2] ?? 100000));
const mb = Buffer.byteLength(text) / 1e6;
const best = bestOf;
const tFirst = performance.now();
parseConfig(text, { version: "1.4.69" });
const firstMs = performance.now() - tFirst;
const [tokMs, toks] = best(() => tokenize(text, "1.4.69"));
const [parseMs] = best(() => parseTokens(toks.tokens));
const [allMs, parsed] = best(() => parseConfig(text, { version: "1.4.69" }));
// The `parse` command's output, written to a sink that only counts (no I/O).
const [jsonMs, jsonBytes] = best(() => {
  let bytes = 0;
  writeParseJson({ file: "x.conf", version: parsed.version, text, tree: parsed.tree, problems: parsed.problems }, (chunk) => { bytes += Buffer.byteLength(chunk); });
  return bytes;
}, 1);
const f = (n) => n.toFixed(0).padStart(6);
console.log(`${mb.toFixed(1)} MB, ${toks.all.length} tokens (${toks.tokens.length} significant)`);
console.log(`import    ${f(importMs)} ms`);
console.log(`first     ${f(firstMs)} ms (cold parseConfig)`);
console.log(`tokenize  ${f(tokMs)} ms`);
console.log(`parse     ${f(parseMs)} ms (parser, significant tokens)`);
console.log(`total     ${f(allMs)} ms = ${(mb / (allMs / 1000)).toFixed(1)} MB/s (parseConfig)`);
console.log(`json      ${f(jsonMs)} ms, ${(jsonBytes / 1e6).toFixed(0)} MB (parse command output)`);
// (The heap holds several parses here: it is not the memory of one `parse` process.)
