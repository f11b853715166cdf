/** The evaluator's semantics, each checked against what lighttpd 1.4.69's configparser.y does. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate } from "../src/eval/evaluate.js";
import { dumpConfig } from "../src/eval/dump.js";
import { rules } from "../rules/index.js";
import type { Context, EvaluateOptions, EvaluatedConfig, StringValue, Value } from "../src/eval/model.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "lint-eval-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** Writes `files` (the first is the main config) into a fresh directory and evaluates the main one. */
function run(files: Record<string, string> | string, options: Partial<EvaluateOptions> = {}): EvaluatedConfig & { dir: string; mainFile: string } {
  const dir = path.join(root, `case${counter++}`);
  fs.mkdirSync(dir, { recursive: true });
  const all = typeof files === "string" ? { "main.conf": files } : files;
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const mainFile = path.join(dir, Object.keys(all)[0]);
  const config = evaluate(mainFile, { version: "1.4.69", cwd: dir, env: {}, pid: 4242, ...options });
  return Object.assign(config, { dir, mainFile });
}

const ids = (c: EvaluatedConfig) => c.diagnostics.map((d) => d.ruleId);
/** The evaluator states no severity: a finding's is its rule's (or its own override). */
const severityOf = (d: EvaluatedConfig["diagnostics"][number]) => d.severity ?? rules.find((r) => r.meta.id === d.ruleId)?.meta.severity;
const errors = (c: EvaluatedConfig) => c.diagnostics.filter((d) => severityOf(d) === "error");

function setting(ctx: Context, key: string): Value | undefined {
  return ctx.settings.get(key.toLowerCase())?.value;
}

function plain(v: Value | undefined): unknown {
  if (!v) return undefined;
  if (v.type === "string" || v.type === "integer") return v.value;
  if (v.type === "array") return v.items.map((i) => (i.key !== undefined ? [i.key, plain(i.value)] : plain(i.value)));
  return `<unknown: ${v.reason}>`;
}

