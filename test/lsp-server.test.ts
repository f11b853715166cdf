/**
 * The language server, driven over stdio like an editor drives it: diagnostics, quick fixes,
 * fix-all, disable comments, hover, completion, outline, navigation, multi-file, settings.
 * Needs the build (`npx tsc`): it starts `node bin/lighttpd-lint.js lsp --stdio`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEdits, LspClient, uriOf, type LspDiagnostic } from "./helpers/lsp-client.js";

interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes?: Record<string, { range: LspDiagnostic["range"]; newText: string }[]> };
}
interface CompletionItem {
  label: string;
  detail?: string;
  textEdit?: { range: LspDiagnostic["range"]; newText: string };
}
interface Hover {
  contents: { kind: string; value: string };
  range?: LspDiagnostic["range"];
}
interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: number;
  children?: DocumentSymbol[];
}
interface Location {
  uri: string;
  range: LspDiagnostic["range"];
}

const ARROW_TYPO = 'server.document-root = "/tmp"\nserver.modules = ("mod_fastcgi")\nfastcgi.server = (".php" => (("max-procs" -> 1, "socket" => "/run/php.sock")))\n';

let dir: string;
let client: LspClient;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const has = (rule: string) => (d: LspDiagnostic[]) => d.some((x) => x.code === rule);
const lacks = (rule: string) => (d: LspDiagnostic[]) => !d.some((x) => x.code === rule);

/** The position of the n-th occurrence of `needle` in `text` (plus `delta` characters). */
function pos(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at + delta);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - (before.lastIndexOf("\n") + 1) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-lsp-"));
  client = await LspClient.start({ rootPath: dir, settings: { lighttpdVersion: "1.4.69" } });
});

afterAll(async () => {
  await client?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("diagnostics", () => {
  it("publishes an arrow-typo with its rule id, docs link and exact range", async () => {
    const file = write("diag/typo.conf", ARROW_TYPO);
    const uri = client.open(file, ARROW_TYPO);
    const diags = await client.waitForDiagnostics(uri, has("arrow-typo"));
    const d = diags.find((x) => x.code === "arrow-typo")!;
    expect(d.severity).toBe(1);
    expect(d.source).toBe("lighttpd-lint");
    expect(d.codeDescription?.href).toMatch(/docs\/rules\/arrow-typo\.md$/);
    expect(d.range.start).toEqual(pos(ARROW_TYPO, "->"));
    expect(d.range.end).toEqual(pos(ARROW_TYPO, "->", 2));
  });

  it("links the other half of a finding as related information", async () => {
    const text = 'server.document-root = "/tmp"\nserver.modules = ("mod_alias")\nalias.url = ( "/static" => "/srv/s", "/static-v2" => "/srv/s2" )\n';
    const uri = client.open(write("diag/related.conf", text), text);
    const d = (await client.waitForDiagnostics(uri, has("alias-order"))).find((x) => x.code === "alias-order")!;
    expect(d.range.start).toEqual(pos(text, '"/static-v2"'));
    expect(d.relatedInformation).toEqual([{ location: { uri, range: { start: pos(text, '"/static"'), end: pos(text, '"/static"', 9) } }, message: '"/static" matches first' }]);
  });

  it("clears the diagnostic when a change fixes the text (incremental change)", async () => {
    const file = write("diag/change.conf", ARROW_TYPO);
    const uri = client.open(file, ARROW_TYPO);
    await client.waitForDiagnostics(uri, has("arrow-typo"));
    const start = pos(ARROW_TYPO, "->");
    const version = client.edit(uri, { start, end: { line: start.line, character: start.character + 2 } }, "=>");
    const diags = await client.waitForDiagnostics(uri, (d, v) => v === version && lacks("arrow-typo")(d));
    expect(diags.filter((d) => d.code === "arrow-typo")).toEqual([]);
  });

  it("debounces: a burst of changes ends with diagnostics for the last text", async () => {
    const file = write("diag/burst.conf", "");
    const uri = client.open(file, "");
    await client.waitForDiagnostics(uri, (_d, v) => v === 1);
    const before = client.publishCount.get(uri)!;
    let version = 0;
    for (let i = 0; i < 10; i++) version = client.change(uri, i % 2 ? ARROW_TYPO : 'server.document-root = "/tmp"\n');
    // The last change (i = 9) has the typo.
    const diags = await client.waitForDiagnostics(uri, (_d, v) => v === version);
    expect(diags.some((d) => d.code === "arrow-typo")).toBe(true);
    // Ten changes within a few milliseconds: linted once (twice if the burst straddled a read).
    expect(client.publishCount.get(uri)! - before).toBeLessThanOrEqual(2);
  });
});

describe("code actions", () => {
  it("offers the engine's fix as a preferred quick fix that produces the fixed text", async () => {
    const file = write("actions/fix.conf", ARROW_TYPO);
    const uri = client.open(file, ARROW_TYPO);
    const [d] = (await client.waitForDiagnostics(uri, has("arrow-typo"))).filter((x) => x.code === "arrow-typo");
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.kind === "quickfix" && a.isPreferred);
    expect(fix, JSON.stringify(actions)).toBeDefined();
    const fixed = applyEdits(ARROW_TYPO, fix!.edit!.changes![uri]);
    expect(fixed).toBe(ARROW_TYPO.replace("->", "=>"));
    client.change(uri, fixed);
    await client.waitForDiagnostics(uri, lacks("arrow-typo"));
  });

  it("disables a rule for one line with a comment indented like the line", async () => {
    const text = '$HTTP["host"] == "a" {\n    server.document-root = "/tmp"\n    fastcgi.server = (".php" => (("max-procs" -> 1)))\n}\n';
    const file = write("actions/disable.conf", text);
    const uri = client.open(file, text);
    const [d] = (await client.waitForDiagnostics(uri, has("arrow-typo"))).filter((x) => x.code === "arrow-typo");
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const disable = actions.find((a) => a.title === "Disable arrow-typo for this line");
    expect(disable).toBeDefined();
    const edited = applyEdits(text, disable!.edit!.changes![uri]);
    expect(edited.split("\n")[2]).toBe("    # lighttpd-lint-disable-next-line arrow-typo");
    client.change(uri, edited);
    // The suppression is used (no unused-suppression) and the finding is gone.
    const after = await client.waitForDiagnostics(uri, lacks("arrow-typo"));
    expect(after.filter((x) => x.code === "unused-suppression")).toEqual([]);
  });

  it("source.fixAll.lighttpd-lint applies every safe fix of the file", async () => {
    const text = 'server.document-root = "/tmp"\nserver.modules = ("mod_fastcgi")\nfastcgi.server = (".php" => (("max-procs" -> 1, "min-procs" -> 1)))\n';
    const file = write("actions/fixall.conf", text);
    const uri = client.open(file, text);
    await client.waitForDiagnostics(uri, (d) => d.filter((x) => x.code === "arrow-typo").length === 2);
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ["source.fixAll.lighttpd-lint"] },
    });
    expect(actions.map((a) => a.kind)).toEqual(["source.fixAll.lighttpd-lint"]);
    expect(applyEdits(text, actions[0].edit!.changes![uri])).toBe(text.replaceAll("->", "=>"));
  });
});

