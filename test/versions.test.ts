/** Target versions: validation (CLI, .lighttpd-lint.json, LSP settings) and the version-dependent facts. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { describeWithLighttpd } from "./helpers/lighttpd.js";
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
  // Fresh module instances (each has its own memory) and a cache directory of this test's own.
  let cacheHome: string;
  beforeEach(() => {
    cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-version-cache-"));
    vi.stubEnv("XDG_CACHE_HOME", cacheHome);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(cacheHome, { recursive: true, force: true });
  });
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

  describeWithLighttpd("remembered between runs", () => {
    it("is stored after a probe, answered from the store, and probed again when the binary's identity differs", async () => {
      const m = await fresh();
      const version = m.detectInstalledVersion();
      expect(version).toMatch(/^1\.4\.\d+$/);
      const file = m.versionCacheFile() ?? "";
      expect(file.startsWith(cacheHome)).toBe(true);
      const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { binary: string; identity: string; version: string };
      expect(stored).toMatchObject({ binary: m.installedBinary(), version });

      // A stored answer is used as it is: a plausible but different version proves where it came from.
      const other = version === "1.4.59" ? "1.4.63" : "1.4.59";
      fs.writeFileSync(file, JSON.stringify({ ...stored, version: other }));
      expect((await fresh()).detectInstalledVersion()).toBe(other);
      const background = await fresh();
      await background.probeInstalledVersion();
      expect(background.detectInstalledVersion()).toBe(other);

      // Another identity (a replaced binary) or a malformed store: `lighttpd -v` decides again, and is stored.
      for (const bad of [JSON.stringify({ ...stored, identity: "0:0:0:0:0", version: other }), "{", JSON.stringify({ ...stored, version: "1.4" })]) {
        fs.writeFileSync(file, bad);
        expect((await fresh()).detectInstalledVersion()).toBe(version);
        expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(stored);
      }
    });
  });
});