describe("values and variables", () => {
  it("prefixes names without a dot with var. and reads bare names as var.*", () => {
    const c = run('foo = 1\nbar = foo + 2\nx.y = "a"\nz = x.y\n');
    expect(plain(setting(c.global, "var.foo"))).toBe(1);
    expect(plain(setting(c.global, "var.bar"))).toBe(3);
    expect(plain(setting(c.global, "var.z"))).toBe("a");
    expect(c.diagnostics).toEqual([]);
  });

  it("applies lighttpd's + rules", () => {
    const c = run('a = 1 + 2\nb = "v" + 1\nc = 1 + "2"\nd = ("x") + ("y", "k" => "v")\ne = "a" + "b"\n');
    expect(plain(setting(c.global, "var.a"))).toBe(3);
    expect(plain(setting(c.global, "var.b"))).toBe("v1");
    expect(plain(setting(c.global, "var.c"))).toBe("12");
    expect(setting(c.global, "var.c")?.type).toBe("string");
    expect(plain(setting(c.global, "var.d"))).toEqual(["x", "y", ["k", "v"]]);
    expect(plain(setting(c.global, "var.e"))).toBe("ab");
  });

  it("wraps integer sums like a C int", () => {
    const c = run("a = 2147483647 + 1\n");
    expect(plain(setting(c.global, "var.a"))).toBe(-2147483648);
  });

  it.each([
    ['a = ("x") + "y"\n', "array + string"],
    ['a = "y" + ("x")\n', "string + array"],
    ['a = ("x")\na += "y"\n', "+= string to an array"],
  ])("reports type-mismatch for %j (%s)", (text) => {
    const c = run(text);
    expect(ids(c)).toEqual(["type-mismatch"]);
    expect(c.diagnostics[0].message).toContain("data type mismatch");
  });

  it("reads var.CWD and var.PID", () => {
    const c = run('t = var.CWD + "/" + var.PID\n');
    expect(plain(setting(c.global, "var.t"))).toBe(`${c.dir}/4242`);
  });

  it("reads any earlier key, not only var.*", () => {
    const c = run('server.document-root = "/srv"\nalias.url = ("/x" => server.document-root + "/x")\n');
    expect(plain(setting(c.global, "alias.url"))).toEqual([["/x", "/srv/x"]]);
  });

  it("reports an undefined variable and a variable set only inside a condition", () => {
    const c = run('$HTTP["host"] == "a" {\n  var.x = 1\n}\ny = var.x\nz = nope\n');
    expect(ids(c)).toEqual(["undefined-variable", "undefined-variable"]);
    expect(c.diagnostics[0].message).toContain("visible only inside that block");
    expect(c.diagnostics[1].message).toContain("var.nope");
    const text = fs.readFileSync(c.mainFile, "utf8");
    expect(text.slice(c.diagnostics[1].start, c.diagnostics[1].end)).toBe("nope");
  });

  it("names the first block that sets an undefined variable, also when a later one sets it too", () => {
    // Block 1 sets var.x only after its nested block 2 did, and block 3 sets it too: the message names block 1 (the lowest id).
    const c = run('$HTTP["host"] == "a" {\n  $HTTP["url"] == "/b" {\n    var.x = 1\n  }\n  var.x = 2\n}\n$HTTP["host"] == "c" {\n  var.x = 3\n}\ny = var.x\n');
    expect(ids(c)).toEqual(["undefined-variable"]);
    expect(c.diagnostics[0].message).toContain('set inside block 1 ($HTTP["host"] == "a")');
  });

  it("names the right block for each of many undefined variables (an index, not a scan of every block per finding)", () => {
    const blocks = Array.from({ length: 3000 }, (_, i) => `$HTTP["host"] == "h${i}" {\n  var.v${i} = ${i}\n}\n`).join("");
    const refs = Array.from({ length: 3000 }, (_, i) => `x${i} = var.v${2999 - i}\n`).join("");
    const c = run(blocks + refs);
    expect(c.diagnostics.length).toBe(3000);
    c.diagnostics.forEach((d, i) => expect(d.message).toContain(`set inside block ${3000 - i} `));
  });

  it("explains that -1 is a name, not a number", () => {
    const c = run("server.port = -1\n");
    expect(ids(c)).toEqual(["undefined-variable"]);
    expect(c.diagnostics[0].message).toContain("no negative numbers");
  });

  it("reads env.X from the environment (case-sensitive prefix)", () => {
    const c = run('a = env.HOME_X + "/x"\n', { env: { HOME_X: "/home/u" } });
    expect(plain(setting(c.global, "var.a"))).toBe("/home/u/x");
    const missing = run("a = env.NOPE\n");
    expect(ids(missing)).toEqual(["undefined-variable"]);
    expect(missing.diagnostics[0].message).toContain("Undefined env variable: NOPE");
  });

  it("gives unknown values instead of errors in snippet mode", () => {
    const c = run('a = env.NOPE\nb = var.missing + "x"\n', { snippet: true });
    expect(c.diagnostics).toEqual([]);
    expect(setting(c.global, "var.a")?.type).toBe("unknown");
    expect(setting(c.global, "var.b")?.type).toBe("unknown");
  });

  it("refuses assignments to env.*", () => {
    const c = run('env.FOO = "x"\nenv.BAR += "y"\nENV.OK = 1\n');
    expect(ids(c)).toEqual(["env-assign", "env-assign"]);
    expect(c.diagnostics[1].message).toContain("Appending");
    expect(plain(setting(c.global, "ENV.OK"))).toBe(1);
  });

  it("reports integers lighttpd cannot parse and wraps those past INT_MAX", () => {
    const c = run("a = 99999999999999999999\nb = 4294967296\nc = 2147483648\nd = 0080\n");
    expect(c.diagnostics.map((d) => [d.ruleId, severityOf(d)])).toEqual([
      ["integer-overflow", "error"],
      ["integer-truncated", "warning"],
      ["integer-truncated", "warning"],
    ]);
    expect(plain(setting(c.global, "var.b"))).toBe(0);
    expect(plain(setting(c.global, "var.c"))).toBe(-2147483648);
    expect(plain(setting(c.global, "var.d"))).toBe(80);
  });
});

