/**
 * A stock Debian /etc/lighttpd (issue 17): Debian's include_shell helper scripts are evaluated
 * without running them, so the config lints clean and `dump` equals `lighttpd -p` without
 * --allow-include-shell, with lighttpd-enable-mod modules off and on. Works on a temporary copy of
 * /etc/lighttpd (modules are enabled as lighttpd-enable-mod does: symlinks in conf-enabled/).
 * The helper scripts' emulation is also compared with the real scripts run by perl on generated
 * mime.types files (the tests run perl; lighttpd-lint never does).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { debianHelperOutput, systemHelperEnv } from "../../src/eval/debian-helpers.js";
import { ensureBuilt, runCli } from "../cli-helpers.js";
import { lighttpdAvailable, requireLighttpd } from "../helpers/lighttpd.js";

const STOCK = "/etc/lighttpd/lighttpd.conf";
const SCRIPTS = "/usr/share/lighttpd";
const haveDebian = lighttpdAvailable && fs.existsSync(STOCK) && fs.existsSync(path.join(SCRIPTS, "create-mime.conf.pl"));
const havePerl = spawnSync("perl", ["-v"]).status === 0;
const why = `[skipped: needs Debian's lighttpd package (${STOCK}, ${SCRIPTS}/*.pl)${havePerl ? "" : " and perl"}; apt-get install -y lighttpd]`;
const describeDebian = (name: string, body: () => void) =>
  haveDebian && havePerl
    ? describe(name, body)
    : requireLighttpd
      ? describe(name, () =>
          it("needs Debian's lighttpd (REQUIRE_LIGHTTPD=1)", () => {
            throw new Error(why);
          }),
        )
      : describe.skip(`${name} ${why}`, body);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of /etc/lighttpd whose main config includes its own conf-enabled/, with these modules enabled. */
function stockCopy(modules: string[] | "all"): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-debian-"));
  dirs.push(d);
  fs.cpSync("/etc/lighttpd", d, { recursive: true, verbatimSymlinks: true });
  const main = path.join(d, "lighttpd.conf");
  fs.writeFileSync(main, fs.readFileSync(main, "utf8").replaceAll("/etc/lighttpd/conf-enabled/", `${d}/conf-enabled/`));
  const available = fs.readdirSync(path.join(d, "conf-available")).filter((f) => f.endsWith(".conf"));
  // Not enableable together with the rest: php-fpm conflicts with fastcgi-php; the others need local setup.
  const wanted =
    modules === "all" ? available.filter((f) => !["99-unconfigured.conf", "15-fastcgi-php-fpm.conf", "10-rrdtool.conf", "10-evhost.conf", "10-no-www.conf"].includes(f)) : modules;
  for (const f of wanted) {
    const link = path.join(d, "conf-enabled", f);
    if (!fs.existsSync(link)) fs.symlinkSync(`../conf-available/${f}`, link);
  }
  return main;
}

const normalize = (dump: string) => dump.replace(/^(\s*var\.PID\s*=\s*)\d+$/m, "$1<pid>");

