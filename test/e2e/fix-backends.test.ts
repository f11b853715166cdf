/**
 * Every fix on a real server with real FastCGI backends (issue 12): a Python FastCGI app lighttpd
 * spawns (bin-path), the same app started separately (the guides' flup way, bindAddress), and
 * php-cgi started by spawn-fcgi. For each rule with a fix: the broken config shows the symptom
 * users report, and after `lighttpd-lint --fix` the app answers. Working configs that only look
 * like a pattern answer the same after --fix.
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { repoRoot } from "../helpers/lighttpd.js";
import { Scenario, applyFix, bin, cgiVars, describeE2E, observe, observeFix, startPhpCgi, startPythonApp, stopAll, writePythonApp, type Needed, type Reply } from "./harness.js";

type BackendKind = "spawned python" | "python app" | "spawn-fcgi php-cgi";

interface Backend {
  kind: BackendKind;
  needs: Needed[];
  /** the URL the app answers, and what it says */
  url: string;
  app: string;
  /** the fastcgi.server entry for this backend (a host's options, no outer parens); @GAP@ is where a rule's text goes */
  mount: string;
  hostOptions(sc: Scenario): string;
  start(sc: Scenario): Promise<void>;
}

const BACKENDS: Backend[] = [
  {
    kind: "spawned python",
    needs: ["lighttpd", "python3"],
    url: "/py/hello",
    app: "python",
    mount: '"/py"',
    hostOptions: (sc) => `"socket" => "${sc.vars.RUN}/spawned.sock", "bin-path" => "${bin("python3")} ${writePythonApp(sc)}", "max-procs" => 1`,
    start: async () => {},
  },
  {
    kind: "python app",
    needs: ["lighttpd", "python3"],
    url: "/py/hello",
    app: "python",
    mount: '"/py"',
    hostOptions: (sc) => `"socket" => "${sc.vars.RUN}/py.sock"`,
    start: async (sc) => {
      const a = await startPythonApp(sc, `${sc.vars.RUN}/py.sock`);
      if (!a.listening) throw new Error(`python app did not listen: ${a.proc.output()}`);
    },
  },
  {
    kind: "spawn-fcgi php-cgi",
    needs: ["lighttpd", "spawn-fcgi", "php-cgi"],
    url: "/app.php",
    app: "php-cgi",
    mount: '".php"',
    hostOptions: (sc) => `"socket" => "${sc.vars.RUN}/php.sock"`,
    start: async (sc) => {
      const a = await startPhpCgi(sc, `${sc.vars.RUN}/php.sock`);
      if (!a.listening) throw new Error(`php-cgi did not listen: ${a.proc.output()}`);
    },
  },
];

interface Case {
  rule: string;
  title: string;
  backends: BackendKind[];
  /** the config; `host` is the backend's options, `mount` its fastcgi.server key */
  config(sc: Scenario, b: Backend, host: string): string;
  /** the symptom before the fix: lighttpd refuses, or the reply is not the app's */
  before: "refused" | "not the app";
  /** extra checks on the fixed text */
  fixed?: (text: string) => void;
}

const head = (sc: Scenario, modules: string) => `server.document-root = "${sc.vars.WWW}"\nserver.bind = "127.0.0.1"\nserver.port = ${sc.port}\nserver.modules = ${modules}\n`;