describe("assignment operators", () => {
  it("reports a second = in the same block, caselessly, with both places and := / += suggestions", () => {
    const c = run('Var.Foo = ("a")\nvar.foo = ("b")\n');
    expect(ids(c)).toEqual(["duplicate-key"]);
    const d = c.diagnostics[0];
    expect(d.message).toMatch(/":=".*"\+="/);
    expect(d.related?.[0].start).toBe(0);
    expect(d.suggestions?.map((s) => s.edits[0].text)).toEqual([":=", "+="]);
    expect(plain(setting(c.global, "var.foo"))).toEqual(["a"]);
  });

  it("does not confuse the same key in different blocks", () => {
    const c = run('server.tag = "a"\n$HTTP["host"] == "x" {\n  server.tag = "b"\n}\n');
    expect(c.diagnostics).toEqual([]);
  });

  it("replaces with := keeping the position, and prints the new spelling", () => {
    const c = run("a = 1\nb = 2\nA := 3\n");
    expect(plain(setting(c.global, "var.a"))).toBe(3);
    expect(dumpConfig(c)).toContain("    var.A   = 3\n    var.b   = 2\n");
  });

  it("+= on a key of the same block moves it last, like array_extract_element", () => {
    const c = run('a = ("x")\nb = 1\nc = 2\nd = 3\na += ("y")\n');
    const order = c.global.printOrder!.map((s) => s.printedKey ?? s.key);
    expect(order).toEqual(["var.CWD", "var.PID", "var.d", "var.b", "var.c", "var.a"]);
    expect(plain(setting(c.global, "var.a"))).toEqual(["x", "y"]);
  });

  it("+= in a condition merges a copy of the enclosing value; the parent keeps its value", () => {
    const c = run('m = ("a")\n$HTTP["host"] == "x" {\n  m += ("b")\n}\n');
    expect(plain(setting(c.global, "var.m"))).toEqual(["a"]);
    expect(plain(setting(c.contexts[1], "var.m"))).toEqual(["a", "b"]);
  });

  it("+= and := on an unset key assign", () => {
    const c = run('a += ("x")\nb := "y"\n');
    expect(plain(setting(c.global, "var.a"))).toEqual(["x"]);
    expect(plain(setting(c.global, "var.b"))).toBe("y");
    expect(c.diagnostics).toEqual([]);
  });

  it("records every assignment site", () => {
    const c = run('a = ("x")\na += ("y")\na := ("z")\n');
    expect(c.global.settings.get("var.a")!.sites.map((s) => s.operator)).toEqual(["=", "+=", ":="]);
  });
});

describe("arrays", () => {
  it("reports duplicate keys in one literal, caselessly", () => {
    const c = run('a = ("k" => 1, "K" => 2)\n');
    expect(ids(c)).toEqual(["duplicate-array-key"]);
    expect(c.diagnostics[0].related?.[0].message).toContain('"k"');
  });

  it("ignores a duplicate key with an equal value when merging, refuses a different one", () => {
    const ok = run('a = ("k" => "v")\na += ("k" => "v")\n');
    expect(ok.diagnostics).toEqual([]);
    expect(plain(setting(ok.global, "var.a"))).toEqual([["k", "v"]]);
    const bad = run('a = ("k" => "v")\na += ("K" => "w")\n');
    expect(ids(bad)).toEqual(["duplicate-array-key"]);
  });

  it("turns integer keys into strings", () => {
    const c = run('a = (1 => "x")\n');
    expect(plain(setting(c.global, "var.a"))).toEqual([["1", "x"]]);
  });

  it("appends many times in linear time", () => {
    const lines = ['m = ("k0" => 0)'];
    for (let i = 1; i < 20000; i++) lines.push(`m += ("k${i}" => ${i})`);
    const start = performance.now();
    const c = run(`${lines.join("\n")}\n`);
    expect((setting(c.global, "var.m") as { items: unknown[] }).items).toHaveLength(20000);
    expect(performance.now() - start).toBeLessThan(15000);
  });
});

