#!/usr/bin/env node
/**
 * npm run bench: the table of issue 20, measured in one run on generated 1k / 10k / 100k-line
 * configs (bench/generate.mjs, the shape of ../shared/reference/oracle/gen-large.py):
 *
 * - lint (whole process, `--format json --no-config`) vs `lighttpd -tt -f`;
 * - `lighttpd-lint dump` vs `lighttpd -p -f`, and whether both print the same;
 * - the lint process's peak RSS / the file's size;
 * - a config with the guides' mistakes in each of 1,250 vhosts (bench/generate.mjs
 *   generateFindingsConfig): lint, and `--diff` (the whole --fix loop, nothing written), vs `lighttpd -tt`;
 * - a small config (examples/good.conf, as a user runs it) vs a bare `node -e 0`;
 * - the language server's didChange → publishDiagnostics latency on 10k lines (bench/lsp-latency.mjs).
 *
 * Times are paired (bench/paired.mjs): A and B run alternately, and a ratio is the median of the
 * per-pair ratios, so that the shared machine's noise mostly cancels. Absolute times are noisy.
 *
 * Environment: BENCH_RUNS (pairs per figure, default 5; the small config takes at least 15),
 * BENCH_SIZES (comma-separated line counts, default 1000,10000,100000), LIGHTTPD_BIN (default: the
 * installed lighttpd, as lighttpd-lint finds it), BENCH_FINDINGS_VHOSTS (default 1250; lighttpd 1.4
 * refuses more than 4,095 condition blocks).
 * `--readme` also writes the table into README.md between `<!-- bench-table -->` and `<!-- /bench-table -->`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig, generateFindingsConfig } from "./generate.mjs";
import { paired } from "./paired.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bench", "out");
const cli = path.join(root, "bin", "lighttpd-lint.js");
const node = process.execPath;

const runs = Number(process.env.BENCH_RUNS ?? 5);
// Other work on the machine shows in every absolute time (less in the paired ratios): say how much there was.
const loadAtStart = os.loadavg()[0];
const sizes = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map((s) => Number(s.trim()));
if (!(Number.isInteger(runs) && runs > 0) || !sizes.every((n) => Number.isInteger(n) && n > 0 && n <= 1_000_000)) {
  console.error("bench: BENCH_RUNS must be a positive whole number, BENCH_SIZES whole line counts up to 1000000, comma-separated");
  process.exit(2);
}

/** Goals of issue 20, one place: a ratio (or ms for the LSP) at most this. */
const GOALS = { lint: 1.0, dump: 1.0, rss: 20, small: 1.5, lspMs: 15 };

const { installedBinary } = await import(path.join(root, "dist/src/util/version.js"));
const lighttpd = process.env.LIGHTTPD_BIN || installedBinary();
const run = (cmd, args) => spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 30, timeout: 600_000 });
const lighttpdVersion = lighttpd ? /lighttpd\/(\d+\.\d+\.\d+)/.exec(run(lighttpd, ["-v"]).stdout ?? "")?.[1] : undefined;
// Both sides read the same language: lint for the release that is being timed against.
const versionArgs = ["--lighttpd-version", lighttpdVersion ?? "1.4.69"];

/** Peak resident memory (KiB) of one run, from /usr/bin/time (GNU time); NaN without it. */
function peakRssKiB(cmd, args) {
  if (!fs.existsSync("/usr/bin/time")) return NaN;
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], timeout: 600_000 });
  return Number(r.stderr.trim().split("\n").pop());
}

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const ms = (n) => (Number.isFinite(n) ? `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} ms` : "n/a");
const verdict = (value, goal) => (Number.isFinite(value) ? (value <= goal ? "met" : "not met") : "n/a");

/** A paired figure without a lighttpd to pair with. */
const NOT_MEASURED = { ratio: NaN, aMs: NaN, bMs: NaN };

fs.mkdirSync(out, { recursive: true });
const rows = [];
for (const lines of sizes) {
  const file = path.join(out, `large-${lines}.conf`);
  const text = generateConfig(lines);
  fs.writeFileSync(file, text);
  const size = { lines: text.split("\n").length - 1, bytes: Buffer.byteLength(text) };
  const lintCmd = [node, [cli, file, "--format", "json", "--no-config", ...versionArgs]];
  const dumpCmd = [node, [cli, "dump", file, ...versionArgs]];
  const lint = lighttpd ? paired([lighttpd, ["-tt", "-f", file]], lintCmd, runs) : NOT_MEASURED;
  const dump = lighttpd ? paired([lighttpd, ["-p", "-f", file]], dumpCmd, runs) : NOT_MEASURED;
  let same = "n/a";
  if (lighttpd) {
    const [a, b] = [run(lighttpd, ["-p", "-f", file]), run(...dumpCmd)];
    // var.PID is each process's own pid: the only line that may differ.
    const pidless = (t) => t.replace(/^(\s*var\.PID\s*=\s*)\d+$/m, "$1<pid>");
    same = a.status === 0 && b.status === 0 && pidless(a.stdout) === pidless(b.stdout) ? "same output" : `output differs (lighttpd exit ${a.status}, dump exit ${b.status})`;
  }
  const rssKiB = peakRssKiB(...lintCmd);
  rows.push({ ...size, lint, dump, same, rssKiB, rssRatio: (rssKiB * 1024) / size.bytes });
  process.stderr.write(`bench: ${lines} lines done\n`);
}

