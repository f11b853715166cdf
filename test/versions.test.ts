/** Target versions: validation (CLI, .lighttpd-lint.json, LSP settings) and the version-dependent facts. */
import { describe, expect, it, vi } from "vitest";
import { evaluate } from "../src/eval/evaluate.js";
import { dumpConfig } from "../src/eval/dump.js";
import { parseConfig } from "../src/parse/parse.js";
import { readClientSettings } from "../src/lsp/settings.js";
import { languageFeatures, resolveLighttpdVersion, dumpFormat } from "../src/util/version.js";

describe("resolveLighttpdVersion", () => {
  it("accepts full 1.4 release numbers up to the newest", () => {
    expect(resolveLighttpdVersion("1.4.69")).toEqual({ version: "1.4.69" });
    expect(resolveLighttpdVersion(" 1.4.85 ")).toEqual({ version: "1.4.85" });
  });
  it.each(["1.4", "banana", "", "1.4.86", "2.0.0", "1.3.16", "1.4.x"])("refuses %j naming the known releases", (v) => {
    const r = resolveLighttpdVersion(v);
    expect("error" in r && r.error).toMatch(/1\.4\.0 to 1\.4\.85.*1\.4\.59/);
  });
  it("is applied to the editor's settings", () => {
    const { settings, problems } = readClientSettings({ lighttpdVersion: "1.4" });
    expect(settings.lighttpdVersion).toBeUndefined();
    expect(problems.join()).toMatch(/lighttpdVersion.*"1\.4" is not a lighttpd release/);
  });
});

describe("version-true syntax and dump", () => {
  const dump = (text: string, version: string) => {
    const file = "/virtual/v.conf";
    const config = evaluate(file, { version, cwd: "/", pid: 7, readFile: (f) => (f === file ? Buffer.from(text) : undefined) });
    return dumpConfig(config);
  };
  it("refuses =^ before 1.4.65 and accepts it after", () => {
    const text = 'x = 1\n$HTTP["url"] =^ "/a" { x = 2 }\n';
    expect(
      parseConfig(text, { version: "1.4.63" })
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/needs lighttpd 1\.4\.65/);
    expect(parseConfig(text, { version: "1.4.65" }).problems).toEqual([]);
  });
  it('keeps =~ "^/a" as written before 1.4.65, simplifies it from 1.4.65, prints `if` from 1.4.74', () => {
    const text = '$HTTP["url"] =~ "^/a" { server.tag = "a" }\n';
    expect(dump(text, "1.4.63")).toContain('    $HTTP["url"] =~ "^/a" {');
    expect(dump(text, "1.4.69")).toContain('    $HTTP["url"] =^ "/a" {');
    expect(dump(text, "1.4.74")).toContain('    if $HTTP["url"] =^ "/a" {');
  });
  it("prints var.PID first and array counts before 1.4.60", () => {
    const out = dump('x = ("a" => "1", "b" => "2")\n', "1.4.59");
    expect(out.indexOf("var.PID")).toBeLessThan(out.indexOf("var.CWD"));
    expect(out).toContain("        # 2\n");
    expect(dump('x = ("a" => "1", "b" => "2")\n', "1.4.63")).not.toContain("# 2");
  });
  it("makes a dropped token a refusal before 1.4.69 only", () => {
    const text = 'server.tag = "a"\n}\n';
    expect(
      parseConfig(text, { version: "1.4.63" })
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/refuses this file/);
    expect(parseConfig(text, { version: "1.4.69" }).problems).toEqual([]);
  });
  it("states each fact once", () => {
    expect(languageFeatures("1.4.64").prefixSuffixConditions).toBe(false);
    expect(dumpFormat("1.4.73").ifKeyword).toBe(false);
  });
});

describe("the installed lighttpd's version", () => {
  // Fresh module instances: each probe has its own cache.
  const fresh = async () => {
    vi.resetModules();
    return import("../src/util/version.js");
  };
  it("is the same whether probed in the background (CLI start-up) or blocking", async () => {
    const blocking = (await fresh()).detectInstalledVersion();
    const m = await fresh();
    await m.probeInstalledVersion();
    expect(m.detectInstalledVersion()).toBe(blocking);
    if (m.installedBinary()) expect(blocking).toMatch(/^1\.4\.\d+$/);
    else expect(blocking).toBeUndefined();
  });
  it("is probed once however often it is asked", async () => {
    const m = await fresh();
    const a = m.probeInstalledVersion();
    expect(m.probeInstalledVersion()).toBe(a);
    await a;
    const after = m.detectInstalledVersion();
    expect(m.detectInstalledVersion()).toBe(after);
  });
});
