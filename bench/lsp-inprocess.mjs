#!/usr/bin/env node
/**
 * The LSP's re-lint without the protocol: a Workspace with one open 10k-line buffer, a one-character
 * edit, `lintMain` — the median over many edits. For profiling the server's per-keystroke work:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/lsp-inprocess.mjs [lines] [runs]
 * LSP_FINDINGS=1250: the guides' mistakes in each of 1,250 vhosts instead (generateFindingsConfig).
 * LSP_EDIT=insert: a character inserted and deleted in turn instead of replaced.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateConfig, generateFindingsConfig } from "./generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.resolve(process.env.LINT_DIST ?? path.join(root, "dist"));
const { Workspace } = await import(path.join(dist, "src/lsp/workspace.js"));
const lines = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 60);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-lsp-inprocess-"));
const file = path.join(dir, "lighttpd.conf");
const text = process.env.LSP_FINDINGS ? generateFindingsConfig(Number(process.env.LSP_FINDINGS)) : generateConfig(lines);
fs.writeFileSync(file, text);
const ws = new Workspace();
ws.client = { lighttpdVersion: "1.4.69" };
ws.open({ path: file, uri: `file://${file}`, text, version: 1 });
ws.lintMain(ws.mainFor(file));
const at = text.indexOf("server.port = 808") + "server.port = 808".length;
const samples = [];
for (let i = 0; i < runs; i++) {
  // Replace a character (the default), or insert one and delete it again (LSP_EDIT=insert: then the
  // offsets of everything after the edit move).
  const changed = process.env.LSP_EDIT === "insert" ? (i % 2 ? text : text.slice(0, at) + "1" + text.slice(at)) : text.slice(0, at) + (i % 2 ? "0" : "1") + text.slice(at + 1);
  const t = performance.now();
  ws.change(file, changed, i + 2);
  for (const m of ws.affectedMains(file)) ws.lintMain(m);
  samples.push(performance.now() - t);
}
samples.sort((a, b) => a - b);
console.log(`lintMain after an edit, ${lines} lines: median ${samples[runs >> 1].toFixed(1)} ms, min ${samples[0].toFixed(1)}, p90 ${samples[Math.floor(runs * 0.9)].toFixed(1)}`);
fs.rmSync(dir, { recursive: true, force: true });
