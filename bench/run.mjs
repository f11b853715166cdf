#!/usr/bin/env node
/**
 * npm run bench: generated 1k / 10k / 100k-line configs; for each, lighttpd -p / -tt and
 * lighttpd-lint parse / lint as whole processes, in the same run, as ratios. Plus in-process parse
 * throughput, peak memory, a small file's whole-process lint time, and the LSP latency.
 * Absolute times on a shared 2-core machine are noisy: read the ratios.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bench", "out");
fs.mkdirSync(out, { recursive: true });
const cli = path.join(root, "bin", "lighttpd-lint.js");
const runs = Number(process.env.BENCH_RUNS ?? 5);

function have(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** Median wall time (ms) of a command, via hyperfine when installed. */
function time(cmd, args) {
  if (have("hyperfine")) {
    const json = path.join(out, "h.json");
    const line = [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    execFileSync("hyperfine", ["-N", "-i", "--warmup", "1", "--runs", String(runs), "--export-json", json, line], { stdio: "ignore" });
    return JSON.parse(fs.readFileSync(json, "utf8")).results[0].median * 1000;
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(cmd, args, { stdio: "ignore" });
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Peak resident memory (KiB) of a command. */
function peakRss(cmd, args) {
  if (!fs.existsSync("/usr/bin/time")) return NaN;
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  return Number(r.stderr.trim().split("\n").pop());
}

const lighttpd = have("lighttpd");
const rows = [];
const { parseConfig } = await import(path.join(root, "dist/src/parse/parse.js"));
for (const lines of [1000, 10000, 100000]) {
  const file = path.join(out, `large-${lines}.conf`);
  const text = generateConfig(lines);
  fs.writeFileSync(file, text);
  const bytes = Buffer.byteLength(text);
  // In-process parse throughput (best of 3, after a warm-up).
  parseConfig(text, { version: "1.4.69" });
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    parseConfig(text, { version: "1.4.69" });
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  const row = { lines: text.split("\n").length - 1, bytes, parseMs: best, mbs: bytes / 1e6 / (best / 1000) };
  row.lintParse = time("node", [cli, "parse", file, "--lighttpd-version", "1.4.69"]);
  row.lintAll = time("node", [cli, file, "--format", "json", "--lighttpd-version", "1.4.69", "--no-config"]);
  row.rssParse = peakRss("node", [cli, "parse", file, "--lighttpd-version", "1.4.69"]);
  row.rssLint = peakRss("node", [cli, file, "--format", "json", "--lighttpd-version", "1.4.69", "--no-config"]);
  if (lighttpd) {
    row.lp = time("lighttpd", ["-p", "-f", file]);
    row.ltt = time("lighttpd", ["-tt", "-f", file]);
  }
  rows.push(row);
  process.stderr.write(`bench: ${lines} lines done\n`);
}

const small = path.join(root, "examples", "good.conf");
const smallMs = fs.existsSync(small) ? time("node", [cli, small, "--no-config"]) : NaN;

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const lines = [];
lines.push(`lighttpd-lint benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} runs, median)`);
lines.push("");
lines.push("| lines | bytes | parse in-process ms | MB/s | `parse` process ms | `lighttpd -p` ms | ratio | whole lint ms | `lighttpd -tt` ms | ratio | peak RSS parse / lint MiB | RSS / file size |");
lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  lines.push(`| ${r.lines} | ${r.bytes} | ${f(r.parseMs)} | ${f(r.mbs)} | ${f(r.lintParse)} | ${f(r.lp)} | ${f(r.lintParse / r.lp, 2)}× | ${f(r.lintAll)} | ${f(r.ltt)} | ${f(r.lintAll / r.ltt, 2)}× | ${f(r.rssParse / 1024, 0)} / ${f(r.rssLint / 1024, 0)} | ${f((r.rssLint * 1024) / r.bytes, 1)}× |`);
}
lines.push("");
lines.push(`Small file (examples/good.conf), whole process \`lighttpd-lint\`: ${f(smallMs)} ms`);
const lsp = path.join(root, "bench", "lsp-latency.mjs");
if (fs.existsSync(lsp)) {
  const r = spawnSync("node", [lsp], { encoding: "utf8", timeout: 300_000 });
  lines.push(r.status === 0 ? r.stdout.trim() : `LSP latency: failed (${r.stderr.trim().split("\n").pop()})`);
}
console.log(lines.join("\n"));
