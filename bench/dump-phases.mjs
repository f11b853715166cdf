#!/usr/bin/env node
/**
 * What `dump` does in process, warm, on a generated config (default 100k lines): the lazy parse,
 * evaluate() with the parse supplied, the printer (writeDump), and the heap evaluate() retains.
 * Their sum against a whole `lighttpd -p` process is the floor README "Large files" explains.
 * Times are best of N, as wall and as this process's CPU time (steadier on a busy machine).
 *   node --expose-gc bench/dump-phases.mjs [lines] [runs]     (uses dist/: run `npm run build` first)
 * LINT_DIST=/other/dist compares another build; without --expose-gc the heap line is left out.
 */
import path from "node:path";
import v8 from "node:v8";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { parseConfig } = await import(path.join(dist, "src/parse/parse.js"));
const { decodeSource } = await import(path.join(dist, "src/parse/source.js"));
const { evaluate } = await import(path.join(dist, "src/eval/evaluate.js"));
const printer = await import(path.join(dist, "src/eval/dump.js"));
// Builds before writeDump had only dumpConfig (one string): the same measure, one chunk.
const writeDump = printer.writeDump ?? ((config, write) => write(printer.dumpConfig(config)));

const lines = Number(process.argv[2] ?? 100000);
const runs = Number(process.argv[3] ?? 5);
const bytes = Buffer.from(generateConfig(lines));
const file = path.join(root, "bench/out/dump-phases.conf");
// The text the evaluator decodes is the one parsed, as in a real run (so the heap is not counted twice).
const { text } = decodeSource(bytes);
// Lazy, as the evaluator parses a file itself (src/eval/evaluate.ts): the tree lint and `dump` make.
const parsed = parseConfig(text, { version: "1.4.69", lazy: true });
const options = { version: "1.4.69", readFile: (f) => (f === file ? bytes : undefined), cwd: "/tmp", env: {}, pid: 1, parse: () => parsed };

/** Best wall and CPU milliseconds of `runs` calls, and the last result. */
function best(fn) {
  let wall = Infinity;
  let cpu = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    result = fn();
    wall = Math.min(wall, performance.now() - t);
    const d = process.cpuUsage(c);
    cpu = Math.min(cpu, (d.user + d.system) / 1000);
  }
  return { wall, cpu, result };
}
const f = (n) => n.toFixed(0).padStart(6);

const parse = best(() => parseConfig(decodeSource(bytes).text, { version: "1.4.69", lazy: true }));
const ev = best(() => evaluate(file, options));
let bytesOut = 0;
const dump = best(() => {
  let chunks = 0;
  bytesOut = 0;
  writeDump(ev.result, (c) => {
    chunks++;
    bytesOut += c.length;
  });
  return chunks;
});
console.log(`${lines} lines, ${(bytes.length / 1e6).toFixed(1)} MB, best of ${runs} (wall / CPU)`);
console.log(`decode + lazy parse ${f(parse.wall)} / ${f(parse.cpu)} ms`);
console.log(`evaluate  ${f(ev.wall)} / ${f(ev.cpu)} ms (parse supplied)`);
console.log(`writeDump ${f(dump.wall)} / ${f(dump.cpu)} ms, ${dump.result} chunks, ${(bytesOut / 1e6).toFixed(1)} M characters`);
if (typeof globalThis.gc === "function") {
  const used = () => {
    globalThis.gc();
    return v8.getHeapStatistics().used_heap_size;
  };
  ev.result = undefined;
  const before = used();
  const kept = evaluate(file, options);
  const after = used();
  console.log(
    `evaluate retains ${((after - before) / 1e6).toFixed(1)} MB (${((after - before) / bytes.length).toFixed(1)}x the file; the tree is not counted), for ${kept.contexts.length} contexts`,
  );
}
