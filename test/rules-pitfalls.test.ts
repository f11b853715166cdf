import { spawnSync } from "node:child_process";
/**
 * The documented-pitfall and security rules, for what fixtures cannot express: values built from
 * variables, literals shared with other settings, unknown values, fix idempotence, and the small
 * pure helpers the rules rely on.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintText, type LintOptions } from "../src/linter.js";
import { fixConfig } from "../src/fix/fix-files.js";
import { appendToArray, moveElementBefore } from "../src/engine/config-query.js";
import { parseConfig } from "../src/parse/parse.js";
import type { ArrayNode, AssignmentNode } from "../src/ast/nodes.js";
import type { Rule } from "../src/engine/types.js";
import socketInTmp from "../rules/socket-in-tmp.js";
import aliasOrder from "../rules/alias-order.js";
import checkLocal from "../rules/check-local.js";
import rootScriptname from "../rules/root-scriptname.js";
import statusPage from "../rules/status-page-unprotected.js";
import usernameUnset from "../rules/server-username-unset.js";
import debugEnabled from "../rules/debug-enabled.js";
import tlsOutdated, { weakCipherTokens } from "../rules/tls-outdated.js";
import { prefixWithoutBoundary } from "../rules/rewrite-prefix-boundary.js";
import { scriptOfTarget } from "../rules/rewrite-unrouted.js";
import { isForeignDaemonSocket } from "../rules/backend-address.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-rules-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEAD = 'server.document-root = "/tmp"\nserver.modules = ("mod_fastcgi", "mod_alias", "mod_status")\n';

function run(rule: Rule, text: string, extra: LintOptions = {}) {
  const file = path.join(tmp, "lighttpd.conf");
  const result = lintText(text, file, { rules: [rule], project: { lighttpdVersion: "1.4.69", rules: {} }, ...extra });
  return result.files.flatMap((f) => f.diagnostics.map((d) => ({ ...d, text: f.text.slice(d.start, d.end) })));
}

function fixed(rule: Rule, text: string, suggestions = false): string {
  const file = path.join(tmp, `fix-${Math.random().toString(36).slice(2)}.conf`);
  fs.writeFileSync(file, text);
  const r = fixConfig(file, { rules: [rule], project: { lighttpdVersion: "1.4.69", rules: {} } }, suggestions);
  return r.changed[0]?.fixed ?? text;
}

describe("socket-in-tmp", () => {
  it("follows a socket built from a variable and fixes the variable's literal", () => {
    const text =
      HEAD + 'server.username = "www-data"\nvar.dir = "/tmp"\nfastcgi.server = ( ".php" => (( "bin-path" => "/usr/bin/php-cgi", "socket" => var.dir + "/php.sock" )) )\n';
    const found = run(socketInTmp, text);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('"/tmp/php.sock"');
    expect(found[0].fix).toBeDefined();
    expect(fixed(socketInTmp, text)).toBe(text.replace('var.dir = "/tmp"', 'var.dir = "/run/lighttpd"'));
  });

  it("only suggests moving a socket lighttpd does not create (no bin-path), naming the daemon's side", () => {
    const text = HEAD + 'fastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock" )) )\n';
    const [d] = run(socketInTmp, text);
    expect(d.fix).toBeUndefined();
    expect(d.suggestions?.[0].edits[0].text).toBe("/run/lighttpd");
    for (const m of [d.message, d.suggestions![0].description]) expect(m).toMatch(/spawn-fcgi -s.*php-fpm "listen =".*bindAddress.*uwsgi --socket/);
    expect(fixed(socketInTmp, text)).toBe(text);
    expect(fixed(socketInTmp, text, true)).toContain('"/run/lighttpd/php.sock"');
  });

  it("moves a bin-path socket to the default /run/lighttpd only for Debian's www-data (else a suggestion)", () => {
    const text = (user: string) => HEAD + user + 'fastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock", "bin-path" => "/usr/bin/php-cgi" )) )\n';
    expect(run(socketInTmp, text('server.username = "www-data"\n'))[0].fix).toBeDefined();
    for (const u of ["", 'server.username = "nobody"\n']) {
      const [d] = run(socketInTmp, text(u));
      expect(d.fix).toBeUndefined();
      expect(d.suggestions).toHaveLength(1);
      expect(d.message).toMatch(/a suggestion only \(or name the directory with --socket-dir\)/);
    }
  });

  it("says where the socket directory must come from", () => {
    const text = HEAD + 'server.username = "lighttpd"\nfastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock", "bin-path" => "/usr/bin/php-cgi" )) )\n';
    expect(run(socketInTmp, text)[0].message).toContain('tmpfiles.d line "d /run/lighttpd 0750 lighttpd lighttpd -"');
  });

  it("--check-fs: a missing socket directory makes the bin-path move a suggestion; an external socket's state is told", () => {
    const sockDir = path.join(tmp, "no-such-dir");
    const spawned = HEAD + 'fastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock", "bin-path" => "/usr/bin/php-cgi" )) )\n';
    const [d] = run(socketInTmp, spawned, { project: { lighttpdVersion: "1.4.69", socketDir: sockDir, checkFs: true, rules: {} } });
    expect(d.fix).toBeUndefined();
    expect(d.suggestions).toHaveLength(1);
    expect(d.message).toContain(`${sockDir} does not exist here`);
    const stale = path.join("/tmp", `lighttpd-lint-stale-${process.pid}.sock`);
    fs.rmSync(stale, { force: true });
    const external = (p: string) => HEAD + `fastcgi.server = ( ".php" => (( "socket" => "${p}" )) )\n`;
    const opts = { project: { lighttpdVersion: "1.4.69", checkFs: true, rules: {} } };
    expect(run(socketInTmp, external(stale), opts)[0].message).toContain("does not exist now");
    // a process binds the socket and dies: the file stays, nothing listens
    spawnSync(process.execPath, ["-e", `require("net").createServer().listen(process.argv[1], () => process.kill(process.pid, "SIGKILL"))`, stale], { timeout: 10_000 });
    try {
      expect(run(socketInTmp, external(stale), opts)[0].message).toContain("nothing listens on it (a stale socket)");
    } finally {
      fs.rmSync(stale, { force: true });
    }
  });

  it("only suggests the change when the variable's literal is also used for something else", () => {
    const text = HEAD + 'var.dir = "/tmp"\nserver.upload-dirs = ( var.dir )\nfastcgi.server = ( ".php" => (( "socket" => var.dir + "/php.sock" )) )\n';
    const [d] = run(socketInTmp, text);
    expect(d.fix).toBeUndefined();
    expect(d.suggestions?.[0].edits[0].text).toBe("/run/lighttpd");
  });

  it("uses the configured socket directory and keeps the file name", () => {
    const text = HEAD + 'fastcgi.server = ( ".php" => (( "socket" => "/var/tmp/sub/php.sock", "bin-path" => "/usr/bin/php-cgi" )) )\n';
    const file = path.join(tmp, "sockdir.conf");
    fs.writeFileSync(file, text);
    const r = fixConfig(file, { rules: [socketInTmp], project: { lighttpdVersion: "1.4.69", socketDir: "/srv/sockets/", rules: {} } });
    expect(r.changed[0].fixed).toContain('"socket" => "/srv/sockets/php.sock"');
  });

  it("does not guess when the path is unknown (snippet with an undefined variable)", () => {
    const text = 'fastcgi.server = ( ".php" => (( "socket" => var.undefined_dir + "/php.sock" )) )\n';
    expect(run(socketInTmp, text, { snippet: true })).toEqual([]);
  });

  it("does not fire for /tmpfiles or for sockets outside /tmp", () => {
    const text = HEAD + 'fastcgi.server = ( ".php" => (( "socket" => "/tmpx/php.sock" )), ".py" => (( "socket" => "/run/x/tmp/py.sock" )) )\n';
    expect(run(socketInTmp, text)).toEqual([]);
  });
});

describe("fixes are idempotent", () => {
  const cases: [string, Rule, string][] = [
    ["check-local", checkLocal, HEAD + 'fastcgi.server = ( "/app" => (( "socket" => "/run/a.sock" )) )\n'],
    ["root-scriptname", rootScriptname, HEAD + 'fastcgi.server = ( "/" => (\n  "a" => (\n    "socket" => "/run/a.sock",\n    "check-local" => "disable",\n  ),\n) )\n'],
    ["alias-order", aliasOrder, HEAD + 'alias.url = (\n  "/a" => "/srv/a", # first\n  "/ab" => "/srv/ab"\n)\n'],
  ];
  for (const [name, rule, text] of cases) {
    it(`${name}: a second fix pass changes nothing and the finding is gone`, () => {
      const once = fixed(rule, text);
      expect(once).not.toBe(text);
      expect(fixed(rule, once)).toBe(once);
      expect(run(rule, once)).toEqual([]);
    });
  }

  it("alias-order moves the whole line with its comment and adds the missing comma", () => {
    const text = HEAD + 'alias.url = (\n  "/a" => "/srv/a", # first\n  "/ab" => "/srv/ab"\n)\n';
    expect(fixed(aliasOrder, text)).toBe(HEAD + 'alias.url = (\n  "/ab" => "/srv/ab",\n  "/a" => "/srv/a", # first\n)\n');
  });
});

describe("array edits keep the layout", () => {
  function firstArray(src: string): { text: string; array: ArrayNode } {
    const parsed = parseConfig(src, { version: "1.4.69" });
    const a = parsed.tree.body[0] as AssignmentNode;
    return { text: src, array: a.value!.operands[0] as ArrayNode };
  }
  const apply = (text: string, e: { range: [number, number]; text: string }) => text.slice(0, e.range[0]) + e.text + text.slice(e.range[1]);

  it("appends on one line, after a trailing comma, and on a new indented line", () => {
    let { text, array } = firstArray('x = ( "a" => 1 )\n');
    expect(apply(text, appendToArray(text, array, '"b" => 2')!)).toBe('x = ( "a" => 1, "b" => 2 )\n');
    ({ text, array } = firstArray('x = ( "a" => 1, )\n'));
    expect(apply(text, appendToArray(text, array, '"b" => 2')!)).toBe('x = ( "a" => 1, "b" => 2, )\n');
    ({ text, array } = firstArray('x = (\n    "a" => 1,\n    "c" => 3\n)\n'));
    expect(apply(text, appendToArray(text, array, '"b" => 2')!)).toBe('x = (\n    "a" => 1,\n    "c" => 3,\n    "b" => 2\n)\n');
  });

  it("moves an element inline", () => {
    const { text, array } = firstArray('x = ( "a" => 1, "b" => 2, "ab" => 3 )\n');
    const edits = moveElementBefore(text, array, array.elements[2], array.elements[0])!;
    const out = [...edits].sort((p, q) => q.range[0] - p.range[0]).reduce(apply, text);
    expect(out).toBe('x = ( "ab" => 3, "a" => 1, "b" => 2 )\n');
  });

  it("refuses to move an element when a comment stands before it in a mixed layout", () => {
    const { text, array } = firstArray('x = ( "a" => 1, "b" => 2, # c\n "ab" => 3 )\n');
    expect(moveElementBefore(text, array, array.elements[2], array.elements[0])).toBeUndefined();
  });
});

describe("security rules avoid false alarms", () => {
  it("status-page-unprotected: an open status page fires, a remoteip block elsewhere counts as a guard", () => {
    expect(run(statusPage, HEAD + 'status.status-url = "/server-status"\n')).toHaveLength(1);
    const guarded = HEAD + 'status.status-url = "/server-status"\n$HTTP["url"] =^ "/server-status" { $HTTP["remoteip"] != "10.0.0.0/8" { url.access-deny = ( "" ) } }\n';
    expect(run(statusPage, guarded)).toEqual([]);
  });

  it("server-username-unset: not for fragments, not when set", () => {
    expect(run(usernameUnset, HEAD)).toHaveLength(1);
    expect(run(usernameUnset, HEAD + 'server.username = "www-data"\n')).toEqual([]);
    expect(run(usernameUnset, 'server.modules += ( "mod_fastcgi" )\n')).toEqual([]);
    expect(run(usernameUnset, HEAD, { snippet: true }).length).toBeLessThanOrEqual(1);
  });

  it("debug-enabled: ignores keys lighttpd does not know and switched-off values", () => {
    expect(run(debugEnabled, HEAD + 'auth.debug = 2\ndebug.log-request-header = "disable"\nfastcgi.debug = 0\n')).toEqual([]);
    expect(run(debugEnabled, HEAD + 'debug.log-request-header = "Enable"\nproxy.debug = "1"\n')).toHaveLength(2);
  });

  it("tls-outdated: ssl.use-sslv3 only before 1.4.68 (later versions ignore the key)", () => {
    const text = HEAD + '$SERVER["socket"] == ":443" { ssl.engine = "enable" ssl.use-sslv3 = "enable" }\n';
    expect(run(tlsOutdated, text)).toEqual([]);
    expect(run(tlsOutdated, text, { project: { lighttpdVersion: "1.4.55", rules: {} } })).toHaveLength(1);
  });
});

describe("pure helpers", () => {
  it("weakCipherTokens counts only what the cipher string switches on", () => {
    expect(weakCipherTokens("HIGH:!aNULL:!MD5:!RC4:-3DES:+RC4")).toEqual([]);
    expect(weakCipherTokens("HIGH:RC4-SHA:DES-CBC3-SHA:EXPORT:aNULL")).toEqual(["RC4-SHA", "DES-CBC3-SHA", "EXPORT", "aNULL"]);
    expect(weakCipherTokens("DEFAULT:@SECLEVEL=0")).toEqual(["@SECLEVEL=0"]);
    expect(weakCipherTokens("ECDHE-RSA-AES128-GCM-SHA256:EECDH+AESGCM")).toEqual([]);
  });

  it("prefixWithoutBoundary finds only unbounded path prefixes", () => {
    expect(prefixWithoutBoundary("^/static.*")?.path).toBe("/static");
    expect(prefixWithoutBoundary("^/api(.*)$")?.tail).toBe("(.*)");
    for (const ok of ["^/static/.*", "^/api($|/.*)", "^/index\\.php(.*)", "^/(.*)", "/static.*", "^/a/b/"]) expect(prefixWithoutBoundary(ok)).toBeUndefined();
    // Asked again (answers are kept by pattern): the same answers.
    for (const ok of ["^/static/.*", "^/api($|/.*)"]) expect(prefixWithoutBoundary(ok)).toBeUndefined();
    expect(prefixWithoutBoundary("^/static.*")).toEqual({ path: "/static", example: "/staticfoo", tailStart: 8, tailEnd: 10, tail: ".*", optionalSlash: false });
    // The guides' capture-group and alternation forms of a path prefix.
    expect(prefixWithoutBoundary("^(/static.*)$")?.example).toBe("/staticfoo");
    expect(prefixWithoutBoundary("^(/media.*)$")?.path).toBe("/media");
    expect(prefixWithoutBoundary("^/(static|media)/?.*")?.optionalSlash).toBe(true);
    expect(prefixWithoutBoundary("^(/static|/media)(.*)$")?.tail).toBe("(.*)");
    expect(prefixWithoutBoundary("^/(static/|media)(.*)")?.example).toBe("/mediafoo");
    for (const ok of ["^(/.*)$", "^(/static/.*)$", "^/(static|media)/.*", "^/(static/|media/)(.*)", "^/(a|b)?.*", "^/static(/.*)?$", "^/(a|b+).*"])
      expect(prefixWithoutBoundary(ok)).toBeUndefined();
  });

  it("scriptOfTarget extracts literal script paths only", () => {
    expect(scriptOfTarget("/hello.py/$1")).toBe("/hello.py");
    expect(scriptOfTarget("/blog/index.php?q=$1")).toBe("/blog/index.php");
    expect(scriptOfTarget("/$1.php")).toBeUndefined();
    expect(scriptOfTarget("/download/$1")).toBeUndefined();
  });

  it("isForeignDaemonSocket recognises php-fpm sockets", () => {
    expect(isForeignDaemonSocket("/run/php/php8.2-fpm.sock")).toBe(true);
    expect(isForeignDaemonSocket("/var/run/php5-fpm.sock")).toBe(true);
    expect(isForeignDaemonSocket("/run/lighttpd/php.sock")).toBe(false);
    // /run/php/ is where configs that spawn php-cgi themselves put their socket, too.
    expect(isForeignDaemonSocket("/run/php/php.socket")).toBe(false);
    expect(isForeignDaemonSocket("/var/run/php/php-cgi.sock")).toBe(false);
  });
});