const CASES: Case[] = [
  {
    rule: "module-not-loaded",
    title: "fastcgi.server without mod_fastcgi",
    backends: ["spawned python", "python app", "spawn-fcgi php-cgi"],
    config: (sc, b, host) => head(sc, '("mod_access")') + `fastcgi.server = ( ${b.mount} => (( ${host}, "check-local" => "disable" )) )\n`,
    before: "not the app",
    fixed: (t) => expect(t).toContain('("mod_access", "mod_fastcgi")'),
  },
  {
    rule: "missing-comma",
    title: 'server.modules = ("mod_access" "mod_fastcgi"): the module after the gap is dropped',
    backends: ["spawned python", "python app", "spawn-fcgi php-cgi"],
    config: (sc, b, host) => head(sc, '("mod_access" "mod_fastcgi")') + `fastcgi.server = ( ${b.mount} => (( ${host}, "check-local" => "disable" )) )\n`,
    before: "not the app",
    // the cause's fix only: no second "mod_fastcgi" (lighttpd refuses to load a plugin twice)
    fixed: (t) => expect(t.match(/"mod_fastcgi"/g)).toHaveLength(1),
  },
  {
    rule: "missing-comma",
    title: 'a missing comma drops "check-local" => "disable"',
    backends: ["spawned python", "python app"],
    config: (sc, b, host) => head(sc, '("mod_fastcgi")') + `fastcgi.server = ( ${b.mount} => (( ${host}\n    "check-local" => "disable" )) )\n`,
    before: "not the app",
    fixed: (t) => expect(t.match(/check-local/g)).toHaveLength(1),
  },
  {
    rule: "check-local",
    title: "an app mounted at a prefix with check-local left enabled",
    backends: ["spawned python", "python app"],
    config: (sc, b, host) => head(sc, '("mod_fastcgi")') + `fastcgi.server = ( ${b.mount} => (( ${host} )) )\n`,
    before: "not the app",
  },
  {
    rule: "arrow-typo",
    title: "-> instead of => in fastcgi.server",
    backends: ["spawned python", "python app", "spawn-fcgi php-cgi"],
    config: (sc, b, host) => head(sc, '("mod_fastcgi")') + `fastcgi.server = ( ${b.mount} -> (( ${host}, "check-local" => "disable" )) )\n`,
    before: "refused",
  },
];

/** Working configs that look like a pattern: --fix must leave them answering the same. */
const LOOKALIKES: { title: string; backends: BackendKind[]; config(sc: Scenario, b: Backend, host: string): string }[] = [
  {
    title: "server.modules over several lines with comments and a trailing comma",
    backends: ["spawned python", "python app", "spawn-fcgi php-cgi"],
    config: (sc, b, host) => head(sc, '(\n  "mod_access", # access\n  "mod_fastcgi",\n)') + `fastcgi.server = ( ${b.mount} => (( ${host}, "check-local" => "disable" )) )\n`,
  },
  {
    title: "a .php backend with check-local enabled (the script exists on disk)",
    backends: ["spawn-fcgi php-cgi"],
    config: (sc, b, host) => head(sc, '("mod_fastcgi")') + `fastcgi.server = ( ${b.mount} => (( ${host}, "check-local" => "enable" )) )\n`,
  },
  {
    title: "max-procs on a backend lighttpd spawns",
    backends: ["spawned python"],
    config: (sc, b, host) => head(sc, '("mod_fastcgi")') + `fastcgi.server = ( ${b.mount} => (( ${host}, "check-local" => "disable" )) )\n`,
  },
];

function isApp(r: Reply, b: Backend): boolean {
  return r.status === 200 && cgiVars(r.body).APP === b.app;
}

async function setUp(name: string, _backend: Backend): Promise<Scenario> {
  const sc = await Scenario.create(name);
  sc.install("app.php", "www/app.php");
  return sc;
}

