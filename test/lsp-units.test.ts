/** The language server's pure parts, in process: positions, edits, completion context, main-config choice. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { disableEdit, minimalEdit } from "../src/lsp/actions.js";
import { completeAt } from "../src/lsp/completion.js";
import { Positions } from "../src/lsp/convert.js";
import { Workspace } from "../src/lsp/workspace.js";
import { applyEdits } from "./helpers/lsp-client.js";

describe("Positions", () => {
  it("maps UTF-16 offsets to 0-based lines and characters, CRLF and astral characters included", () => {
    const text = 'a = "😀"\r\nb = 1\nc';
    const p = new Positions(text);
    expect(p.position(text.indexOf("b"))).toEqual({ line: 1, character: 0 });
    expect(p.position(text.indexOf('"', 5))).toEqual({ line: 0, character: 7 }); // the emoji is 2 code units
    expect(p.offset({ line: 2, character: 0 })).toBe(text.indexOf("c"));
    // A character past the end of a line is clamped to the line's end.
    expect(p.offset({ line: 1, character: 99 })).toBe(text.indexOf("1") + 1);
  });
});

describe("disable comment", () => {
  it("inserts a comment above the line with its indentation, or extends one that is there", () => {
    const text = "x {\n\t  a = 1\n}\n";
    const positions = new Positions(text);
    const once = applyEdits(text, [disableEdit({ text, positions }, "rule-a", 1)]);
    expect(once).toBe("x {\n\t  # lighttpd-lint-disable-next-line rule-a\n\t  a = 1\n}\n");
    const twice = applyEdits(once, [disableEdit({ text: once, positions: new Positions(once) }, "rule-b", 2)]);
    expect(twice).toBe("x {\n\t  # lighttpd-lint-disable-next-line rule-a, rule-b\n\t  a = 1\n}\n");
  });

  it("keeps CRLF line ends", () => {
    const text = "a = 1\r\nb = 2\r\n";
    expect(applyEdits(text, [disableEdit({ text, positions: new Positions(text) }, "r", 1)])).toBe("a = 1\r\n# lighttpd-lint-disable-next-line r\r\nb = 2\r\n");
  });
});

describe("minimalEdit", () => {
  it("replaces only the part that differs", () => {
    const before = 'a = 1\nb = ("x" -> 1)\nc = 3\n';
    const after = 'a = 1\nb = ("x" => 1)\nc = 3\n';
    const edit = minimalEdit(before, after, new Positions(before));
    expect(edit).toEqual({ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 10 } }, newText: "=" });
    expect(applyEdits(before, [edit])).toBe(after);
  });
});

describe("completion context", () => {
  const labels = (text: string, offset = text.length) => completeAt({ text, offset, version: "1.4.69", positions: new Positions(text) }).map((i) => i.label);

  it("knows where it is inside nested arrays", () => {
    expect(labels('fastcgi.server = (".php" => ( "php" => ( "bin-path" => "/x", ')).toContain("socket");
    // The extension level is not a host entry.
    expect(labels('fastcgi.server = ( "')).toEqual([]);
    // After a closed array the statement is over.
    expect(labels('server.modules = ("mod_access")\n')).toContain("server.port");
    expect(labels('server.modules = ("mod_access")\nx = (')).not.toContain("mod_rewrite");
    expect(labels('server.modules += (\n  "mod_access",\n  "')).toContain("mod_rewrite");
  });

  it("offers a boolean's words and a string key's known values", () => {
    expect(labels('fastcgi.server = (".php" => (("check-local" => "')).toEqual(["enable", "disable"]);
    expect(labels('server.event-handler = "')).toContain("linux-sysepoll");
    expect(labels("server.port = ")).not.toContain("enable");
  });

  it('completes the field inside $HTTP[" and closes the bracket', () => {
    const text = '$HTTP["ho';
    const item = completeAt({ text, offset: text.length, version: "1.4.69", positions: new Positions(text) }).find((i) => i.label === "host")!;
    expect(applyEdits(text, [item.textEdit as never])).toBe('$HTTP["host"]');
  });
});

describe("Workspace main config", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-ws-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  it("picks the nearest lighttpd.conf upward that includes the file, else the file itself", () => {
    const main = write("etc/lighttpd/lighttpd.conf", 'include "conf.d/*.conf"\n');
    const included = write("etc/lighttpd/conf.d/a.conf", 'server.tag = "a"\n');
    const stray = write("etc/lighttpd/other/b.conf", 'server.tag = "b"\n');
    const ws = new Workspace();
    expect(ws.mainFor(included)).toBe(main);
    expect(ws.mainFor(stray)).toBe(stray);
    expect(ws.affectedMains(included)).toEqual([main]);
  });

  it("sees unsaved buffers: an include added in the editor adopts the file", () => {
    const main = write("site/lighttpd.conf", 'server.document-root = "/tmp"\n');
    const part = write("site/part.conf", 'server.tag = "p"\n');
    const ws = new Workspace();
    ws.open({ path: main, uri: "file://" + main, text: fs.readFileSync(main, "utf8"), version: 1 });
    expect(ws.mainFor(part)).toBe(part);
    ws.change(main, 'server.document-root = "/tmp"\ninclude "part.conf"\n', 2);
    ws.lintMain(main); // the include graph changed: the file's main is looked up again
    expect(ws.mainFor(part)).toBe(main);
  });
});
