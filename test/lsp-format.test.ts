/**
 * The language server's formatting (textDocument/formatting, rangeFormatting) over stdio, and the
 * pure hunk logic behind it. Needs the build: it starts `node bin/lighttpd-lint.js lsp --stdio`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatText } from "../src/fmt/format.js";
import { lineHunks } from "../src/lsp/formatting.js";
import { applyEdits, LspClient, type LspDiagnostic } from "./helpers/lsp-client.js";
import { ensureBuilt } from "./cli-helpers.js";

type Edit = { range: LspDiagnostic["range"]; newText: string };

let dir: string;
let client: LspClient;

beforeAll(async () => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-lspfmt-"));
  client = await LspClient.start({ rootPath: dir, settings: { lighttpdVersion: "1.4.69" } });
});

afterAll(async () => {
  await client?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const UGLY = 'server.modules=( "mod_access" )\n\n\n\n$HTTP["host"]=="a" {\nx=1\n}\n# keep\ny  =  2\n';
const PRETTY = 'server.modules = ("mod_access")\n\n$HTTP["host"] == "a" {\n    x = 1\n}\n# keep\ny = 2\n';

function open(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return client.open(file, text);
}

describe("textDocument/formatting", () => {
  it("announces the capability and returns edits that give the formatter's output", async () => {
    const uri = open("a.conf", UGLY);
    const edits = await client.request<Edit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 8, insertSpaces: true } });
    expect(edits.length).toBeGreaterThan(1); // minimal hunks, not one whole-file replacement
    expect(applyEdits(UGLY, edits)).toBe(PRETTY);
  });

  it("answers no edit for a formatted file", async () => {
    const uri = open("b.conf", PRETTY);
    expect(await client.request<Edit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } })).toEqual([]);
  });

  it("leaves a file with a dropped token alone and says why (window/showMessage)", async () => {
    const text = 'server.modules = ("mod_access" "mod_alias")\n';
    const uri = open("c.conf", text);
    const edits = await client.request<Edit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    expect(edits).toEqual([]);
    const deadline = Date.now() + 5000;
    while (!client.messages.some((m) => /not formatted \(line 1\).*stray token/.test(m)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(client.messages.some((m) => /not formatted \(line 1\).*stray token/.test(m))).toBe(true);
  });
});

describe("textDocument/rangeFormatting", () => {
  it("changes only the lines in the range", async () => {
    const uri = open("d.conf", UGLY);
    const edits = await client.request<Edit[]>("textDocument/rangeFormatting", {
      textDocument: { uri },
      range: { start: { line: 4, character: 0 }, end: { line: 6, character: 1 } },
      options: { tabSize: 4, insertSpaces: true },
    });
    // The block is formatted (with the blank lines run just before it, one hunk); the lines before and after are not.
    expect(applyEdits(UGLY, edits)).toBe('server.modules=( "mod_access" )\n\n$HTTP["host"] == "a" {\n    x = 1\n}\n# keep\ny  =  2\n');
  });
});

describe("line hunks", () => {
  it("turn one text into the other, touching only changed lines", () => {
    const a = ["a\n", "b\n", "c\n", "d\n"];
    const b = ["a\n", "B\n", "c\n", "d\n", "e\n"];
    expect(lineHunks(a, b)).toEqual([
      { from: 1, to: 2, lines: ["B\n"] },
      { from: 4, to: 4, lines: ["e\n"] },
    ]);
    expect(lineHunks(a, a)).toEqual([]);
  });

  it("formatting edits rebuild the formatted text", () => {
    const r = formatText(UGLY, { version: "1.4.69" });
    expect(r.ok && r.text).toBe(PRETTY);
  });
});
