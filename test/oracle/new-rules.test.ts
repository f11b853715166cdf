/**
 * The claims of issue 15's rules about lighttpd, checked against the real binary: what the rule
 * calls refused, `lighttpd -tt` refuses; what it calls ignored, lighttpd warns about; and what it
 * leaves alone, lighttpd accepts.
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { beforeAll, expect, it } from "vitest";
import { lint } from "../../src/linter.js";
import { HEAD, oracleCases } from "../helpers/oracle-cases.js";
import { describeWithLighttpd, repoRoot, runLighttpd } from "../helpers/lighttpd.js";

const { tmp, write, findings } = oracleCases("new-rules");

/** lighttpd aborted on its config parser's assertion (SIGABRT: no exit status). */
function aborted(file: string): boolean {
  const r = runLighttpd("-tt", file);
  return r.status === null && /configs_stack\.used/.test(r.stderr);
}

/** `levels` nested blocks; with elseChain every `every`-th one is opened by `} else $COND {` (a plain `else` when plainElse). */
function nested(levels: number, opts: { elseChain?: boolean; every?: number; plainElse?: boolean; inner?: string } = {}): string {
  let open = "";
  let close = "";
  for (let i = 1; i <= levels; i++) {
    const viaElse = opts.elseChain && i % (opts.every ?? 1) === 0;
    const branch = opts.plainElse ? "else" : `else $HTTP["url"] =^ "/a${i}"`;
    open += viaElse ? `$HTTP["url"] =^ "/b${i}" { } ${branch} {\n` : `$HTTP["url"] =^ "/a${i}" {\n`;
    close += "}\n";
  }
  return `${HEAD}${open}${opts.inner ?? ""}\n${close}`;
}

describeWithLighttpd("condition-nesting agrees with lighttpd's parser stack", () => {
  const shapes: [string, string][] = [];
  for (const n of [30, 31, 32, 33]) shapes.push([`${n} plain blocks`, nested(n)]);
  for (const n of [15, 16]) shapes.push([`${n} else $COND blocks`, nested(n, { elseChain: true })]);
  for (const n of [28, 29]) shapes.push([`${n} blocks around a list of lists`, nested(n, { inner: 'var.x = ( "a" => ( "b" => ( "c" => "d" ) ) )' })]);
  for (const n of [30, 31]) shapes.push([`${n} blocks around an expression`, nested(n, { inner: 'server.tag = "x" + "y" + "z"' })]);
  for (const n of [20, 21, 22, 23]) shapes.push([`${n} blocks, every 2nd opened by else $COND`, nested(n, { elseChain: true, every: 2 })]);
  for (const n of [15, 16, 17, 18]) shapes.push([`${n} blocks, each opened by a plain else`, nested(n, { elseChain: true, plainElse: true })]);
  for (const [name, text] of shapes) {
    it(`${name}: the rule fires exactly when lighttpd aborts`, () => {
      const fires = findings(text, "condition-nesting").length > 0;
      expect(fires).toBe(aborted(write(text)));
    });
  }
  it("both outcomes occur among the shapes (the test can fail)", () => {
    const verdicts = shapes.map(([, text]) => findings(text, "condition-nesting").length > 0);
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});

describeWithLighttpd('invalid-condition: a $SERVER["socket"] port out of range', () => {
  for (const [value, refused] of [
    [":70000", true],
    [":0", true],
    [":65535", false],
    [":8081", false],
  ] as const) {
    it(`${value}: ${refused ? "refused by -tt, and reported" : "accepted, and not reported"}`, () => {
      const text = `${HEAD}$SERVER["socket"] == "${value}" { }\n`;
      const r = runLighttpd("-tt", write(text));
      expect(r.status !== 0).toBe(refused);
      if (refused) expect(r.stderr).toMatch(/port not set or out of range/);
      expect(findings(text, "invalid-condition").length > 0).toBe(refused);
    });
  }
});

describeWithLighttpd("wrong-dialect: lighttpd refuses every firing fixture, and it is the only finding", () => {
  const dir = path.join(repoRoot, "fixtures", "wrong-dialect");
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".conf") && !n.startsWith("good"))) {
    it(name, () => {
      const file = path.join(dir, name);
      const r = runLighttpd("-tt", file);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/parser failed/);
      const result = lint(file, { project: { lighttpdVersion: "1.4.69", rules: {} } });
      const own = result.files.find((f) => f.filePath === file)!.diagnostics;
      expect(own.map((d) => d.ruleId)).toEqual(["wrong-dialect"]);
    });
  }
});

