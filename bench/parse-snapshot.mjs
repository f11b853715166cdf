#!/usr/bin/env node
/**
 * Guards parser optimisations: `node bench/parse-snapshot.mjs write FILE` records a digest of
 * everything `parseConfig` produces (tree shape and fields, every token with type, text, offsets
 * and line/column, strays with their context, problems) for many inputs; `... check FILE` compares.
 * Inputs: the shared corpus, the oracle cases, the fixtures, generated configs, and seeded damaged
 * and random texts. Uses dist/ (run `npx tsc -p tsconfig.json` first).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig } from "./generate.mjs";
import { listFiles, rng } from "./snapshot-inputs.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// PARSE_DIST=/other/dist compares another build (e.g. the code before a change).
const dist = process.env.PARSE_DIST ?? path.join(root, "dist");
const { parseConfig } = await import(path.join(dist, "src/parse/parse.js"));

const pieces = ['"', "'", "(", ")", "{", "}", "[", "]", "$", "=", "==", "=~", "!=", "=>", "->", ",", "+", "+=", ":=", "#", ";",
  "\n", "\r\n", "\r", " ", "\t", "\0", "\u00a0", "\ufeff", "a", "var.x", "server.port", "HTTP", "else", "elif", "if", "global",
  "include", "include_shell", "123", '"s"', '"\\""', "\\", "é", "\ud83d\ude00", "\ud800", "$HTTP[\"host\"]", "\"x\" => \"y\""];

function randomText(r, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += pieces[Math.floor(r() * pieces.length)];
  return s;
}

function damage(text, r, edits) {
  let t = text;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const what = r();
    if (what < 0.4) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 3));
    else t = t.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + t.slice(at);
  }
  return t;
}

function inputs() {
  const list = [];
  // Damaged texts derive only from inputs that do not change while others work on the tree.
  const stable = [
    ...listFiles(path.resolve(root, "../shared/corpus"), /\.conf$|lighttpd|\.inc$/),
    ...listFiles(path.resolve(root, "../shared/reference/oracle/cases"), /\.conf$/),
  ];
  const files = [...stable, ...listFiles(path.join(root, "fixtures"), /\.conf$/), ...listFiles(path.join(root, "examples"), /\.conf$/)];
  for (const f of files) list.push([path.relative(path.resolve(root, ".."), f), fs.readFileSync(f, "latin1")]);
  const r = rng(42);
  const originals = stable.map((f) => fs.readFileSync(f, "latin1"));
  for (let i = 0; i < 600; i++) {
    const base = originals[Math.floor(r() * originals.length)] ?? "";
    list.push([`damaged-${i}`, damage(base, r, 1 + Math.floor(r() * 8))]);
  }
  for (let i = 0; i < 600; i++) list.push([`random-${i}`, randomText(r, Math.floor(r() * 200))]);
  list.push(["generated-2000", generateConfig(2000)]);
  list.push(["nested", 'server.document-root = "/tmp"\n' + '$HTTP["url"] =^ "/a" {\n'.repeat(300) + "}\n".repeat(300)]);
  list.push(["empty", ""]);
  return list;
}

/** Canonical text of a parse result. */
function describe(result) {
  const ids = new Map();
  result.tokens.forEach((t, i) => ids.set(t, i));
  const tokRef = (t) => (ids.has(t) ? `#${ids.get(t)}` : `?${t.tokenType.name}@${t.startOffset}`);
  const nodeRef = (n) => `${n.kind}@${n.start}-${n.end}`;
  const ref = (v) => (v === undefined ? "-" : v && v.tokenType ? tokRef(v) : v && v.kind ? nodeRef(v) : JSON.stringify(v));
  const out = [];
  for (const [i, t] of result.tokens.entries()) {
    out.push(`T${i} ${t.tokenType.name} ${JSON.stringify(t.image)} ${t.startOffset} ${t.endOffset} ${t.startLine}:${t.startColumn}-${t.endLine}:${t.endColumn}${t.unterminated ? " U" : ""}`);
  }
  const walk = (n, depth) => {
    // The public fields: `operands` is a getter of expression nodes, and a value's own token is its
    // only child (older builds also had it as a `token` field; the digest stays comparable).
    const keys = n.kind === "expression" ? ["operands"] : Object.keys(n).filter((k) => !(k === "token" && (n.kind === "string" || n.kind === "integer" || n.kind === "ref")));
    const fields = keys.filter((k) => k !== "children" && k !== "kind" && k !== "start" && k !== "end" && n[k] !== undefined).sort();
    const f = fields.map((k) => `${k}=${Array.isArray(n[k]) ? `[${n[k].map(ref).join(",")}]` : ref(n[k])}`).join(" ");
    out.push(`${" ".repeat(Math.min(depth, 50))}${nodeRef(n)} ${f} | ${n.children.map(ref).join(",")}`);
    for (const c of n.children) if (!c.tokenType) walk(c, depth + 1);
  };
  walk(result.tree, 0);
  for (const s of result.strays) out.push(`S ${s.context} ${nodeRef(s.node)} ${tokRef(s.node.token)}`);
  for (const p of result.problems) out.push(`P ${JSON.stringify(p)}`);
  return out.join("\n");
}

const [mode, file] = process.argv.slice(2);
if (mode === "dump") {
  // `dump NAME` prints the canonical text of one input (to diff two builds).
  const found = inputs().find(([name]) => name === file);
  console.log(found ? describe(parseConfig(found[1], { version: process.env.VERSION ?? "1.4.69" })) : `no input ${file}`);
  process.exit(found ? 0 : 2);
}
if (!file || (mode !== "write" && mode !== "check")) {
  console.error("usage: node bench/parse-snapshot.mjs write|check|dump FILE|NAME");
  process.exit(2);
}
const digests = {};
for (const [name, text] of inputs()) {
  for (const version of ["1.4.69", "1.4.76"]) {
    digests[`${name} ${version}`] = crypto.createHash("sha256").update(describe(parseConfig(text, { version }))).digest("hex").slice(0, 16);
  }
}
if (mode === "write") {
  fs.writeFileSync(file, JSON.stringify(digests, null, 1));
  console.log(`wrote ${Object.keys(digests).length} digests`);
} else {
  const old = JSON.parse(fs.readFileSync(file, "utf8"));
  // Fixtures come and go while others work: compare the inputs both runs have.
  const common = Object.keys(digests).filter((k) => k in old);
  const diff = common.filter((k) => old[k] !== digests[k]);
  console.log(`${common.length} inputs compared, ${diff.length} differ`);
  for (const k of diff.slice(0, 20)) console.log(`  differs: ${k}`);
  process.exit(diff.length ? 1 : 0);
}