function compare(main: string): void {
  // lighttpd runs the perl helpers itself: on a busy machine that takes longer than runLighttpd's 10 s.
  const run = spawnSync("lighttpd", ["-p", "-f", main], { cwd: path.dirname(main), encoding: "utf8", timeout: 120_000, input: "" });
  const theirs = { status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
  expect(theirs.status, theirs.stderr || String(run.error ?? "")).toBe(0);
  const ours = runCli(["dump", main], { cwd: path.dirname(main) });
  expect(ours.status, ours.stderr).toBe(0);
  expect(ours.stderr).toBe("");
  expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
}

describeDebian("stock Debian /etc/lighttpd", () => {
  it("modules off (as installed): lints clean and dumps like lighttpd -p without --allow-include-shell", { timeout: 300_000 }, () => {
    ensureBuilt();
    const main = stockCopy([]);
    const lint = runCli(["-f", "json", main]);
    expect(JSON.parse(lint.stdout).flatMap((f: { diagnostics: { ruleId: string }[] }) => f.diagnostics.map((x) => x.ruleId))).toEqual([]);
    expect(lint.status).toBe(0);
    compare(main);
  });

  it("modules on (every enableable one, incl. ssl's use-ipv6.pl 443): dumps like lighttpd -p", { timeout: 300_000 }, () => {
    ensureBuilt();
    compare(stockCopy("all"));
  });

  it("modules on except dir-listing: lints clean (dir-listing's own file is reported: a global listing is a choice worth a warning)", () => {
    ensureBuilt();
    const main = stockCopy("all");
    fs.rmSync(path.join(path.dirname(main), "conf-enabled", "10-dir-listing.conf"));
    const lint = runCli(["-f", "json", main]);
    expect(JSON.parse(lint.stdout).flatMap((f: { diagnostics: { ruleId: string; message: string }[] }) => f.diagnostics.map((x) => `${x.ruleId}: ${x.message}`))).toEqual([]);
  });

  it("a skipped include_shell that is not Debian's is said on stderr by dump", () => {
    ensureBuilt();
    const main = stockCopy([]);
    fs.appendFileSync(main, 'include_shell "echo server.tag = \\"x\\""\n');
    const r = runCli(["dump", main]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('dump is incomplete: include_shell "echo server.tag = "x"" was not run');
  });
});

/** The real script with its input path replaced, run by perl. */
function runScript(name: string, replace: [string, string][], args: string[] = []): string {
  let text = fs.readFileSync(path.join(SCRIPTS, name), "utf8");
  for (const [a, b] of replace) text = text.replaceAll(a, b);
  const r = spawnSync("perl", ["-", ...args], { input: text, encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describeDebian("Debian helper scripts: emulation = the script", () => {
  it("create-mime.conf.pl on generated mime.types files with conflicts of every kind", () => {
    const types = [
      "application/x-a",
      "application/a",
      "text/a",
      "application/vnd.a",
      "audio/x-pn-realaudio",
      "audio/x-realaudio",
      "font/sfnt",
      "application/font-woff",
      "text/plain",
      "text/css",
      "x-world/x-vrml",
      "chemical/x-ncbi-asn1-spec",
      "Text/Plain",
      "image/png",
    ];
    const exts = ["ra", "rm", "ram", "otf", "ttf", "woff", "asn", "ent", "a", "b", "A", "B", "js", "gz", "conf", "c", "txt", "TXT", "x1"];
    let seed = 17;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let round = 0; round < 12; round++) {
      const lines: string[] = ["# generated", ""];
      for (let i = 0; i < 40; i++) {
        const n = 1 + rand(4);
        const e = Array.from({ length: n }, () => exts[rand(exts.length)]);
        lines.push(`${types[rand(types.length)]}${rand(3) === 0 ? "\t\t" : " "}${e.join(" ")}${rand(5) === 0 ? " # c" : ""}${rand(7) === 0 ? " " : ""}`);
      }
      if (round === 0) lines.push("bad  line  with  double  spaces", "word", "application/zip zip  zap");
      const d = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-mime-"));
      dirs.push(d);
      const file = path.join(d, "mime.types");
      fs.writeFileSync(file, lines.join("\n") + "\n");
      const expected = runScript("create-mime.conf.pl", [["/etc/mime.types", file]]);
      const ours = debianHelperOutput("/usr/share/lighttpd/create-mime.conf.pl", {
        ...systemHelperEnv,
        readFile: (p) => systemHelperEnv.readFile(p === "/etc/mime.types" ? file : p),
      });
      expect(ours).toBe(expected);
    }
  });

  it("create-mime.conf.pl on this machine's /etc/mime.types", () => {
    expect(debianHelperOutput("/usr/share/lighttpd/create-mime.conf.pl")).toBe(runScript("create-mime.conf.pl", []));
  });

  it("use-ipv6.pl with the ports lighttpd passes, and odd ones", () => {
    for (const args of [[], ["80"], ["443"], ["0443"], ["0"], ["00"], ["8080"], ["70000"]]) {
      expect(debianHelperOutput(["/usr/share/lighttpd/use-ipv6.pl", ...args].join(" ")), args.join(" ")).toBe(runScript("use-ipv6.pl", [], args));
    }
  });

  it("include-conf-enabled.pl lists conf-enabled/*.conf like bsd_glob", () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-ce-"));
    dirs.push(d);
    fs.mkdirSync(path.join(d, "conf-enabled"));
    for (const f of ["10-b.conf", "05-a.conf", "B.conf", "a.conf", "x.txt", "_z.conf"]) fs.writeFileSync(path.join(d, "conf-enabled", f), "");
    const expected = spawnSync("perl", [path.join(SCRIPTS, "include-conf-enabled.pl"), d + "/"], { encoding: "utf8", timeout: 60_000 }).stdout;
    expect(debianHelperOutput(`/usr/share/lighttpd/include-conf-enabled.pl ${d}/`)).toBe(expected);
  });
});

describe("Debian helper scripts: what is not recognised", () => {
  it("shell syntax, other paths and changed scripts are left alone (never guessed)", () => {
    const env = { ...systemHelperEnv, readFile: (p: string) => (p.endsWith("use-ipv6.pl") ? Buffer.from("#!/usr/bin/perl\nprint 'x';\n") : systemHelperEnv.readFile(p)) };
    expect(debianHelperOutput("/usr/share/lighttpd/use-ipv6.pl 80", env)).toBeUndefined();
    expect(debianHelperOutput("/usr/share/lighttpd/use-ipv6.pl 80; rm -rf /")).toBeUndefined();
    expect(debianHelperOutput("/usr/share/lighttpd/use-ipv6.pl $(id)")).toBeUndefined();
    expect(debianHelperOutput("/usr/local/share/lighttpd/use-ipv6.pl")).toBeUndefined();
    expect(debianHelperOutput("/usr/share/lighttpd/create-mime.conf.pl --other")).toBeUndefined();
  });
});