describe("hover", () => {
  const text = [
    'server.modules = ("mod_rewrite", "mod_fastcgi")',
    'var.base = "/srv/www"',
    'server.document-root = var.base + "/html"',
    'url.rewrite-once = ("^/a" => "/b")',
    'alias.url = ("/x" => "/y")',
    'fastcgi.server = (".php" => (("socket" => "/run/php.sock", "check-local" => "disable")))',
    "",
  ].join("\n");
  let uri: string;
  beforeAll(async () => {
    uri = client.open(write("hover/lighttpd.conf", text), text);
    await client.waitForDiagnostics(uri, () => true);
  });
  const hover = (needle: string, delta = 1) => client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: pos(text, needle, delta) });

  it("shows a key's type, scope, module and whether the module is loaded", async () => {
    const h = (await hover("url.rewrite-once"))!;
    expect(h.contents.value).toContain("**url.rewrite-once**");
    expect(h.contents.value).toContain("`mod_rewrite` — loaded");
    const alias = (await hover("alias.url"))!;
    expect(alias.contents.value).toContain("**not loaded**");
    expect(alias.contents.value).toContain('add "mod_alias" to server.modules');
    const docroot = (await hover("server.document-root"))!;
    expect(docroot.contents.value).toMatch(/string, any scope/);
    expect(docroot.contents.value).toContain('"/srv/www/html"');
    expect(docroot.range).toEqual({ start: pos(text, "server.document-root"), end: pos(text, "server.document-root", "server.document-root".length) });
  });

  it("shows a variable's evaluated value", async () => {
    const h = (await hover("var.base", 2))!;
    expect(h.contents.value).toContain('"/srv/www"');
    // The reference on the next line too.
    const ref = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: pos(text, "var.base", 3, 1) });
    expect(ref!.contents.value).toContain('"/srv/www"');
  });

  it("explains a module in server.modules and a backend host-entry key", async () => {
    const mod = (await hover('"mod_fastcgi"', 3))!;
    expect(mod.contents.value).toContain("**mod_fastcgi**");
    expect(mod.contents.value.toLowerCase()).toContain("fastcgi");
    const hostKey = (await hover('"check-local"', 3))!;
    expect(hostKey.contents.value).toContain("**check-local** — backend host entry");
  });

  it("returns nothing on punctuation", async () => {
    expect(await hover("= (", 0)).toBeNull();
  });
});

