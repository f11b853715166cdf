/** Shared by the snapshot guards (parse-snapshot.mjs, lint-snapshot.mjs): input files and a seeded RNG. */
import fs from "node:fs";
import path from "node:path";

/** Every file below `dir` whose name matches `pattern`, sorted. */
export function listFiles(dir, pattern) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, pattern));
    else if (pattern.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** A small seeded PRNG (mulberry32): the same damaged inputs on every run. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