describeWithLighttpd("startup-warning: one finding per warning lighttpd -tt prints", () => {
  const dir = path.join(repoRoot, "fixtures", "startup-warning");
  const warning = /please add "mod_openssl"|please add "mod_authn_file"|please use server\.use-ipv6 only for hostnames|event-handler in unknown or not supported/;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".conf"))) {
    it(name, () => {
      const file = path.join(dir, name);
      const r = runLighttpd("-tt", file);
      const printed = r.stderr.split("\n").filter((l) => warning.test(l)).length;
      const result = lint(file, { project: { lighttpdVersion: "1.4.69", rules: {} } });
      const own = result.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "startup-warning");
      expect(own.length).toBe(printed);
      if (name.startsWith("good")) expect(printed).toBe(0);
      else expect(printed).toBeGreaterThan(0);
    });
  }
});

describeWithLighttpd("ssl-engine-without-pemfile: lighttpd -tt refuses what the rule reports", () => {
  const dir = path.join(repoRoot, "fixtures", "ssl-engine-without-pemfile");
  // A real certificate for the global scope, so that lighttpd gets as far as the listener's block.
  let pem = "";
  beforeAll(() => {
    pem = path.join(tmp, "server.pem");
    const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout", pem, "-out", pem], {
      encoding: "utf8",
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
    fs.chmodSync(pem, 0o644);
  });
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".conf") && !n.startsWith("good"))) {
    it(name, () => {
      const file = path.join(dir, name);
      const r = runLighttpd("-tt", write(fs.readFileSync(file, "utf8").replaceAll("/etc/lighttpd/server.pem", pem)));
      expect(r.status).not.toBe(0);
      // mod_openssl stops at the first listener it refuses; each fixture has one.
      const printed = r.stderr.split("\n").filter((l) => /ssl\.pemfile has to be set/.test(l)).length;
      const result = lint(file, { project: { lighttpdVersion: "1.4.69", rules: {} } });
      const own = result.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "ssl-engine-without-pemfile");
      expect(own.length).toBe(printed);
    });
  }
  it("a block with only ssl.engine inherits the global certificate: no refusal about it, no finding", () => {
    const text = `${HEAD}server.modules = ( "mod_openssl" )\nssl.pemfile = "/nonexistent/server.pem"\n$SERVER["socket"] == "127.0.0.1:8443" { ssl.engine = "enable" }\n`;
    const r = runLighttpd("-tt", write(text));
    expect(r.stderr).not.toMatch(/ssl\.pemfile has to be set/);
    expect(findings(text, "ssl-engine-without-pemfile")).toEqual([]);
  });
});

describeWithLighttpd("proxy-header-key: lighttpd -tt refuses an unknown proxy.header key and accepts the known ones", () => {
  const dir = path.join(repoRoot, "fixtures", "proxy-header-key");
  it("typo.conf is refused, and reported", () => {
    const file = path.join(dir, "typo.conf");
    const r = runLighttpd("-tt", file);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unexpected key for proxy\.header/);
    expect(findings(fs.readFileSync(file, "utf8"), "proxy-header-key").length).toBeGreaterThan(0);
  });
  it("good.conf (known keys) is accepted, and not reported", () => {
    const file = path.join(dir, "good.conf");
    expect(runLighttpd("-tt", file).status).toBe(0);
    expect(findings(fs.readFileSync(file, "utf8"), "proxy-header-key")).toEqual([]);
  });
});
