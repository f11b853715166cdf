#!/usr/bin/env node
/**
 * Finds rules whose cost grows faster than the config: each fixture (`fixtures/<id>/*.conf`, those
 * without includes) is linted as N and as 2N vhosts (`$HTTP["host"] == "hI.example" { <fixture> }`),
 * every rule timed on its own; a rule whose time more than triples when the input doubles is listed.
 * Mass-vhost configs repeat one vhost's findings thousands of times: a rule that walks the whole
 * config per finding turned 8,000 vhosts into minutes.
 *
 *   node bench/scale-rules.mjs [N] [filter]     (default N 300; filter: part of "<rule-id>/<file>")
 *
 * Uses dist/ (npm run build first). Times are best of three per size, so small figures are noisy:
 * only rules above MIN_MS at 2N are judged. Exit code 1 when a rule is listed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { lint } = await import(path.join(root, "dist/src/engine/lint.js"));
const { rules } = await import(path.join(root, "dist/rules/index.js"));

const N = Number(process.argv[2] ?? 300);
const filter = process.argv[3];
const MIN_MS = 40;
const GROWTH = 3;

/** Milliseconds per rule (best of three) for one lint of `text`. */
function ruleTimes(text) {
  const file = "/lighttpd-lint-scale/lighttpd.conf";
  const bytes = Buffer.from(text);
  const best = new Map();
  for (let run = 0; run < 3; run++) {
    const times = new Map();
    const timed = rules.map((r) => ({
      ...r,
      check(ctx) {
        const t = performance.now();
        try {
          return r.check(ctx);
        } finally {
          times.set(r.meta.id, (times.get(r.meta.id) ?? 0) + performance.now() - t);
        }
      },
    }));
    lint(file, { rules: timed, readFile: (f) => (f === file ? bytes : undefined), cwd: path.dirname(file), projectRoot: false });
    for (const [id, ms] of times) best.set(id, Math.min(best.get(id) ?? Infinity, ms));
  }
  return best;
}

const vhosts = (text, n) => Array.from({ length: n }, (_, i) => `$HTTP["host"] == "h${i}.example" {\n${text}\n}\n`).join("");

let listed = 0;
for (const dir of fs.readdirSync(path.join(root, "fixtures")).sort()) {
  const folder = path.join(root, "fixtures", dir);
  if (!fs.statSync(folder).isDirectory()) continue;
  for (const name of fs.readdirSync(folder).sort()) {
    if (!name.endsWith(".conf") || name.endsWith(".fixed.conf")) continue;
    if (filter && !`${dir}/${name}`.includes(filter)) continue;
    const text = fs.readFileSync(path.join(folder, name), "utf8");
    if (/\binclude(_shell)?\b/.test(text)) continue;
    const [small, large] = [ruleTimes(vhosts(text, N)), ruleTimes(vhosts(text, 2 * N))];
    for (const [id, ms] of large) {
      const before = Math.max(small.get(id) ?? 0, 1);
      if (ms >= MIN_MS && ms / before > GROWTH) {
        listed++;
        console.log(`${id}: ${before.toFixed(0)} → ${ms.toFixed(0)} ms from ${N} to ${2 * N} vhosts of fixtures/${dir}/${name}`);
      }
    }
  }
}
console.log(listed ? `${listed} superlinear rule timings` : `no rule more than ${GROWTH}x slower on twice the vhosts (N = ${N})`);
process.exitCode = listed ? 1 : 0;
