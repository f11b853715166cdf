/** Queries the rules share over an evaluated config (src/engine/config-query.ts). */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { arrayEntry, everySetting, settingsNamed } from "../src/engine/config-query.js";
import { evaluate } from "../src/eval/evaluate.js";

const file = path.join("/nonexistent-dir", "lighttpd.conf");
const text = [
  'server.modules = ("mod_rewrite", "mod_redirect")',
  'url.redirect = ("^/a" => "/b")',
  'url.rewrite-once = ("^/c" => "/d")',
  '$HTTP["host"] == "x" {',
  '  url.rewrite-once = ("^/e" => "/f")',
  '  url.redirect = ("^/g" => "/h")',
  "}",
  "",
].join("\n");
const config = evaluate(file, { version: "1.4.69", readFile: (f) => (f === file ? Buffer.from(text) : undefined), cwd: "/", env: {} });

describe("settingsNamed", () => {
  it("lists the settings of several keys by context, and within a context in the order the keys are given", () => {
    const keysOf = (list: readonly { setting: { key: string } }[]) => list.map((e) => e.setting.key);
    const named = settingsNamed(config, "url.rewrite-once", "url.redirect");
    expect(keysOf(named)).toEqual(["url.rewrite-once", "url.redirect", "url.rewrite-once", "url.redirect"]);
    expect(named.map((e) => e.context.id)).toEqual([0, 0, 1, 1]);
    // Asked again (other rules ask for the same keys): the same list, also in another letter case.
    expect(settingsNamed(config, "URL.rewrite-once", "url.redirect")).toBe(named);
    expect(keysOf(settingsNamed(config, "url.redirect", "url.rewrite-once"))).toEqual(["url.redirect", "url.rewrite-once", "url.redirect", "url.rewrite-once"]);
    // One key, or keys of which one is set: that key's own list.
    expect(keysOf(settingsNamed(config, "url.redirect", "url.rewrite-final"))).toEqual(["url.redirect", "url.redirect"]);
    expect(settingsNamed(config, "url.rewrite-final")).toEqual([]);
  });

  it("and everySetting lists every setting of every context in order", () => {
    // lighttpd's own var.CWD and var.PID come first.
    expect(everySetting(config).map((e) => `${e.context.id}:${e.key}`)).toEqual([
      "0:var.cwd",
      "0:var.pid",
      "0:server.modules",
      "0:url.redirect",
      "0:url.rewrite-once",
      "1:url.rewrite-once",
      "1:url.redirect",
    ]);
  });
});

describe("arrayEntry", () => {
  it("finds a key ignoring the case of A-Z only, as lighttpd's arrays compare", () => {
    const list = { type: "array" as const, items: ["Bin-Path", "Socket", "É"].map((key) => ({ key, value: { type: "string" as const, value: key } })) };
    expect(arrayEntry(list, "bin-path")?.key).toBe("Bin-Path");
    expect(arrayEntry(list, "SOCKET")?.key).toBe("Socket");
    expect(arrayEntry(list, "é")).toBeUndefined();
    expect(arrayEntry(list, "host")).toBeUndefined();
    expect(arrayEntry({ type: "string", value: "x" }, "x")).toBeUndefined();
  });
});
