/**
 * The language server's editor features: folding ranges, semantic tokens, document links for
 * includes, pulled diagnostics (textDocument/diagnostic), per-folder settings in a multi-root
 * workspace (workspace/configuration with scopeUri), bad settings shown with window/showMessage.
 * Needs the build: it starts `node bin/lighttpd-lint.js lsp --stdio`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/parse/parse.js";
import { foldingRanges, semanticTokens, SEMANTIC_TOKEN_TYPES } from "../src/lsp/editor-features.js";
import { readClientSettings } from "../src/lsp/settings.js";
import { LspClient, uriOf, type LspDiagnostic } from "./helpers/lsp-client.js";
import { ensureBuilt } from "./cli-helpers.js";

let dir: string;
const clients: LspClient[] = [];

beforeAll(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-lspedit-"));
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function start(opts: Parameters<typeof LspClient.start>[0] = {}): Promise<LspClient> {
  const c = await LspClient.start({ rootPath: dir, settings: { lighttpdVersion: "1.4.69" }, ...opts });
  clients.push(c);
  return c;
}

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const CONF = [
  "# one",
  "# two",
  "# three",
  "server.modules = (",
  '    "mod_access",',
  '    "mod_alias",',
  ")",
  '$HTTP["url"] =~ "^/x" {',
  '    alias.url = ("/x" => "/srv/x")',
  "}",
  'include "sub.conf"',
  "",
].join("\n");

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await what();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await what();
  }
  return v;
}

describe("from the tree (pure)", () => {
  it("folds blocks, multi-line lists and comment runs, keeping the closing line visible", () => {
    const folds = foldingRanges(parseConfig(CONF, { version: "1.4.69" }));
    expect(folds).toEqual([
      { startLine: 0, endLine: 2, kind: "comment" },
      { startLine: 3, endLine: 5 },
      { startLine: 7, endLine: 8 },
    ]);
  });

  it("gives keys, references, regexes, operators, strings and keywords their semantic types", () => {
    const text = 'var.a = "x"\nb = var.a + 1\n$HTTP["url"] =~ "^/y" {\n}\ninclude "z.conf" # c\n';
    const data = semanticTokens(parseConfig(text, { version: "1.4.69" }));
    const got: string[] = [];
    let line = 0;
    let ch = 0;
    const lines = text.split("\n");
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      ch = data[i] === 0 ? ch + data[i + 1] : data[i + 1];
      got.push(`${lines[line].slice(ch, ch + data[i + 2])}:${SEMANTIC_TOKEN_TYPES[data[i + 3]]}`);
    }
    expect(got).toEqual([
      "var.a:property",
      "=:operator",
      '"x":string',
      "b:property",
      "=:operator",
      "var.a:variable",
      "+:operator",
      "1:number",
      "$:macro",
      "HTTP:macro",
      '"url":string',
      "=~:operator",
      '"^/y":regexp',
      "include:keyword",
      '"z.conf":string',
      "# c:comment",
    ]);
  });
});

describe("client settings", () => {
  it("reads the format section and names every setting it cannot use", () => {
    const good = readClientSettings({ format: { indent: 2, alignArrows: true }, checkFs: true });
    expect(good).toEqual({ settings: { format: { indent: 2, alignArrows: true }, checkFs: true }, problems: [] });
    const bad = readClientSettings({ format: { indent: -1, tabs: true, alignArrows: "yes" }, checkFs: "no", debounceMs: "fast" });
    expect(bad.problems).toEqual([
      'lighttpd-lint.checkFs must be true or false (got "no")',
      'lighttpd-lint.debounceMs must be a number of milliseconds (got "fast")',
      "lighttpd-lint.format.indent must be a whole number from 0 to 1000 (got -1)",
      'lighttpd-lint.format.alignArrows must be true or false (got "yes")',
      "lighttpd-lint.format.tabs is not a setting (known: indent, maxBlankLines, printWidth, alignArrows)",
    ]);
  });
});

describe("over LSP", () => {
  it("answers foldingRange, semanticTokens and documentLink (an include to its file)", async () => {
    const client = await start();
    const sub = write("feat/sub.conf", 'server.tag = "x"\n');
    const main = write("feat/lighttpd.conf", CONF);
    const uri = client.open(main, CONF);
    const folds = await client.request<{ startLine: number; endLine: number; kind?: string }[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(folds).toContainEqual({ startLine: 0, endLine: 2, kind: "comment" });
    expect(folds).toContainEqual({ startLine: 7, endLine: 8 });
    const tokens = await client.request<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri } });
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length).toBeGreaterThan(5 * 10);
    const links = await client.request<{ range: LspDiagnostic["range"]; target: string }[]>("textDocument/documentLink", { textDocument: { uri } });
    expect(links).toEqual([{ range: { start: { line: 10, character: 8 }, end: { line: 10, character: 18 } }, target: uriOf(sub), tooltip: sub }]);
  });

  it("answers textDocument/diagnostic (pull) and then pushes none", async () => {
    const client = await start({ capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } } });
    const text = 'server.modules = ("mod_fastcgi")\nfastcgi.server = (".php" => (("max-procs" -> 1)))\n';
    const uri = client.open(write("pull/a.conf", text), text);
    const report = await client.request<{ kind: string; items: LspDiagnostic[] }>("textDocument/diagnostic", { textDocument: { uri } });
    expect(report.kind).toBe("full");
    expect(report.items.some((d) => d.code === "arrow-typo")).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(client.diagnostics.has(uri)).toBe(false);
  });

  it("with debounceMs 0 lints a burst of changes once, after the last", async () => {
    const client = await start({ settings: { lighttpdVersion: "1.4.69", debounceMs: 0 } });
    const typo = 'fastcgi.server = (".php" => (("max-procs" -> 1)))\n';
    const uri = client.open(write("burst/a.conf", ""), "");
    await client.waitForDiagnostics(uri, (_d, v) => v === 1);
    const before = client.publishCount.get(uri)!;
    let version = 0;
    for (let i = 0; i < 10; i++) version = client.change(uri, i % 2 ? typo : 'server.document-root = "/tmp"\n');
    const diags = await client.waitForDiagnostics(uri, (_d, v) => v === version);
    expect(diags.some((d) => d.code === "arrow-typo")).toBe(true);
    // Lint as each change comes and this is 10; the server waits for the queued ones (twice if
    // the burst straddled a read of its input).
    expect(client.publishCount.get(uri)! - before).toBeLessThanOrEqual(2);
  });

  it("reads each workspace folder's settings (scopeUri) and shows bad settings with window/showMessage", async () => {
    const a = path.join(dir, "multi/a");
    const b = path.join(dir, "multi/b");
    const text = 'server.document-root = "/srv"\n$HTTP["host"] == "x" {\n}\nelse if $HTTP["host"] == "y" {\n}\n';
    const fa = write("multi/a/lighttpd.conf", text);
    const fb = write("multi/b/lighttpd.conf", text);
    const client = await start({
      rootPath: a,
      folders: [a, b],
      settings: { lighttpdVersion: "1.4.69" },
      folderSettings: { [uriOf(b)]: { lighttpdVersion: "1.4.76", format: { indent: "wide" } } },
    });
    const ua = client.open(fa, text);
    const ub = client.open(fb, text);
    // `else if` is misread by 1.4.69 (folder a) and real syntax in 1.4.76 (folder b).
    const da = await client.waitForDiagnostics(ua, (d) => d.some((x) => x.code === "else-if"));
    expect(da.some((x) => x.code === "else-if")).toBe(true);
    // Folder b's lint after its settings arrived (the first one, on open, may precede them).
    const db = await client.waitForDiagnostics(ub, (d) => !d.some((x) => x.code === "else-if"));
    expect(db.some((x) => x.code === "else-if")).toBe(false);
    expect((await client.waitForDiagnostics(ua, () => true)).some((x) => x.code === "else-if")).toBe(true);
    const msgs = await until(
      () => Promise.resolve(client.messages),
      (m) => m.some((x) => x.includes("format.indent")),
    );
    expect(msgs.some((x) => /lighttpd-lint\.format\.indent must be a whole number.*workspace folder/.test(x))).toBe(true);
  });
});