describe("completion", () => {
  async function complete(text: string, at: { line: number; character: number }, name: string): Promise<CompletionItem[]> {
    const uri = client.open(write(`completion/${name}.conf`, text), text);
    return client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri }, position: at });
  }
  const end = (text: string) => {
    const lines = text.split("\n");
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };

  it("completes keys with their module", async () => {
    const text = 'server.document-root = "/tmp"\nurl.rewr';
    const items = await complete(text, end(text), "keys");
    const item = items.find((i) => i.label === "url.rewrite-once");
    expect(item?.detail).toMatch(/^mod_rewrite/);
    expect(item?.textEdit?.range.start).toEqual({ line: 1, character: 0 });
    expect(items.some((i) => i.label === "server.port")).toBe(true);
  });

  it("completes module names inside server.modules", async () => {
    const text = 'server.modules = ("mod_access", "mod_re';
    const items = await complete(text, end(text), "modules");
    const item = items.find((i) => i.label === "mod_rewrite");
    expect(item).toBeDefined();
    expect(applyEdits(text, [item!.textEdit!])).toBe('server.modules = ("mod_access", "mod_rewrite"');
    expect(items.some((i) => i.label === "server.port")).toBe(false);
  });

  it("completes condition fields after $ and operators after the field", async () => {
    const text = "$";
    const items = await complete(text, { line: 0, character: 1 }, "cond");
    expect(items.map((i) => i.label)).toContain('$HTTP["host"]');
    expect(items.map((i) => i.label)).toContain('$SERVER["socket"]');
    const ops = await complete('$HTTP["url"] ', { line: 0, character: 13 }, "ops");
    expect(ops.map((i) => i.label).sort()).toEqual(["!=", "!~", "=$", "==", "=^", "=~"]);
  });

  it('offers "enable"/"disable" where a boolean belongs', async () => {
    const text = "dir-listing.activate = ";
    const items = await complete(text, { line: 0, character: text.length }, "bool");
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(["enable", "disable"]));
    expect(items.find((i) => i.label === "enable")!.textEdit!.newText).toBe('"enable"');
  });

  it("completes host-entry keys inside fastcgi.server", async () => {
    const text = 'fastcgi.server = (".php" => (("socket" => "/run/php.sock", "';
    const items = await complete(text, end(text), "hostkeys");
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["bin-path", "check-local", "max-procs", "host", "port"]));
    expect(labels).not.toContain("server.port");
  });
});

describe("outline and navigation", () => {
  const text = [
    'var.base = "/srv"',
    'server.document-root = var.base + "/html"',
    '$HTTP["host"] == "example.org" {',
    '  server.document-root = var.base + "/example"',
    '  fastcgi.server = (".php" => ("php" => ("socket" => "/run/php.sock")))',
    "}",
    'include "extra.conf"',
    "",
  ].join("\n");
  let uri: string;
  beforeAll(async () => {
    write("nav/extra.conf", 'server.tag = "x"\n');
    uri = client.open(write("nav/lighttpd.conf", text), text);
    await client.waitForDiagnostics(uri, () => true);
  });

  it("lists conditional blocks and backends as an outline", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    const block = symbols.find((s) => s.name === '$HTTP["host"] == "example.org"');
    expect(block, JSON.stringify(symbols.map((s) => s.name))).toBeDefined();
    const fcgi = block!.children!.find((s) => s.name === "fastcgi.server")!;
    expect(fcgi.children![0].name).toBe(".php");
    expect(fcgi.children![0].children![0]).toMatchObject({ name: "php", detail: '"/run/php.sock"' });
  });

  it("goes from a variable to its assignment and from an include to the file", async () => {
    const defs = await client.request<Location[]>("textDocument/definition", { textDocument: { uri }, position: pos(text, "var.base", 2, 2) });
    expect(defs).toEqual([{ uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } } }]);
    const inc = await client.request<Location[]>("textDocument/definition", { textDocument: { uri }, position: pos(text, "extra.conf") });
    expect(inc.map((l) => l.uri)).toEqual([uriOf(path.join(dir, "nav/extra.conf"))]);
  });

  it("finds the references of a variable", async () => {
    const refs = await client.request<Location[]>("textDocument/references", { textDocument: { uri }, position: pos(text, "var.base", 1), context: { includeDeclaration: false } });
    expect(refs.map((r) => r.range.start.line)).toEqual([1, 3]);
    const all = await client.request<Location[]>("textDocument/references", { textDocument: { uri }, position: pos(text, "var.base", 1), context: { includeDeclaration: true } });
    expect(all.map((r) => r.range.start.line)).toEqual([0, 1, 3]);
  });
});

