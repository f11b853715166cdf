/**
 * `convert` (src/convert/): the parsers, the mapping to lighttpd config, the mapping report and the
 * CLI. Fast: no servers (those are in test/e2e/convert-*.test.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { convertText, exitCodeOf } from "../src/convert/index.js";
import { convertHtaccess, perDirPattern, splitApacheLines } from "../src/convert/htaccess.js";
import { convertLighttpd2, parseLighttpd2 } from "../src/convert/lighttpd2.js";
import { convertNginx, parseNginx, SourceSyntaxError, type NginxDirective } from "../src/convert/nginx.js";
import { emit, emptyPlan, q } from "../src/convert/plan.js";
import { lintText } from "../src/linter.js";
import { ensureBuilt, repoRoot, runCli } from "./cli-helpers.js";

const fx = (name: string) => path.join(repoRoot, "fixtures/convert", name);
const read = (name: string) => fs.readFileSync(fx(name), "utf8");
const opts = { lighttpdVersion: "1.4.69" } as const;

function flatten(ds: NginxDirective[]): NginxDirective[] {
  return ds.flatMap((d) => [d, ...flatten(d.block ?? [])]);
}

describe("nginx parser", () => {
  it("reads directives, blocks, quotes and comments with their lines", () => {
    const ds = parseNginx(`# c\nserver {\n  listen 80; # trailing\n  location = /a { return 301 "/b c"; }\n  fastcgi_param SCRIPT_NAME "";\n}\n`);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ name: "server", line: 2 });
    const inner = ds[0].block!;
    expect(inner.map((d) => [d.name, d.args, d.line])).toEqual([
      ["listen", ["80"], 3],
      ["location", ["=", "/a"], 4],
      ["fastcgi_param", ["SCRIPT_NAME", ""], 5],
    ]);
    expect(inner[1].block![0].args).toEqual(["301", "/b c"]);
  });

  it("keeps ${var} in one word and reports syntax errors with their line", () => {
    expect(parseNginx("return 301 https://${host}/x;")[0].args).toEqual(["301", "https://${host}/x"]);
    expect(() => parseNginx("server {\n listen 80;\n")).toThrow(SourceSyntaxError);
    try {
      parseNginx("a;\nb {\n}\n}\n");
    } catch (e) {
      expect((e as SourceSyntaxError).line).toBe(4);
    }
    expect(() => parseNginx('a "open;')).toThrow(/unterminated/);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    expect(() => parseNginx("a {".repeat(10_000) + "}".repeat(10_000))).toThrow(/nested too deeply/);
    expect(() => parseLighttpd2("x " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + ";")).toThrow(/nested too deeply/);
    expect(() => parseLighttpd2("if a == 1 {".repeat(10_000) + "}".repeat(10_000))).toThrow(/nested too deeply/);
  });
});

describe("nginx mapping", () => {
  it("the Flask-guide prefix shape: redirect, alias kept off the backend, /shop mount with check-local disabled", () => {
    const { plan, report } = convertNginx(read("nginx-prefix.conf"), "nginx-prefix.conf");
    expect(plan.mounts).toEqual([{ kind: "fastcgi", key: "/shop", host: { socket: "/tmp/shop-fcgi.sock" }, checkLocal: false }]);
    expect(plan.redirects).toEqual([{ regex: "^(/shop(?:\\?.*)?)$", target: "/shop/", status: 301 }]);
    expect(plan.aliases).toEqual([["/assets", "/srv/shop/assets"]]);
    expect(plan.staticPrefixes).toEqual(["/assets"]);
    expect(report.filter((e) => e.status === "unsupported")).toEqual([]);
    const approx = report.filter((e) => e.status === "approximated").map((e) => e.directive.split(" ")[0]);
    expect(approx).toEqual(expect.arrayContaining(["server_name", "return", "try_files", "fastcgi_split_path_info"]));
  });

  it("reports every directive of every fixture, with its line", () => {
    for (const f of ["nginx-prefix.conf", "nginx-root.conf", "nginx-misc.conf"]) {
      const text = read(f);
      const { report } = convertNginx(text, f);
      for (const d of flatten(parseNginx(text))) {
        expect(
          report.some((e) => e.line === d.line && e.directive.startsWith(d.name)),
          `${f}:${d.line} ${d.name}`,
        ).toBe(true);
      }
    }
  });

  it('the root shape: SCRIPT_NAME "" becomes fix-root-scriptname on a TCP host', () => {
    const { plan, report } = convertNginx(read("nginx-root.conf"), "nginx-root.conf");
    expect(plan.mounts).toEqual([{ kind: "fastcgi", key: "/", host: { host: "127.0.0.1", port: 9010 }, checkLocal: false, fixRootScriptname: true }]);
    expect(report.find((e) => e.directive.startsWith('fastcgi_param SCRIPT_NAME ""'))?.status).toBe("mapped");
    expect(plan.port).toBe(8081);
    expect(plan.bind).toBe("127.0.0.1");
  });

  it('SCRIPT_NAME "" on a prefix (not root) is an approximation, not fix-root-scriptname', () => {
    const { plan, report } = convertNginx(`location /app { include fastcgi_params; fastcgi_param SCRIPT_NAME ""; fastcgi_pass unix:/run/a.sock; }`, "x.conf");
    expect(plan.mounts[0].fixRootScriptname).toBeUndefined();
    expect(report.find((e) => e.directive.startsWith("fastcgi_param SCRIPT_NAME"))?.status).toBe("approximated");
  });

  it("proxy_pass with a URI maps the prefix (map-urlpath); SCGI, .php extension and redirect variables", () => {
    const { plan, report } = convertNginx(read("nginx-misc.conf"), "nginx-misc.conf");
    expect(plan.mounts.find((m) => m.kind === "proxy")).toMatchObject({ key: "/api", host: { host: "127.0.0.1", port: 5000 }, mapUrlpath: ["/api/", "/"] });
    expect(plan.mounts.find((m) => m.kind === "scgi")).toMatchObject({ key: "/rpc", checkLocal: false });
    expect(plan.mounts.find((m) => m.key === ".php")).toMatchObject({ kind: "fastcgi", checkLocal: true, host: { socket: "/run/php/php-fpm.sock" } });
    expect(plan.redirects).toEqual([{ regex: "^(/old-blog.*)$", target: "https://blog.example$1", status: 302 }]);
    expect(report.find((e) => e.directive.startsWith("gzip"))).toMatchObject({ status: "unsupported", line: 4 });
  });

  it("refuses what it cannot express: https backends, upstream names, unknown variables, second server blocks", () => {
    const { report } = convertNginx(
      `server { location /a { proxy_pass https://b:1; } location /c { fastcgi_pass backend; } location /d { return 301 $foo; } }\nserver { listen 81; }`,
      "x.conf",
    );
    const unsupported = report.filter((e) => e.status === "unsupported").map((e) => e.directive.split(" ")[0]);
    expect(unsupported).toEqual(["proxy_pass", "fastcgi_pass", "return", "server"]);
  });

  it("try_files to a front controller becomes url.rewrite-if-not-file keeping the query", () => {
    const { plan, report } = convertNginx(`location / { try_files $uri /index.php?$args; }`, "x.conf");
    expect(plan.rewrites).toEqual([{ regex: "^/[^?]*(?:\\?(.*))?$", target: "/index.php?$1", ifNotFile: true }]);
    expect(report.find((e) => e.directive.startsWith("try_files"))?.status).toBe("mapped");
    const dirs = convertNginx(`location / { try_files $uri $uri/ /index.php?$args; }`, "x.conf");
    expect(dirs.report.find((e) => e.directive.startsWith("try_files"))?.status).toBe("approximated");
  });
});

describe("htaccess mapping", () => {
  it("per-directory patterns become patterns over /path?query, the query kept as the last group", () => {
    expect(perDirPattern("^(.*)$", false)).toEqual({ regex: "^/([^?]*)(?:\\?(.*))?$", queryGroup: 2, exact: true });
    expect(perDirPattern("^page/([^/]+)$", true).regex).toBe("(?i)^/page/([^/?]+)(?:\\?(.*))?$");
    expect(perDirPattern(".", false).regex).toBe("^/(?:[^?]*?)[^?][^?]*(?:\\?(.*))?$");
    expect(perDirPattern("^(.*)$", false, true).regex).toBe("^/(?=[^?])([^?]*)(?:\\?(.*))?$");
    // the converted patterns are valid JavaScript regexes with the same meaning on these samples
    const re = new RegExp(perDirPattern("^(.*)$", false, true).regex);
    expect(re.exec("/a/b?x=1")?.slice(1)).toEqual(["a/b", "x=1"]);
    expect(re.test("/")).toBe(false);
    expect(re.test("/?x")).toBe(false);
  });

  it('splits Apache lines: continuations, quotes (only \\" unescaped), comments', () => {
    const lines = splitApacheLines('# c\nRewriteRule ^a$ \\\n  b [L]\n<FilesMatch "\\.php$">\n');
    expect(lines.map((l) => [l.line, l.words])).toEqual([
      [2, ["RewriteRule", "^a$", "b", "[L]"]],
      [4, ["<FilesMatch", "\\.php$", ">"]],
    ]);
  });

  it("the front controller: !-f/!-d + ^(.*)$ index.php/$1 [L,QSA], FastCGI for .php", () => {
    const { plan, report } = convertHtaccess(read("front-controller.htaccess"), "f");
    expect(plan.rewrites).toEqual([{ regex: "^(?!/index\\.php/)/(?=[^?])([^?]*)(?:\\?(.*))?$", target: "/index.php/$1?$2", ifNotFile: true }]);
    expect(plan.mounts).toEqual([{ kind: "fastcgi", key: ".php", host: { socket: "/run/app/fcgi.sock" }, checkLocal: true }]);
    expect(plan.indexFiles).toEqual(["index.php"]);
    expect(report.map((e) => e.status)).not.toContain("unsupported");
    expect(report.find((e) => e.directive.endsWith("!-d"))?.status).toBe("approximated");
  });

  it("router rules: QSA with a query, a lookahead for REQUEST_URI, Redirect; HTTP_HOST conditions unsupported", () => {
    const { plan, report } = convertHtaccess(read("router.htaccess"), "r");
    // router.php/... is Apache's -f hit on router.php (PATH_INFO after it): kept out as well
    expect(plan.rewrites).toEqual([{ regex: "^(?!/router\\.php/)(?!/static/)/page/([a-z]+)(?:\\?(.*))?$", target: "/router.php?page=$1&$2", ifNotFile: true }]);
    expect(plan.redirects).toEqual([{ regex: "^/legacy(/[^?]*)?(\\?.*)?$", target: "/current$1$2", status: 301 }]);
    expect(report.filter((e) => e.status === "unsupported").map((e) => e.line)).toEqual([7, 8]);
  });

  it("without RewriteEngine On, rules are reported as ignored and nothing is emitted", () => {
    const { plan, report } = convertHtaccess("RewriteRule ^a$ /b [L]\n", "x");
    expect(plan.rewrites).toEqual([]);
    expect(report[0]).toMatchObject({ status: "mapped", line: 1 });
  });
});

describe("lighttpd2 mapping", () => {
  it("parses setup blocks, lists, key => value, if blocks and action blocks", () => {
    const s = parseLighttpd2(
      `setup { module_load ( "mod_fastcgi", "mod_lua" ); listen "127.0.0.1:80"; }\nif request.path =^ "/x" { static; } else { docroot "/y"; }\ncore.wsgi ( "/p", { fastcgi "unix:/s"; } );\n`,
    );
    expect(s.map((x) => x.name)).toEqual(["setup", "if", "core.wsgi"]);
    expect(s[1].cond).toMatchObject({ lhs: "request.path", op: "=^" });
    expect(s[1].else?.[0].name).toBe("docroot");
  });

  it("core.wsgi becomes a prefix mount; a static block before it is kept off the backend", () => {
    const { plan, report } = convertLighttpd2(read("wsgi.lighttpd2.conf"), "w");
    expect(plan.mounts).toEqual([{ kind: "fastcgi", key: "/board", host: { socket: "/run/board/fcgi.sock" }, checkLocal: false }]);
    expect(plan.staticPrefixes).toEqual(["/board/static"]);
    expect(plan.aliases).toContainEqual(["/files", "/srv/board/shared/files"]);
    expect(report.filter((e) => e.status === "unsupported")).toEqual([]);
  });

  it("an alias under the wsgi prefix without static before the backend stays the backend's, and says so", () => {
    const { plan, report } = convertLighttpd2(`alias "/p/s" => "/srv/s";\ncore.wsgi ( "/p", { fastcgi "unix:/run/p.sock"; } );\n`, "w");
    expect(plan.staticPrefixes).toEqual([]);
    expect(report.find((e) => e.line === 1)).toMatchObject({ status: "approximated" });
    expect(report.find((e) => e.line === 1)!.note).toMatch(/backend mounted at \/p answers these requests/);
  });

  it('core.wsgi ("") is the root mount with fix-root-scriptname; a bare fastcgi is an approximation', () => {
    const root = convertLighttpd2(`core.wsgi ( "", { fastcgi "127.0.0.1:9000"; } );`, "w");
    expect(root.plan.mounts[0]).toMatchObject({ key: "/", fixRootScriptname: true, host: { host: "127.0.0.1", port: 9000 } });
    const bare = convertLighttpd2(`if request.path =^ "/a" { fastcgi "unix:/run/a.sock"; }`, "w");
    expect(bare.report.find((e) => e.directive.startsWith("fastcgi"))?.status).toBe("approximated");
  });
});

describe("emitted config", () => {
  it("strings escape only the double quote (lighttpd 1.4 keeps other backslashes) and never carry control characters", () => {
    expect(q('a"b\\.c')).toBe('"a\\"b\\.c"');
    expect(q("x\ny")).not.toMatch(/\n/);
  });

  it("a snippet replaces (:=) and appends (+=), a --full config assigns once", () => {
    const plan = { ...emptyPlan(), docroot: "/srv", mounts: [{ kind: "fastcgi" as const, key: "/a", host: { socket: "/run/a.sock" }, checkLocal: false }] };
    expect(emit(plan, { full: false, source: "t" })).toMatch(/server\.document-root := "\/srv"[\s\S]*fastcgi\.server \+= \(/);
    const full = emit(plan, { full: true, source: "t" });
    expect(full).toMatch(/server\.document-root = "\/srv"/);
    expect(full).toMatch(/server\.username = /);
  });

  it("every fixture converts to a config the project's engine reads without an error (snippet and --full)", () => {
    for (const [f, from] of [
      ["nginx-prefix.conf", "nginx"],
      ["nginx-root.conf", "nginx"],
      ["nginx-misc.conf", "nginx"],
      ["front-controller.htaccess", "htaccess"],
      ["router.htaccess", "htaccess"],
      ["wsgi.lighttpd2.conf", "lighttpd2"],
    ] as const) {
      for (const full of [false, true]) {
        const r = convertText(read(f), fx(f), { ...opts, from, full });
        expect(
          r.lint.filter((l) => l.severity === "error"),
          `${f} full=${full}`,
        ).toEqual([]);
        const again = lintText(r.config, "/nonexistent/c.conf", { project: { rules: {}, lighttpdVersion: "1.4.69" }, snippet: !full });
        expect(again.config.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      }
    }
  });

  it("the output is linted: a /tmp socket comes with socket-in-tmp; exit 1 only with something unsupported", () => {
    const prefix = convertText(read("nginx-prefix.conf"), fx("nginx-prefix.conf"), { ...opts, from: "nginx" });
    expect(prefix.lint.map((l) => l.ruleId)).toContain("socket-in-tmp");
    expect(exitCodeOf(prefix)).toBe(0);
    expect(exitCodeOf(convertText(read("nginx-misc.conf"), "m", { ...opts, from: "nginx" }))).toBe(1);
    expect(exitCodeOf(convertText("server {", "s", { ...opts, from: "nginx" }))).toBe(2);
  });
});

describe("convert CLI", () => {
  it("prints the config on stdout and the report on stderr; --report json; - reads stdin; exit codes", () => {
    ensureBuilt();
    const text = runCli(["convert", "--from", "nginx", "--lighttpd-version", "1.4.69", fx("nginx-prefix.conf")]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^# converted by lighttpd-lint convert from nginx nginx-prefix\.conf/);
    expect(text.stderr).toMatch(/^mapping report \(nginx -> lighttpd 1\.4\.69\): \d+ mapped, \d+ approximated, 0 unsupported/);
    expect(text.stderr).toMatch(/nginx-prefix\.conf:14: approximated: try_files \$uri @shop;/);
    const json = runCli(["convert", "--from", "htaccess", "--report", "json", "-"], { input: read("router.htaccess") });
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as { config: string; report: { file: string; status: string }[] };
    expect(parsed.config).toContain("url.rewrite-if-not-file");
    expect(parsed.report.every((e) => e.file === "<stdin>")).toBe(true);
    const bad = runCli(["convert", "--from", "lighttpd2", "-"], { input: "setup {" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/<stdin>:1: cannot read this lighttpd2 file/);
    expect(runCli(["convert", "--from", "caddy", "x"]).status).toBe(2);
  });
});

describe("hostile input", () => {
  it("long words, many continuation lines and oversized sources stay linear or are refused", () => {
    const t = Date.now();
    expect(() => convertNginx("a " + "x".repeat(200_000) + "${y}" + ";", "x")).not.toThrow();
    expect(splitApacheLines("RewriteRule \\\n".repeat(50_000))).toHaveLength(1);
    expect(Date.now() - t).toBeLessThan(20_000); // generous: the machine may be busy; quadratic code takes minutes here
    const big = convertText("#".repeat(1024 * 1024 + 1), "big", { from: "nginx" });
    expect(big.error?.message).toMatch(/larger than/);
  });

  it("control characters from the source never reach the config or the report unescaped", () => {
    const r = convertText('server { root "/srv/\u001b[31mx\nevil"; location /a { alias "/b\u0007"; } }', "x", { from: "nginx", lighttpdVersion: "1.4.69" });
    expect(r.config).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.config.split("\n").filter((l) => l.includes("document-root"))).toHaveLength(1);
  });
});

describe("nginx prefixes with a trailing slash", () => {
  it("mount without the slash (SCRIPT_NAME=/app) and say that /app and /appX reach the backend too", () => {
    const { plan, report } = convertNginx(`location /app/ { include fastcgi_params; fastcgi_pass unix:/run/a.sock; }`, "x");
    expect(plan.mounts[0].key).toBe("/app");
    expect(report.some((e) => e.status === "approximated" && /also sends \/app itself and \/appX/.test(e.note))).toBe(true);
  });
});
