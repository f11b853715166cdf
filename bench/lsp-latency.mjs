#!/usr/bin/env node
/**
 * LSP latency: the median time from a `didChange` to the `publishDiagnostics` for that version, on a
 * generated 10,000-line config (the shape of gen-large.py), with the server started as editors start
 * it (`lighttpd-lint lsp --stdio`, after `npx tsc`). The edit is a one-character incremental change,
 * as editors send while typing. Measured with the debounce set to 0 (`debounceMs`), so the number is
 * the server's own work; in an editor the default 150 ms debounce comes on top.
 *
 *   node bench/lsp-latency.mjs [--lines 10000] [--runs 20] [--debounce 0] [--json]
 *   node bench/lsp-latency.mjs --findings 1250   (the guides' mistakes in each of 1,250 vhosts instead)
 * LSP_BIN=/other/bin/lighttpd-lint.js measures another build's server.
 * Also `import { measureLspLatency } from "./lsp-latency.mjs"`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { generateConfig, generateFindingsConfig } from "./generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = process.env.LSP_BIN ?? path.join(root, "bin", "lighttpd-lint.js");

export async function measureLspLatency({ lines = 10_000, runs = 20, warmup = 3, debounceMs = 0, text: given } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-lsp-bench-"));
  const file = path.join(dir, "lighttpd.conf");
  const text = given ?? generateConfig(lines);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const child = spawn(process.execPath, [cli, "lsp", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    const w = waiters.get(p.version);
    if (p.uri === uri && w) {
      waiters.delete(p.version);
      w(p);
    }
  });
  const settings = { lighttpdVersion: "1.4.69", debounceMs };
  conn.onRequest("workspace/configuration", (p) => p.items.map(() => settings));
  conn.onRequest("client/registerCapability", () => null);
  conn.listen();
  const bounded = (promise, what) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within 60 s`)), 60_000))]);
  try {
    await bounded(conn.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { workspace: { configuration: true } }, initializationOptions: settings }), "initialize");
    await conn.sendNotification("initialized", {});
    const published = (version) => new Promise((resolve) => waiters.set(version, resolve));
    let first = published(1);
    await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lighttpd", version: 1, text } });
    await bounded(first, "first diagnostics");

    // Toggle one character of the port line: "8080" ↔ "8081".
    const line = text.split("\n").findIndex((l) => l.startsWith("server.port"));
    const character = "server.port = 808".length;
    const samples = [];
    for (let i = 0; i < warmup + runs; i++) {
      const version = i + 2;
      const done = published(version);
      const start = process.hrtime.bigint();
      await conn.sendNotification("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: i % 2 ? "0" : "1" }],
      });
      const p = await bounded(done, `diagnostics of version ${version}`);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= warmup) samples.push(ms);
      if (p.diagnostics.some((d) => d.code === "internal-error")) throw new Error(`internal error: ${JSON.stringify(p.diagnostics)}`);
    }
    samples.sort((a, b) => a - b);
    const median = samples[samples.length >> 1];
    return { lines: text.split("\n").length - 1, runs, debounceMs, median, min: samples[0], max: samples[samples.length - 1], p90: samples[Math.floor(samples.length * 0.9)] };
  } finally {
    try {
      await Promise.race([conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      await conn.sendNotification("exit");
    } catch {
      // killed below anyway
    }
    setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    conn.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const findings = arg("findings", 0);
  const text = findings > 0 ? generateFindingsConfig(findings) : undefined;
  const r = await measureLspLatency({ lines: arg("lines", 10_000), runs: arg("runs", 20), debounceMs: arg("debounce", 0), text });
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else console.log(`LSP latency (didChange → publishDiagnostics, ${r.lines} lines, debounce ${r.debounceMs} ms): median ${r.median.toFixed(1)} ms (min ${r.min.toFixed(1)}, p90 ${r.p90.toFixed(1)}, max ${r.max.toFixed(1)}; goal ≤ 15 ms)`);
}
