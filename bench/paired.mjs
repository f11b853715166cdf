/**
 * Paired process timing for a shared, noisy machine: run command A and command B alternately, N
 * times, and take the median of the per-pair ratios B/A (a slow moment hits both halves of a pair,
 * so it mostly cancels), beside each command's own median wall time.
 *
 *   import { paired } from "./paired.mjs";
 *   paired(["node", ["-e", "0"]], ["node", ["bin/lighttpd-lint.js", "x.conf"]], 11)
 *     → { ratio, aMs, bMs, runs }
 * CLI: node bench/paired.mjs RUNS -- A... -- B...
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Wall time (ms) of one run of a command, its output discarded; bounded to 10 minutes. */
export function wallMs([cmd, args]) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: "ignore", timeout: 600_000 });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One warm-up pair, then `runs` pairs alternating which command goes first. */
export function paired(a, b, runs = 5) {
  wallMs(a);
  wallMs(b);
  const as = [];
  const bs = [];
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const [x, y] = i % 2 ? [wallMs(b), wallMs(a)].reverse() : [wallMs(a), wallMs(b)];
    as.push(x);
    bs.push(y);
    ratios.push(y / x);
  }
  return { ratio: median(ratios), aMs: median(as), bMs: median(bs), runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const runs = Number(argv[0]);
  const cut = argv.indexOf("--", 2);
  const a = argv.slice(2, cut);
  const b = argv.slice(cut + 1);
  const r = paired([a[0], a.slice(1)], [b[0], b.slice(1)], runs);
  console.log(`A ${r.aMs.toFixed(1)} ms, B ${r.bMs.toFixed(1)} ms, B/A ${r.ratio.toFixed(2)}× (median of ${runs} pairs)`);
}
