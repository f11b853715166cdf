/**
 * --check-fs rules against file trees built in a temp dir that stands for a mounted image
 * (settings.root). Cases that need files owned by other users need root; they are skipped with a
 * visible reason otherwise.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintText } from "../src/linter.js";
import type { Rule } from "../src/engine/types.js";
import fsSocketDir from "../rules/fs-socket-dir.js";
import fsBinPath from "../rules/fs-bin-path.js";
import fsDocumentRoot from "../rules/fs-document-root.js";
import fsPemfile from "../rules/fs-pemfile.js";

const isRoot = process.getuid?.() === 0;
const asRoot = isRoot ? it : it.skip;
const rootNote = isRoot ? "" : " [skipped: needs root to create files owned by other users]";

const WEB = 1234;
const OTHER = 1235;
let image: string;

function put(rel: string, content = "", mode = 0o644, uid?: number): string {
  const p = path.join(image, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  fs.chmodSync(p, mode);
  if (uid !== undefined) fs.chownSync(p, uid, uid);
  return p;
}

function dir(rel: string, mode = 0o755, uid?: number): void {
  const p = path.join(image, rel);
  fs.mkdirSync(p, { recursive: true });
  fs.chmodSync(p, mode);
  if (uid !== undefined) fs.chownSync(p, uid, uid);
}

beforeAll(() => {
  image = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-image-"));
  fs.chmodSync(image, 0o755);
  put("etc/passwd", `root:x:0:0:root:/root:/bin/sh\nweb:x:${WEB}:${WEB}::/nonexistent:/usr/sbin/nologin\nother:x:${OTHER}:${OTHER}::/:/bin/sh\n`);
  put("etc/group", `root:x:0:\nweb:x:${WEB}:\nother:x:${OTHER}:\nsockets:x:2000:web\n`);
});
afterAll(() => fs.rmSync(image, { recursive: true, force: true }));

function run(rule: Rule, body: string, checkFs = true) {
  const text = `server.document-root = "/"\nserver.modules = ("mod_fastcgi", "mod_openssl")\nserver.username = "web"\n${body}\n`;
  const result = lintText(text, path.join(os.tmpdir(), "check-fs.conf"), {
    rules: [rule],
    project: { lighttpdVersion: "1.4.69", checkFs, root: image, rules: {} },
  });
  return result.files.flatMap((f) => f.diagnostics);
}

describe("fs-socket-dir", () => {
  it("does nothing without --check-fs", () => {
    expect(run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "socket" => "/run/missing/php.sock" )) )', false)).toEqual([]);
  });

  it("reports a missing socket directory, with a hint for /run", () => {
    const [d] = run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "socket" => "/run/missing/php.sock" )) )');
    expect(d.severity).toBe("warning");
    expect(d.message).toMatch(/"\/run\/missing" does not exist.*tmpfiles/);
  });

  asRoot(`reports a directory server.username cannot create its spawned sockets in${rootNote}`, () => {
    dir("run/rootonly", 0o755, 0);
    const [d] = run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "bin-path" => "/bin/sh", "socket" => "/run/rootonly/php.sock" )) )');
    expect(d.severity).toBe("error");
    expect(d.message).toContain('"web" cannot create sockets in "/run/rootonly"');
    // Group write through a supplementary group (initgroups) is enough.
    dir("run/group", 0o770, 0);
    fs.chownSync(path.join(image, "run/group"), 0, 2000);
    expect(run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "bin-path" => "/bin/sh", "socket" => "/run/group/php.sock" )) )')).toEqual([]);
  });

  asRoot(`reports a stale socket of another user in a sticky directory${rootNote}`, () => {
    dir("tmp", 0o1777, 0);
    put("tmp/app.sock-1", "", 0o755, OTHER);
    const [d] = run(fsSocketDir, 'fastcgi.server = ( ".py" => (( "bin-path" => "/bin/sh", "socket" => "/tmp/app.sock", "max-procs" => 2 )) )');
    expect(d.message).toContain('stale "/tmp/app.sock-1" owned by uid 1235');
    // Our own stale socket is fine: lighttpd may unlink it.
    fs.chownSync(path.join(image, "tmp/app.sock-1"), WEB, WEB);
    expect(run(fsSocketDir, 'fastcgi.server = ( ".py" => (( "bin-path" => "/bin/sh", "socket" => "/tmp/app.sock", "max-procs" => 2 )) )')).toEqual([]);
  });

  asRoot(`reports an external daemon's socket that server.username may not connect to${rootNote}`, () => {
    dir("run/php", 0o755, 0);
    put("run/php/php-fpm.sock", "", 0o660, 0);
    const [d] = run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "socket" => "/run/php/php-fpm.sock" )) )');
    expect(d.message).toContain('"web" may not connect to "/run/php/php-fpm.sock"');
    fs.chownSync(path.join(image, "run/php/php-fpm.sock"), WEB, WEB);
    expect(run(fsSocketDir, 'fastcgi.server = ( ".php" => (( "socket" => "/run/php/php-fpm.sock" )) )')).toEqual([]);
  });

  it("resolves socket paths inside server.chroot", () => {
    dir("jail/run/lighttpd");
    const body = 'server.chroot = "/jail"\nfastcgi.server = ( ".php" => (( "socket" => "/run/lighttpd/php.sock" )) )';
    expect(run(fsSocketDir, body)).toEqual([]);
    expect(run(fsSocketDir, body.replace("/jail", "/nojail"))[0].message).toContain('inside server.chroot "/nojail"');
  });
});

describe("fs-bin-path", () => {
  it("reports a missing program and a program without any x bit", () => {
    put("srv/app.fcgi", "#!/bin/sh\n", 0o644);
    const found = run(
      fsBinPath,
      'fastcgi.server = ( ".a" => (( "bin-path" => "/srv/missing.fcgi --x", "socket" => "/tmp/a.sock" )), ".b" => (( "bin-path" => "/srv/app.fcgi", "socket" => "/tmp/b.sock" )) )',
    );
    expect(found.map((d) => d.message)).toEqual([
      expect.stringContaining('bin-path "/srv/missing.fcgi" does not exist'),
      expect.stringContaining('bin-path "/srv/app.fcgi" is not executable (mode 0644)'),
    ]);
  });

  asRoot(`reports a program only its owner may run, and a directory on the way the user may not enter${rootNote}`, () => {
    put("opt/own.fcgi", "#!/bin/sh\n", 0o700, OTHER);
    put("private/app.fcgi", "#!/bin/sh\n", 0o755, 0);
    fs.chmodSync(path.join(image, "private"), 0o700);
    const found = run(
      fsBinPath,
      'fastcgi.server = ( ".a" => (( "bin-path" => "/opt/own.fcgi", "socket" => "/tmp/a.sock" )), ".b" => (( "bin-path" => "/private/app.fcgi", "socket" => "/tmp/b.sock" )) )',
    );
    expect(found.map((d) => d.message)).toEqual([
      expect.stringContaining('"web" may not execute bin-path "/opt/own.fcgi"'),
      expect.stringContaining('"web" may not enter "/private"'),
    ]);
  });

  it("accepts an executable program", () => {
    put("srv/ok.fcgi", "#!/bin/sh\n", 0o755);
    expect(run(fsBinPath, 'fastcgi.server = ( ".a" => (( "bin-path" => "/srv/ok.fcgi", "socket" => "/tmp/a.sock" )) )')).toEqual([]);
  });
});

describe("fs-document-root", () => {
  it("reports a missing document root in a condition, accepts an existing one", () => {
    dir("srv/www");
    const found = run(fsDocumentRoot, '$HTTP["host"] == "a" { server.document-root = "/srv/nope" }\n$HTTP["host"] == "b" { server.document-root = "/srv/www" }');
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('"/srv/nope" does not exist');
  });

  asRoot(`reports a document root the server user cannot enter${rootNote}`, () => {
    dir("home/alice/site", 0o755, 0);
    fs.chmodSync(path.join(image, "home/alice"), 0o700);
    const [d] = run(fsDocumentRoot, '$HTTP["host"] == "a" { server.document-root = "/home/alice/site" }');
    expect(d.message).toContain('"web" may not enter "/home/alice"');
  });
});

describe("fs-pemfile", () => {
  it("reports a missing certificate and a world-readable private key; accepts 0600", () => {
    put("etc/ssl/open.pem", "-----BEGIN CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n", 0o644);
    put("etc/ssl/closed.pem", "-----BEGIN CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n", 0o600);
    put("etc/ssl/cert-only.pem", "-----BEGIN CERTIFICATE-----\n", 0o644);
    const found = run(
      fsPemfile,
      [
        '$SERVER["socket"] == ":443" { ssl.engine = "enable" ssl.pemfile = "/etc/ssl/missing.pem" }',
        '$SERVER["socket"] == ":444" { ssl.engine = "enable" ssl.pemfile = "/etc/ssl/open.pem" }',
        '$SERVER["socket"] == ":445" { ssl.engine = "enable" ssl.pemfile = "/etc/ssl/closed.pem" }',
        '$SERVER["socket"] == ":446" { ssl.engine = "enable" ssl.pemfile = "/etc/ssl/cert-only.pem" }',
      ].join("\n"),
    );
    expect(found.map((d) => [d.severity, d.message.slice(0, 40)])).toEqual([
      ["error", 'ssl.pemfile "/etc/ssl/missing.pem" does '],
      ["warning", 'ssl.pemfile "/etc/ssl/open.pem" holds a '],
    ]);
  });
});