describe("provenance", () => {
  it("keeps the literal behind a value built from a variable", () => {
    const text = 'var.sock_dir = "/tmp"\nfastcgi.server = (".php" => (("socket" => var.sock_dir + "/php.sock")))\n';
    const c = run(text);
    const fcgi = setting(c.global, "fastcgi.server");
    if (fcgi?.type !== "array") throw new Error("expected an array");
    const inner = fcgi.items[0].value;
    if (inner.type !== "array" || inner.items[0].value.type !== "array") throw new Error("expected nested arrays");
    const socket = inner.items[0].value.items[0].value as StringValue;
    expect(socket.value).toBe("/tmp/php.sock");
    expect(socket.parts).toHaveLength(2);
    const fromVar = socket.parts![0];
    expect(fromVar.fromVariable).toBe("var.sock_dir");
    expect(text.slice(fromVar.origin!.start, fromVar.origin!.end)).toBe('"/tmp"');
    expect(text.slice(socket.origin!.start, socket.origin!.end)).toBe('var.sock_dir + "/php.sock"');
  });
});

describe("conditions", () => {
  it("merges identical conditions (caselessly) into one block, and finds duplicates across them", () => {
    const c = run('$HTTP["url"] =~ "^/A" {\n  a = 1\n}\n$HTTP["url"] =~ "^/a" {\n  a = 2\n}\n');
    expect(c.contexts).toHaveLength(2);
    expect(c.contexts[1].branches).toHaveLength(2);
    expect(c.contexts[1].condition!.sites).toHaveLength(2);
    expect(ids(c)).toEqual(["duplicate-key"]);
  });

  it("keeps variables set in a condition inside it", () => {
    const c = run('$HTTP["host"] == "a" {\n  v = 1\n  w = v + 1\n}\n');
    expect(plain(setting(c.contexts[1], "var.w"))).toBe(2);
    expect(c.global.settings.has("var.v")).toBe(false);
  });

  it("simplifies anchored regexes like configparser_simplify_regex", () => {
    const c = run('$HTTP["url"] =~ "^/a" {}\n$HTTP["url"] =~ "\\.php$" {}\n$HTTP["url"] =~ "^/x$" {}\n$HTTP["url"] =~ "^/b.*" {}\n$SERVER["socket"] =~ "^:80" {}\n');
    expect(c.contexts.slice(1).map((x) => x.condition!.text)).toEqual([
      '$HTTP["url"] =^ "/a"',
      '$HTTP["url"] =$ ".php"',
      '$HTTP["url"] == "/x"',
      '$HTTP["url"] =~ "^/b.*"',
      '$SERVER["socket"] =~ "^:80"',
    ]);
    expect(c.contexts[1].condition!.writtenOp).toBe("=~");
    expect(c.contexts[1].condition!.value).toBe("^/a");
  });

  it("gives an else the negated condition and links the chain", () => {
    const c = run('$HTTP["url"] =^ "/a" {\n} else $HTTP["host"] == "h" {\n} else {\n}\n');
    const [, first, second, third] = c.contexts;
    expect(second.isElse).toBe(true);
    expect(third.condition!.op).toBe("!=");
    expect(third.condition!.text).toBe('$HTTP["host"] != "h"');
    expect(first.next).toBe(second);
    expect(second.next).toBe(third);
    expect(third.prev).toBe(second);
  });

  it("merges a later condition into the else block it equals", () => {
    const c = run('$HTTP["url"] == "/a" {\n} else {\n  x = 1\n}\n$HTTP["url"] != "/a" {\n  y = 2\n}\n');
    expect(c.contexts).toHaveLength(3);
    expect(plain(setting(c.contexts[2], "var.y"))).toBe(2);
  });

  it("reports unreachable else branches", () => {
    const afterCatchAll = run('$HTTP["url"] == "/a" {\n} else {\n} else $HTTP["url"] == "/b" {\n}\n');
    expect(ids(afterCatchAll)).toEqual(["unreachable-else"]);
    const repeated = run('$HTTP["url"] == "/a" {\n} else $HTTP["url"] == "/a" {\n}\n');
    expect(ids(repeated)).toEqual(["unreachable-else"]);
    const earlier = run('$HTTP["url"] == "/b" {\n}\n$HTTP["url"] == "/a" {\n} else $HTTP["url"] == "/b" {\n}\n');
    expect(ids(earlier)).toEqual(["unreachable-else"]);
    const negationExists = run('$HTTP["url"] != "/a" {\n}\n$HTTP["url"] == "/a" {\n} else {\n}\n');
    expect(ids(negationExists)).toEqual(["unreachable-else"]);
  });

  it.each([
    ['$HTTP["Host"] == "a" {\n}\n', "comp_key"],
    ['$PHYSICAL["path"] == "a" {\n}\n', "comp_key"],
    ['$SERVER["port"] == "80" {\n}\n', "comp_key"],
    ['$HTTP["host"] == 5 {\n}\n', "rvalue must be string"],
    ['global {\n  $HTTP["host"] == "a" {\n  }\n}\n', "global"],
    ['$HTTP["remoteip"] == "abc" {\n}\n', "invalid IP addr"],
    ['$HTTP["host"] == "a:99999" {\n}\n', "invalid IP addr"],
  ])("reports invalid-condition for %j", (text, fragment) => {
    const c = run(text);
    expect(ids(c)).toEqual(["invalid-condition"]);
    expect(c.diagnostics[0].message).toContain(fragment);
  });

  it("accepts every known condition field", () => {
    const fields = ["url", "host", "referer", "useragent", "user-agent", "language", "cookie", "remoteip", "remote-ip", "querystring", "query-string", "request-method", "scheme"];
    const text = `${fields.map((f) => `$HTTP["${f}"] =~ "x" {}`).join("\n")}\n$SERVER["socket"] == ":80" {}\n$REQUEST_HEADER["X-Any"] == "1" {}\n$HTTP["remoteip"] == "10.0.0.0/8" {}\n`;
    expect(run(text).diagnostics).toEqual([]);
  });

  it("keeps blocks nested in a condition with an unknown value apart", () => {
    const c = run('include_shell "true"\n$HTTP["host"] == var.maybe {\n  $HTTP["url"] == "/a" {\n    x = 1\n  }\n}\n$HTTP["url"] == "/a" {\n  x = 2\n}\n');
    expect(ids(c)).toEqual(["include-shell-skipped"]);
    expect(c.contexts).toHaveLength(4);
  });

  it("reports more than 4095 distinct condition blocks, once", () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => `$HTTP["host"] == "h${i}" {}`).join("\n") + "\n";
    expect(run(blocks(4095)).diagnostics).toEqual([]);
    const c = run(blocks(4097));
    expect(ids(c)).toEqual(["too-many-conditions"]);
  });
});