describe("multi-file", () => {
  it("lints an included file in its main config's context and re-lints the includer on change", async () => {
    write("multi/lighttpd.conf", 'var.sock = "/run/php.sock"\nserver.document-root = "/tmp"\ninclude "conf.d/*.conf"\n');
    const inc = 'fastcgi.server = (".php" => (("socket" => var.sock, "max-procs" -> 1)))\n';
    const incFile = write("multi/conf.d/php.conf", inc);
    const mainUri = client.open(path.join(dir, "multi/lighttpd.conf"), fs.readFileSync(path.join(dir, "multi/lighttpd.conf"), "utf8"));
    await client.waitForDiagnostics(mainUri, () => true);
    const incUri = client.open(incFile, inc);
    const diags = await client.waitForDiagnostics(incUri, has("arrow-typo"));
    const d = diags.find((x) => x.code === "arrow-typo")!;
    // The finding says where the main config pulled the file in.
    expect(d.relatedInformation?.[0]).toMatchObject({ location: { uri: mainUri, range: { start: { line: 2, character: 0 } } }, message: "included from the main config here" });
    // var.sock comes from the main config: not undefined there, unlike in the same text on its own.
    expect(diags.filter((x) => x.code === "undefined-variable")).toEqual([]);
    const aloneUri = client.open(write("alone/php.conf", inc), inc);
    await client.waitForDiagnostics(aloneUri, has("undefined-variable"));
    const h = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: incUri }, position: pos(inc, "var.sock", 1) });
    expect(h!.contents.value).toContain('"/run/php.sock"');
    // Changing the included file re-lints (and re-publishes) the main config.
    const mainAgain = client.nextDiagnostics(mainUri);
    client.change(incUri, inc.replace("->", "=>"));
    await mainAgain;
    await client.waitForDiagnostics(incUri, lacks("arrow-typo"));
  });

  it("uses the mainConfig setting to find the includer of a file", async () => {
    write("custom/site.conf", 'server.document-root = "/tmp"\ninclude "parts/backend.conf"\n');
    const inc = 'fastcgi.server = (".php" => (("max-procs" -> 1)))\n';
    const incFile = write("custom/parts/backend.conf", inc);
    client.settings = { lighttpdVersion: "1.4.69", mainConfig: "custom/site.conf" };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    try {
      const incUri = client.open(incFile, inc);
      const diags = await client.waitForDiagnostics(incUri, (d) => d.some((x) => x.code === "arrow-typo" && x.relatedInformation !== undefined));
      expect(diags.find((x) => x.code === "arrow-typo")!.relatedInformation![0].location.uri).toBe(uriOf(path.join(dir, "custom/site.conf")));
    } finally {
      client.settings = { lighttpdVersion: "1.4.69" };
      await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    }
  });

  it("lints a buffer that is no file (untitled) on its own", async () => {
    const uri = "untitled:Untitled-1";
    await client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "lighttpd", version: 1, text: ARROW_TYPO } });
    await client.waitForDiagnostics(uri, has("arrow-typo"));
  });
});

describe("settings", () => {
  it("honours rules from the client's settings and from .lighttpd-lint.json", async () => {
    const file = write("settings/a.conf", ARROW_TYPO);
    const uri = client.open(file, ARROW_TYPO);
    await client.waitForDiagnostics(uri, has("arrow-typo"));
    client.settings = { lighttpdVersion: "1.4.69", rules: { "arrow-typo": "off" } };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitForDiagnostics(uri, lacks("arrow-typo"));
    client.settings = { lighttpdVersion: "1.4.69" };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitForDiagnostics(uri, has("arrow-typo"));
    // The project file (found upward from the config) sets the severity.
    write("settings/.lighttpd-lint.json", JSON.stringify({ rules: { "arrow-typo": "warning" } }));
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(path.join(dir, "settings/.lighttpd-lint.json")), type: 1 }] });
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === "arrow-typo" && x.severity === 2));
    expect(diags.find((x) => x.code === "arrow-typo")!.severity).toBe(2);
  });
});