for (const b of BACKENDS) {
  for (const c of CASES.filter((x) => x.backends.includes(b.kind))) {
    describeE2E(`${c.rule} with ${b.kind}: ${c.title}`, b.needs, () => {
      let sc: Scenario;
      let conf: string;
      beforeAll(async () => {
        sc = await setUp(c.rule, b);
        conf = sc.write("lighttpd.conf", c.config(sc, b, b.hostOptions(sc)));
      });
      afterEach(stopAll);
      afterAll(() => sc?.remove());

      it(
        c.before === "refused" ? "before: lighttpd refuses the config" : `before: GET ${b.url} is not answered by the app`,
        async () => {
          if (c.before === "refused") {
            expect(sc.check(conf).ok).toBe(false);
            return;
          }
          await b.start(sc);
          await sc.start(conf);
          const r = await sc.get(b.url);
          observe(`${c.rule} ${b.kind}`, "before", b.url, r, ["APP"]);
          expect(isApp(r, b)).toBe(false);
          // without mod_fastcgi, mod_staticfile serves the script itself: the PHP source goes out
          if (b.kind === "spawn-fcgi php-cgi") expect(r.body).toContain("<?php");
        },
        30_000,
      );

      it(`after lighttpd-lint --fix: GET ${b.url} is answered by the app`, async () => {
        const fixed = applyFix(c.rule, conf);
        observeFix(`${c.rule} ${b.kind}`, fixed);
        c.fixed?.(fixed.text);
        expect(sc.check(fixed.path).ok).toBe(true);
        await b.start(sc);
        await sc.start(fixed.path);
        const r = await sc.get(b.url);
        observe(`${c.rule} ${b.kind}`, "after", b.url, r, ["APP"]);
        expect(r.status).toBe(200);
        expect(cgiVars(r.body).APP).toBe(b.app);
      }, 30_000);
    });
  }

  for (const w of LOOKALIKES.filter((x) => x.backends.includes(b.kind))) {
    describeE2E(`working config with ${b.kind}: ${w.title}`, b.needs, () => {
      let sc: Scenario;
      let conf: string;
      beforeAll(async () => {
        sc = await setUp("lookalike", b);
        conf = sc.write("lighttpd.conf", w.config(sc, b, b.hostOptions(sc)));
      });
      afterEach(stopAll);
      afterAll(() => sc?.remove());

      it(`answers GET ${b.url} the same before and after lighttpd-lint --fix (all rules)`, async () => {
        await b.start(sc);
        await sc.start(conf);
        const before = await sc.get(b.url);
        expect(isApp(before, b)).toBe(true);
        await stopAll();
        const copy = conf.replace(/\.conf$/, ".fixed.conf");
        fs.copyFileSync(conf, copy);
        const r = spawnCli(["--fix", "--no-config", copy]);
        expect(r, "lighttpd-lint --fix failed").not.toBe(2);
        await b.start(sc);
        await sc.start(copy);
        const after = await sc.get(b.url);
        observe(`lookalike ${b.kind}`, "after --fix", b.url, after, ["APP"]);
        expect({ status: after.status, vars: cgiVars(after.body) }).toEqual({ status: before.status, vars: cgiVars(before.body) });
      }, 40_000);
    });
  }
}

function spawnCli(args: string[]): number | null {
  return spawnSync(process.execPath, [path.join(repoRoot, "bin/lighttpd-lint.js"), ...args], { timeout: 60_000 }).status;
}

describeE2E("module-not-loaded across files: alias.url in conf.d/10-static.conf, server.modules in lighttpd.conf", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("module-cross-file");
    sc.write("static/logo.txt", "logo\n");
    sc.write("conf.d/10-static.conf", `alias.url += ( "/static/" => "${sc.dir}/static/" )\n`);
    conf = sc.write("lighttpd.conf", head(sc, '("mod_access")') + `include "${sc.dir}/conf.d/*.conf"\n`);
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: GET /static/logo.txt is 404 (alias.url ignored)", async () => {
    await sc.start(conf);
    expect((await sc.get("/static/logo.txt")).status).toBe(404);
  }, 20_000);

  it("after lighttpd-lint --fix on the main config: mod_alias is added where server.modules is set, and the file is served", async () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/lighttpd-lint.js"), "--fix", "--no-config", "--disable", "server-username-unset", conf], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).not.toBe(2);
    expect(fs.readFileSync(conf, "utf8")).toContain('server.modules = ("mod_access", "mod_alias")');
    expect(fs.readFileSync(path.join(sc.dir, "conf.d/10-static.conf"), "utf8")).toBe(`alias.url += ( "/static/" => "${sc.dir}/static/" )\n`);
    await sc.start(conf);
    const got = await sc.get("/static/logo.txt");
    observe("module-not-loaded cross-file", "after", "/static/logo.txt", got);
    expect(got.status).toBe(200);
    expect(got.body).toBe("logo\n");
  }, 30_000);
});
