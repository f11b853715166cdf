/**
 * socket-in-tmp on a real server: the backend's socket is in a sticky, world-writable directory
 * (mode 1777, like /tmp) where another user left a stale socket. The server user cannot remove
 * it, so the backend cannot listen and lighttpd answers 503. The backend is started separately
 * (spawn-fcgi), so --fix leaves its socket alone; the suggestion (--fix-suggestions --socket-dir
 * DIR, DIR owned by the server user) applied together with the change it names on the other side
 * (spawn-fcgi -s DIR/...) makes the backend listen there and answer.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, leaveStaleSocket, observe, observeFix, otherUser, serverUser, socketOf, startFcgiwrap, stopAll } from "./harness.js";

describeE2E(
  "socket-in-tmp: a stale socket of another user in a sticky /tmp directory",
  ["lighttpd", "fcgiwrap", "spawn-fcgi"],
  () => {
    let sc: Scenario;
    let conf: string;
    let socketDir: string;
    beforeAll(async () => {
      sc = await Scenario.create("socket-in-tmp");
      sc.installCgiApp("app");
      const sticky = path.join(sc.dir, "sticky");
      fs.mkdirSync(sticky);
      fs.chmodSync(sticky, 0o1777); // like /tmp: everyone may create, only the owner may remove
      conf = sc.render("socket-in-tmp.conf", "lighttpd.conf", { STICKY: sticky });
      leaveStaleSocket(socketOf(fs.readFileSync(conf, "utf8")), otherUser!);
      // where sockets belong: a directory of the server user's own, outside /tmp when we can
      socketDir = mkdtempOr("/run/lighttpd-lint-e2e-", path.join(sc.dir, "run"));
      fs.chownSync(socketDir, serverUser.uid, serverUser.gid);
    });
    afterEach(stopAll);
    afterAll(() => {
      if (socketDir && !socketDir.startsWith(sc.dir)) fs.rmSync(socketDir, { recursive: true, force: true });
      sc?.remove();
    });

    it("before: the backend cannot bind over the stale socket and lighttpd answers GET /app/hello with 503", async () => {
      const socket = socketOf(fs.readFileSync(conf, "utf8"));
      const backend = await startFcgiwrap(sc, socket);
      expect(backend.listening).toBe(false);
      await backend.proc.exited;
      expect(backend.proc.output()).toMatch(/removing old socket failed: Operation not permitted/);
      await sc.start(conf);
      const r = await sc.get("/app/hello");
      observe("socket-in-tmp", "before", "/app/hello", r, ["APP"]);
      expect(r.status).toBe(503);
      expect(r.body).not.toContain("APP=fcgiwrap");
    }, 20_000);

    it("lighttpd-lint --fix alone does not move a socket lighttpd does not create", () => {
      const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir], { allowUnchanged: true });
      expect(fixed.text).toBe(fixed.before);
    });

    it("after the suggestion (--fix-suggestions --socket-dir) and spawn-fcgi -s moved with it: the backend answers", async () => {
      const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir, "--fix-suggestions"]);
      observeFix("socket-in-tmp", fixed);
      const socket = socketOf(fixed.text);
      expect(socket).toBe(path.join(socketDir, "fcgiwrap.sock"));
      const backend = await startFcgiwrap(sc, socket);
      expect(backend.listening, backend.proc.output()).toBe(true);
      await sc.start(fixed.path);
      const r = await sc.get("/app/hello");
      observe("socket-in-tmp", "after", "/app/hello", r, ["APP", "SCRIPT_NAME", "PATH_INFO"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", SCRIPT_NAME: "/app", PATH_INFO: "/hello" });
    }, 20_000);
  },
  { rootOnly: "needs root to leave a socket owned by another user and to run the servers as nobody" },
);

describeE2E(
  "socket-in-tmp: lighttpd spawns the backend (bin-path) over a stale socket of another user",
  ["lighttpd", "fcgiwrap"],
  () => {
    let sc: Scenario;
    let conf: string;
    let socketDir: string;
    beforeAll(async () => {
      sc = await Scenario.create("socket-in-tmp-spawned");
      sc.installCgiApp("app");
      const sticky = path.join(sc.dir, "sticky");
      fs.mkdirSync(sticky);
      fs.chmodSync(sticky, 0o1777);
      conf = sc.render("socket-in-tmp-spawned.conf", "lighttpd.conf", { STICKY: sticky });
      // lighttpd binds bin-path backends at "<socket>-<n>"
      leaveStaleSocket(`${socketOf(fs.readFileSync(conf, "utf8"))}-0`, otherUser!);
      socketDir = mkdtempOr("/run/lighttpd-lint-e2e-", path.join(sc.dir, "run"));
      fs.chownSync(socketDir, serverUser.uid, serverUser.gid);
    });
    afterEach(stopAll);
    afterAll(() => {
      if (socketDir && !socketDir.startsWith(sc.dir)) fs.rmSync(socketDir, { recursive: true, force: true });
      sc?.remove();
    });

    it("before: lighttpd cannot bind its backend's socket and does not start", async () => {
      const { started, proc } = await sc.startLighttpd(conf);
      expect(started).toBe(false);
      expect(proc.output()).toMatch(/bind failed for: unix:.*Address already in use/);
    }, 20_000);

    it("after lighttpd-lint --fix --socket-dir: lighttpd starts and the app answers GET /app/hello", async () => {
      const fixed = applyFix("socket-in-tmp", conf, ["--socket-dir", socketDir]);
      expect(socketOf(fixed.text)).toBe(path.join(socketDir, "fcgiwrap.sock"));
      await sc.start(fixed.path);
      const r = await sc.get("/app/hello");
      observe("socket-in-tmp (bin-path)", "after", "/app/hello", r, ["APP"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", PATH_INFO: "/hello" });
    }, 20_000);
  },
  { rootOnly: "needs root to leave a socket owned by another user and to run the servers as nobody" },
);

function mkdtempOr(prefix: string, fallback: string): string {
  try {
    return fs.mkdtempSync(prefix);
  } catch {
    return fallback;
  }
}