// The guides' mistakes in every one of 1,250 vhosts (findings of several rules, most fixable): lint and
// the --fix machinery (--diff: every pass and trial lint, nothing written) on the shape that was quadratic.
const findingsVhosts = Number(process.env.BENCH_FINDINGS_VHOSTS ?? 1250);
const findingsFile = path.join(out, `findings-${findingsVhosts}.conf`);
const findingsText = generateFindingsConfig(findingsVhosts);
fs.writeFileSync(findingsFile, findingsText);
const findingsSize = { lines: findingsText.split("\n").length - 1, bytes: Buffer.byteLength(findingsText) };
const tt = [lighttpd, ["-tt", "-f", findingsFile]];
const findingsLint = lighttpd ? paired(tt, [node, [cli, findingsFile, "--format", "json", "--no-config", ...versionArgs]], runs) : NOT_MEASURED;
const findingsFix = lighttpd ? paired(tt, [node, [cli, findingsFile, "--diff", "--no-config", ...versionArgs]], runs) : NOT_MEASURED;
process.stderr.write("bench: findings config done\n");

const small = paired([node, ["-e", "0"]], [node, [cli, path.join(root, "examples", "good.conf"), "--no-config"]], Math.max(runs, 15));
process.stderr.write("bench: small config done\n");

let lsp;
// The median of 60 edits: of 20, back-to-back runs of one build gave 14–17 ms on this shared machine.
const lspRun = spawnSync(node, [path.join(root, "bench", "lsp-latency.mjs"), "--json", "--runs", "60"], { encoding: "utf8", timeout: 300_000 });
try {
  lsp = JSON.parse(lspRun.stdout.trim().split("\n").pop());
} catch {
  lsp = { error: (lspRun.stderr || String(lspRun.error ?? "no output")).trim().split("\n").pop() };
}

const lt = `lighttpd ${lighttpdVersion ?? "(none found)"}`;
const table = [];
table.push(
  `lighttpd-lint benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${lt}, ${os.cpus().length} CPUs, ` +
    `load average ${loadAtStart.toFixed(1)} at the start; ` +
    `medians of ${runs} paired runs, ratio = median of per-pair ratios)`,
);
table.push("");
table.push(`| lines | bytes | figure | lighttpd-lint | ${lt} | ratio | goal | |`);
table.push("|---:|---:|---|---:|---:|---:|---:|---|");
for (const r of rows) {
  const at = `| ${r.lines} | ${r.bytes} |`;
  table.push(`${at} lint vs \`lighttpd -tt\` | ${ms(r.lint.bMs)} | ${ms(r.lint.aMs)} | ${f(r.lint.ratio, 2)}× | ≤ ${f(GOALS.lint)}× | ${verdict(r.lint.ratio, GOALS.lint)} |`);
  table.push(`${at} \`dump\` vs \`lighttpd -p\` (${r.same}) | ${ms(r.dump.bMs)} | ${ms(r.dump.aMs)} | ${f(r.dump.ratio, 2)}× | ≤ ${f(GOALS.dump)}× | ${verdict(r.dump.ratio, GOALS.dump)} |`);
  table.push(`${at} peak RSS of lint / file size | ${f(r.rssKiB / 1024, 0)} MiB | — | ${f(r.rssRatio, 1)}× | ≤ ${GOALS.rss}× | ${verdict(r.rssRatio, GOALS.rss)} |`);
}
{
  const at = `| ${findingsSize.lines} | ${findingsSize.bytes} |`;
  table.push(
    `${at} lint vs \`lighttpd -tt\`, a finding of several rules in each of ${findingsVhosts} vhosts | ${ms(findingsLint.bMs)} | ${ms(findingsLint.aMs)} | ${f(findingsLint.ratio, 2)}× | ≤ ${f(GOALS.lint)}× | ${verdict(findingsLint.ratio, GOALS.lint)} |`,
  );
  table.push(
    `${at} \`--diff\` (every --fix pass, nothing written) vs \`lighttpd -tt\`, same file | ${ms(findingsFix.bMs)} | ${ms(findingsFix.aMs)} | ${f(findingsFix.ratio, 2)}× | — | |`,
  );
}
table.push(
  `| | | small config (examples/good.conf) vs bare \`node -e 0\`, ${Math.max(runs, 15)} pairs | ${ms(small.bMs)} | node: ${ms(small.aMs)} | ${f(small.ratio, 2)}× | ≤ ${GOALS.small}× | ${verdict(small.ratio, GOALS.small)} |`,
);
table.push(
  lsp.error
    ? `| | | LSP didChange → diagnostics: failed (${lsp.error}) | | | | ≤ ${GOALS.lspMs} ms | n/a |`
    : `| ${lsp.lines} | | LSP didChange → diagnostics, debounce ${lsp.debounceMs} ms, ${lsp.runs} edits (p90 ${f(lsp.p90)} ms) | ${ms(lsp.median)} | — | — | ≤ ${GOALS.lspMs} ms | ${verdict(lsp.median, GOALS.lspMs)} |`,
);
const block = table.join("\n");
console.log(block);

if (process.argv.includes("--readme")) {
  const readme = path.join(root, "README.md");
  const textBefore = fs.readFileSync(readme, "utf8");
  const m = /(<!-- bench-table -->\n)[\s\S]*?(\n<!-- \/bench-table -->)/.exec(textBefore);
  if (!m) {
    console.error("bench: README.md has no <!-- bench-table --> ... <!-- /bench-table --> section");
    process.exit(2);
  }
  fs.writeFileSync(readme, textBefore.slice(0, m.index) + m[1] + block + m[2] + textBefore.slice(m.index + m[0].length));
  console.error("bench: README.md updated");
}