describe("includes", () => {
  it("resolves relative includes against the main config's directory, even from nested files", () => {
    const c = run({ "main.conf": 'include "sub/a.conf"\n', "sub/a.conf": 'include "b.conf"\na = 1\n', "b.conf": "b = 2\n" });
    expect(c.diagnostics).toEqual([]);
    expect(plain(setting(c.global, "var.b"))).toBe(2);
    const files = [...c.files.values()];
    expect(files.map((f) => path.basename(f.path))).toEqual(["main.conf", "a.conf", "b.conf"]);
    expect(files[2].includeChain).toHaveLength(2);
  });

  it("resolves ./ and ../ against the working directory", () => {
    const c = run({ "conf/main.conf": 'include "./x.conf"\n', "x.conf": "x = 1\n", "conf/x.conf": "x = 2\n" });
    expect(plain(setting(c.global, "var.x"))).toBe(1);
  });

  it("reads globs in sorted order and brace alternatives in their order", () => {
    const c = run({
      "main.conf": 'include "d/*.conf"\ninclude "{z,a}.inc"\n',
      "d/b.conf": 'l += ("b")\n',
      "d/a.conf": 'l = ("a")\n',
      "d/.hidden.conf": 'l += ("h")\n',
      "z.inc": 'l += ("z")\n',
      "a.inc": 'l += ("a2")\n',
    });
    expect(plain(setting(c.global, "var.l"))).toEqual(["a", "b", "z", "a2"]);
  });

  it("accepts a glob that matches nothing and reports a missing plain file", () => {
    const c = run('include "none/*.conf"\ninclude "{x,y}.conf"\ninclude "missing.conf"\n');
    expect(ids(c)).toEqual(["include-not-found"]);
    expect(c.diagnostics[0].message).toContain("missing.conf");
  });

  it("evaluates an included file inside the block of its include statement", () => {
    const c = run({ "main.conf": '$HTTP["host"] == "a" {\n  include "in.conf"\n}\n', "in.conf": "x = 1\n" });
    expect(plain(setting(c.contexts[1], "var.x"))).toBe(1);
  });

  it("detects include cycles", () => {
    const c = run({ "main.conf": 'include "a.conf"\n', "a.conf": 'include "main.conf"\nx = 1\n' });
    expect(ids(c)).toEqual(["include-cycle"]);
  });

  it("reports problems in included files at their place, with the include chain", () => {
    const c = run({ "main.conf": 'x = 1\ninclude "a.conf"\n', "a.conf": "\nx = 2\n" });
    expect(ids(c)).toEqual(["duplicate-key"]);
    const d = c.diagnostics[0];
    expect(path.basename(d.file)).toBe("a.conf");
    expect(d.start).toBe(1);
    expect(d.related?.map((r) => path.basename(r.file))).toEqual(["main.conf", "main.conf"]);
    expect(d.related?.[1].message).toMatch(/included from main.conf:2/);
  });

  it("never runs include_shell unless allowed; what follows it is unknown, not an error", () => {
    const c = run('include_shell "echo x = 1"\ny = x + 1\n');
    expect(c.diagnostics.map((d) => [d.ruleId, severityOf(d)])).toEqual([["include-shell-skipped", "info"]]);
    expect(c.incomplete).toBe(true);
    expect(setting(c.global, "var.y")?.type).toBe("unknown");
  });

  it("runs include_shell when allowed, in the main config's directory", () => {
    const c = run(`${String.raw`include_shell "printf 'd = \"%s\"\n' \"$(pwd)\""`}\n`, { allowIncludeShell: true, env: { PATH: process.env.PATH } });
    expect(c.diagnostics).toEqual([]);
    expect(plain(setting(c.global, "var.d"))).toBe(fs.realpathSync(c.dir));
    const failing = run('include_shell "exit 3"\n', { allowIncludeShell: true, env: { PATH: process.env.PATH } });
    expect(ids(failing)).toEqual(["include-not-found"]);
  });
});

describe("robustness", () => {
  it("never throws", () => {
    const inputs = ["", "}", "$", 'a = ( "x" => )', "include", '$HTTP["url"] == "/" { else {', "a += b +", "\u0000x", "global { global {} }", 'x = (1 => 2, 1 => 3) + "s"'];
    for (const text of inputs) expect(() => run(text)).not.toThrow();
    expect(() => evaluate(path.join(root, "does-not-exist.conf"), { version: "1.4.69" })).not.toThrow();
    const missing = evaluate(path.join(root, "does-not-exist.conf"), { version: "1.4.69" });
    expect(ids(missing)).toEqual(["include-not-found"]);
    expect(errors(evaluate(root, { version: "1.4.69" }))).toHaveLength(1);
  });
});
