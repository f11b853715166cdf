/**
 * --fix, --fix-dry-run/--diff and --fix-suggestions through the real binary, in temp dirs:
 * atomic writes that keep the mode, symlinks fixed at their target, included files fixed too,
 * files not reached left alone, and a file changed on disk meanwhile not overwritten.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { StaleFileError, writeFileAtomic } from "../src/fix/write.js";
import { ensureBuilt, runCli, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);

const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const BROKEN = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\n';
const FIXED = CLEAN + 'server.modules = ( "mod_access", "mod_alias" )\n';
const read = (d: string, f: string) => fs.readFileSync(path.join(d, f), "utf8");

describe("--fix", () => {
  it("fixes in place, keeps the mode, leaves no temp file, exits 0 when nothing is left", () => {
    const d = tmp({ "x.conf": BROKEN });
    fs.chmodSync(path.join(d, "x.conf"), 0o640);
    const r = runCli(["--fix", "x.conf"], { cwd: d });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(read(d, "x.conf")).toBe(FIXED);
    expect(fs.statSync(path.join(d, "x.conf")).mode & 0o7777).toBe(0o640);
    expect(fs.readdirSync(d)).toEqual(["x.conf"]);
  });

  it("fixes included files, and only files given or reached through includes", () => {
    const d = tmp({ "main.conf": CLEAN + 'include "conf.d/*.conf"\n', "conf.d/mods.conf": 'server.modules = ( "mod_access" "mod_alias" )\n', "other.conf": BROKEN });
    const r = runCli(["--fix", "main.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(read(d, "conf.d/mods.conf")).toBe('server.modules = ( "mod_access", "mod_alias" )\n');
    expect(read(d, "main.conf")).toBe(CLEAN + 'include "conf.d/*.conf"\n');
    expect(read(d, "other.conf")).toBe(BROKEN);
  });

  it("a symlinked config is fixed at its target; the link stays a link", () => {
    const d = tmp({ "real/x.conf": BROKEN });
    fs.symlinkSync(path.join(d, "real/x.conf"), path.join(d, "link.conf"));
    const r = runCli(["--fix", "link.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(fs.lstatSync(path.join(d, "link.conf")).isSymbolicLink()).toBe(true);
    expect(read(d, "real/x.conf")).toBe(FIXED);
    expect(fs.readdirSync(d).sort()).toEqual(["link.conf", "real"]);
  });

  it("reports what it cannot fix and exits 1 for it", () => {
    const d = tmp({ "x.conf": BROKEN + 'else {\n  server.tag = "x"\n}\n' });
    const r = runCli(["--fix", "-f", "compact", "x.conf"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("[orphan-else]");
    expect(r.stdout).not.toContain("[missing-comma]");
    expect(read(d, "x.conf")).toContain('( "mod_access", "mod_alias" )');
  });

  it("does not overwrite a file that changed on disk after it was read", () => {
    // include_shell runs on each lint pass of --fix; on its second run (after the first fix was
    // computed from the file as read) it appends to the config: a change made by someone else.
    const d = tmp({});
    const conf = path.join(d, "x.conf");
    const marker = path.join(d, "marker");
    const command = `if [ -e ${marker} ]; then echo '# edited meanwhile' >> ${conf}; else touch ${marker}; fi`;
    fs.writeFileSync(conf, BROKEN + `include_shell "${command}"\n`);
    const before = fs.readFileSync(conf, "utf8");
    const r = runCli(["--fix", "--allow-include-shell", "x.conf"], { cwd: d });
    expect(r.stderr).toMatch(/x\.conf changed on disk since it was read; not written/);
    expect(r.status).toBe(2);
    // not our fix: only the other writer's lines (include_shell runs on every lint of the fix passes)
    const after = fs.readFileSync(conf, "utf8");
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toMatch(/^(# edited meanwhile\n)+$/);
    expect(fs.readdirSync(d).sort()).toEqual(["marker", "x.conf"]);
  });

  it("writeFileAtomic refuses stale bytes and writes fresh ones", () => {
    const d = tmp({ "x.conf": "a\n" });
    const f = path.join(d, "x.conf");
    expect(() => writeFileAtomic(f, Buffer.from("b\n"), Buffer.from("old\n"))).toThrow(StaleFileError);
    expect(read(d, "x.conf")).toBe("a\n");
    writeFileAtomic(f, Buffer.from("b\n"), Buffer.from("a\n"));
    expect(read(d, "x.conf")).toBe("b\n");
  });

  it("keeps latin1 bytes that are not UTF-8 as they were", () => {
    const d = tmp({});
    const bytes = Buffer.concat([Buffer.from(CLEAN + "# caf"), Buffer.from([0xe9]), Buffer.from('\nserver.modules = ( "mod_access" "mod_alias" )\n')]);
    fs.writeFileSync(path.join(d, "x.conf"), bytes);
    expect(runCli(["--fix", "x.conf"], { cwd: d }).status).toBe(0);
    const after = fs.readFileSync(path.join(d, "x.conf"));
    expect(after.includes(Buffer.from([0x66, 0xe9, 0x0a]))).toBe(true);
    expect(after.toString("latin1")).toContain('( "mod_access", "mod_alias" )');
  });
});

describe("--fix-dry-run / --diff", () => {
  it("prints a unified diff and writes nothing", () => {
    const d = tmp({ "x.conf": BROKEN });
    for (const flag of ["--diff", "--fix-dry-run"]) {
      const r = runCli([flag, "x.conf"], { cwd: d });
      expect(r.stdout).toBe(
        [
          "--- a/x.conf",
          "+++ b/x.conf",
          "@@ -1,4 +1,4 @@",
          ' server.document-root = "/tmp"',
          ' server.username = "www-data"',
          ' server.groupname = "www-data"',
          '-server.modules = ( "mod_access" "mod_alias" )',
          '+server.modules = ( "mod_access", "mod_alias" )',
          "",
        ].join("\n"),
      );
      expect(read(d, "x.conf")).toBe(BROKEN);
    }
  });

  it("prints nothing when there is nothing to fix", () => {
    const d = tmp({ "x.conf": CLEAN });
    const r = runCli(["--diff", "x.conf"], { cwd: d });
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("--fix-suggestions", () => {
  it("applies suggestions only when asked", () => {
    // nul-byte offers a suggestion (removing the NUL changes what lighttpd reads), not a fix.
    const d = tmp({});
    const text = CLEAN + 'server.tag = "a\0b"\n';
    fs.writeFileSync(path.join(d, "x.conf"), text);
    const plain = runCli(["--fix", "x.conf"], { cwd: d });
    expect(plain.status).toBe(1);
    expect(read(d, "x.conf")).toBe(text);
    const diff = runCli(["--diff", "--fix-suggestions", "x.conf"], { cwd: d });
    expect(diff.stdout).toContain("-server.tag");
    expect(read(d, "x.conf")).toBe(text);
    runCli(["--fix", "--fix-suggestions", "x.conf"], { cwd: d });
    expect(read(d, "x.conf")).not.toContain("\0");
  });
});

describe("--socket-dir", () => {
  it("is where socket-in-tmp's fix moves a backend socket", () => {
    const rules = runCli(["rules"]).stdout;
    if (!/^socket-in-tmp /m.test(rules)) throw new Error("the socket-in-tmp rule is not registered: this test needs it");
    const d = tmp({ "x.conf": CLEAN + 'server.modules = ( "mod_fastcgi" )\nfastcgi.server = ( ".php" => (( "socket" => "/tmp/php.sock", "bin-path" => "/usr/bin/php-cgi" )))\n' });
    const r = runCli(["--diff", "--socket-dir", "/run/custom", "x.conf"], { cwd: d });
    expect(r.stdout).toContain("/run/custom/php.sock");
  });
});
