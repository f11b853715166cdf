#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and inclusive time
 * of the heaviest functions. `node bench/prof-summary.mjs FILE.cpuprofile [top]`.
 */
import fs from "node:fs";

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file, "utf8"));
const top = Number(topArg ?? 40);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const name = (n) => `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const incl = new Map();
for (const [id, us] of dt) {
  const key = name(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + us);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const k = name(byId.get(p));
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + us);
  }
}
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const show = (m, title) => {
  console.log(`${title} (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
};
show(self, "self");
show(incl, "inclusive");
