/**
 * socket-in-tmp with working sites (issue 12): a socket under /tmp that works today must still work
 * after `lighttpd-lint --fix`.
 * - Backends started separately (spawn-fcgi + php-cgi; the guides' Python FastCGI app, flup-style
 *   bindAddress): --fix leaves the socket alone (moving one end gives 503), the site answers as
 *   before; the suggestion applied together with the change it names on the daemon's side
 *   (spawn-fcgi -s, bindAddress) answers too.
 * - A backend lighttpd spawns (bin-path): --fix --socket-dir moves the socket and it still answers.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, lintFindings, observe, serverUser, socketOf, startPhpCgi, startPythonApp, stopAll, type Proc, type Needed } from "./harness.js";

function ownedSocketDir(sc: Scenario): string {
  let dir: string;
  try {
    dir = fs.mkdtempSync("/run/lighttpd-lint-e2e-"); // outside /tmp, like /run/lighttpd
  } catch {
    dir = fs.mkdtempSync(path.join(sc.dir, "sockets-"));
  }
  fs.chmodSync(dir, 0o755);
  fs.chownSync(dir, serverUser.uid, serverUser.gid);
  return dir;
}

interface Backend {
  name: string;
  needs: Needed[];
  template: string;
  url: string;
  app: string;
  /** prepares files the app needs */
  setup(sc: Scenario): void;
  start(sc: Scenario, socket: string): Promise<{ listening: boolean; proc: Proc }>;
  /** the daemon-side setting the suggestion names */
  otherEnd: RegExp;
}

const backends: Backend[] = [
  {
    name: "spawn-fcgi + php-cgi",
    needs: ["lighttpd", "spawn-fcgi", "php-cgi"],
    template: "socket-in-tmp-php.conf",
    url: "/app.php",
    app: "php-cgi",
    setup: (sc) => void sc.install("app.php", "www/app.php"),
    start: startPhpCgi,
    otherEnd: /spawn-fcgi -s/,
  },
  {
    name: "a separately started Python FastCGI app (flup-style bindAddress)",
    needs: ["lighttpd", "python3"],
    template: "socket-in-tmp-python.conf",
    url: "/py/hello",
    app: "python",
    setup: () => {},
    start: startPythonApp,
    otherEnd: /bindAddress/,
  },
];

for (const b of backends) {
  describeE2E(`socket-in-tmp, working site: ${b.name} on a socket under /tmp`, b.needs, () => {
    let sc: Scenario;
    let conf: string;
    let socketDir: string;
    beforeAll(async () => {
      sc = await Scenario.create("socket-in-tmp-ext");
      b.setup(sc);
      conf = sc.render(b.template, "lighttpd.conf", { SOCKET: path.join(sc.dir, "run", "app.sock") });
      socketDir = ownedSocketDir(sc);
    });
    afterEach(stopAll);
    afterAll(() => {
      if (socketDir && !socketDir.startsWith(sc.dir)) fs.rmSync(socketDir, { recursive: true, force: true });
      sc?.remove();
    });

    it(`before: GET ${b.url} is answered by the app (200)`, async () => {
      const app = await b.start(sc, socketOf(fs.readFileSync(conf, "utf8")));
      expect(app.listening, app.proc.output()).toBe(true);
      await sc.start(conf);
      const r = await sc.get(b.url);
      observe(`socket-in-tmp ${b.app}`, "before", b.url, r, ["APP"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body).APP).toBe(b.app);
    }, 20_000);

    it("after lighttpd-lint --fix: the config is unchanged (a suggestion naming the daemon's side) and the app still answers", async () => {
      const finding = lintFindings(conf, ["--socket-dir", socketDir]).find((f) => f.ruleId === "socket-in-tmp");
      expect(finding?.message).toMatch(b.otherEnd);
      expect(finding?.fix).toBeUndefined();
      const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir], { allowUnchanged: true });
      expect(fixed.text).toBe(fixed.before);
      const app = await b.start(sc, socketOf(fixed.text));
      expect(app.listening, app.proc.output()).toBe(true);
      await sc.start(fixed.path);
      const r = await sc.get(b.url);
      observe(`socket-in-tmp ${b.app}`, "after --fix", b.url, r, ["APP"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body).APP).toBe(b.app);
    }, 20_000);

    it("after the suggestion (--fix-suggestions) with the daemon moved to the same path: the app answers", async () => {
      const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir, "--fix-suggestions"]);
      const socket = socketOf(fixed.text);
      expect(socket).toBe(path.join(socketDir, "app.sock"));
      const app = await b.start(sc, socket); // the other end, changed with it
      expect(app.listening, app.proc.output()).toBe(true);
      await sc.start(fixed.path);
      const r = await sc.get(b.url);
      observe(`socket-in-tmp ${b.app}`, "after suggestion", b.url, r, ["APP"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body).APP).toBe(b.app);
    }, 20_000);
  });
}

describeE2E("socket-in-tmp, working site: lighttpd spawns the backend (bin-path) on a socket under /tmp", ["lighttpd", "fcgiwrap"], () => {
  let sc: Scenario;
  let conf: string;
  let socketDir: string;
  beforeAll(async () => {
    sc = await Scenario.create("socket-in-tmp-spawned-ok");
    sc.installCgiApp("app");
    fs.mkdirSync(path.join(sc.dir, "sticky"));
    fs.chownSync(path.join(sc.dir, "sticky"), serverUser.uid, serverUser.gid);
    conf = sc.render("socket-in-tmp-spawned.conf", "lighttpd.conf", { STICKY: path.join(sc.dir, "sticky") });
    socketDir = ownedSocketDir(sc);
  });
  afterEach(stopAll);
  afterAll(() => {
    if (socketDir && !socketDir.startsWith(sc.dir)) fs.rmSync(socketDir, { recursive: true, force: true });
    sc?.remove();
  });

  it("before: the app answers GET /app/hello", async () => {
    await sc.start(conf);
    const r = await sc.get("/app/hello");
    expect(r.status).toBe(200);
    expect(cgiVars(r.body).APP).toBe("fcgiwrap");
  }, 20_000);

  it("after lighttpd-lint --fix --socket-dir: the socket moved and the app answers the same", async () => {
    const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir]);
    expect(socketOf(fixed.text)).toBe(path.join(socketDir, "fcgiwrap.sock"));
    await sc.start(fixed.path);
    const r = await sc.get("/app/hello");
    observe("socket-in-tmp (bin-path, working)", "after", "/app/hello", r, ["APP"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", PATH_INFO: "/hello" });
  }, 20_000);
});
