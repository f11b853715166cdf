#!/usr/bin/env node
/**
 * Guards lint optimisations: `node bench/lint-snapshot.mjs write FILE` records a digest of every
 * diagnostic `lint()` produces (rule, severity, message, file, range, fixes, suggestions, related,
 * include chains) for many inputs; `... check FILE` compares, `... dump NAME` prints one input's.
 * Inputs: every file of the shared corpus, the oracle cases, the fixtures and examples (each linted
 * as a main config, with target 1.4.69 and 1.4.76 and no project config), generated configs and
 * seeded damaged texts of the stable inputs. Uses dist/ (LINT_DIST=/other/dist for another build).
 * LINT_SNAPSHOT_PARSE=eager lints from full (lossless) parses, as the language server does, instead
 * of the lazy ones the CLI makes: its digests must equal the CLI's (the same findings either way).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";
import { listFiles, rng } from "./snapshot-inputs.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { lint: lintFile, lintText: lintSource } = await import(path.join(dist, "src/linter.js"));
const { parseConfig } = await import(path.join(dist, "src/parse/parse.js"));
const eager = process.env.LINT_SNAPSHOT_PARSE === "eager";
// The editor's way: every file parsed in full (lossless) instead of lazily.
const parseOption = eager ? { parse: (_file, text, version) => parseConfig(text, { version }) } : {};
const lint = (f, options) => lintFile(f, { ...options, ...parseOption });
const lintText = (text, f, options) => lintSource(text, f, { ...options, ...parseOption });

const pieces = ['"', "(", ")", "{", "}", "$", "=", "==", "=~", "=>", ",", "+", "+=", ":=", "#", "\n", " ", "else", "elif", "if",
  "var.x", "server.port", "include", '"s"', "123", "$HTTP[\"host\"]", "\"x\" => \"y\""];

function damage(text, r, edits) {
  let t = text;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (t.length + 1));
    if (r() < 0.4) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 3));
    else t = t.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + t.slice(at);
  }
  return t;
}

/** [name, lint thunk] pairs. */
function inputs() {
  const list = [];
  const stable = [
    ...listFiles(path.resolve(root, "../shared/corpus/upstream"), /./),
    ...listFiles(path.resolve(root, "../shared/corpus/wild"), /./),
    ...listFiles(path.resolve(root, "../shared/reference/oracle/cases"), /\.conf$/),
  ];
  const files = [...stable, ...listFiles(path.join(root, "fixtures"), /\.conf$/), ...listFiles(path.join(root, "examples"), /\.conf$/)];
  for (const f of files) {
    for (const version of ["1.4.69", "1.4.76"]) {
      list.push([`${path.relative(path.resolve(root, ".."), f)} ${version}`, () => lint(f, { project: { lighttpdVersion: version }, cwd: path.dirname(f), env: {} })]);
    }
  }
  const r = rng(7);
  const originals = stable.filter((f) => /\.conf$/.test(f)).map((f) => [f, fs.readFileSync(f, "latin1")]);
  for (let i = 0; i < 300; i++) {
    const [f, base] = originals[Math.floor(r() * originals.length)];
    const text = damage(base, r, 1 + Math.floor(r() * 6));
    list.push([`damaged-${i}`, () => lintText(text, f, { project: { lighttpdVersion: i % 2 ? "1.4.76" : "1.4.69" }, cwd: path.dirname(f), env: {} })]);
  }
  const gen = generateConfig(3000);
  list.push(["generated-3000", () => lintText(gen, "/tmp/lint-snapshot-generated.conf", { project: { lighttpdVersion: "1.4.69" }, cwd: "/tmp", env: {} })]);
  return list;
}

/** Canonical text of a lint result (paths relative to the shared folder, so it is stable). */
function describe(result) {
  const base = path.resolve(root, "..");
  const rel = (p) => (typeof p === "string" && path.isAbsolute(p) ? path.relative(base, p) : p);
  const out = [];
  for (const f of result.files) {
    out.push(`F ${rel(f.filePath)} chain=${JSON.stringify(f.includeChain.map((c) => [rel(c.file), c.start, c.end]))}`);
    for (const d of f.diagnostics) {
      out.push(JSON.stringify([d.ruleId, d.severity, d.message, rel(d.file), d.start, d.end, d.fix ?? null, d.suggestions ?? null,
        (d.related ?? []).map((x) => [x.message, rel(x.file), x.start, x.end])]));
    }
  }
  return out.join("\n");
}

const [mode, file] = process.argv.slice(2);
if (mode === "dump") {
  const found = inputs().find(([name]) => name === file);
  console.log(found ? describe(found[1]()) : `no input ${file}`);
  process.exit(found ? 0 : 2);
}
if (!file || (mode !== "write" && mode !== "check")) {
  console.error("usage: node bench/lint-snapshot.mjs write|check|dump FILE|NAME");
  process.exit(2);
}
const digests = {};
let diagnostics = 0;
const t0 = performance.now();
for (const [name, run] of inputs()) {
  const text = describe(run());
  diagnostics += text.split("\n").filter((l) => l.startsWith("[")).length;
  digests[name] = crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}
const ms = performance.now() - t0;
if (mode === "write") {
  fs.writeFileSync(file, JSON.stringify(digests, null, 1));
  console.log(`wrote ${Object.keys(digests).length} digests (${diagnostics} diagnostics, ${ms.toFixed(0)} ms)`);
} else {
  const old = JSON.parse(fs.readFileSync(file, "utf8"));
  const common = Object.keys(digests).filter((k) => k in old);
  const diff = common.filter((k) => old[k] !== digests[k]);
  console.log(`${common.length} inputs compared (${diagnostics} diagnostics, ${ms.toFixed(0)} ms), ${diff.length} differ`);
  for (const k of diff.slice(0, 20)) console.log(`  differs: ${k}`);
  process.exit(diff.length ? 1 : 0);
}
