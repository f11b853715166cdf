/**
 * check-local on a real server: a FastCGI app mounted at "/app" (fcgiwrap, spawned by lighttpd)
 * is never asked while lighttpd looks for the URL on disk first.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, observe, stopAll } from "./harness.js";

describeE2E('check-local: an app mounted at "/app"', ["lighttpd", "fcgiwrap"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("check-local");
    sc.installCgiApp("app");
    conf = sc.render("check-local.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: GET /app/hello is answered 404 by lighttpd, the app never runs", async () => {
    await sc.start(conf);
    const r = await sc.get("/app/hello");
    observe("check-local", "before", "/app/hello", r, ["APP"]);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain("APP=fcgiwrap");
  }, 20_000);

  it("after lighttpd-lint --fix: the app answers GET /app/hello (SCRIPT_NAME=/app, PATH_INFO=/hello)", async () => {
    const fixed = applyFix("check-local", conf);
    expect(fixed.text).toMatch(/"check-local"\s*=>\s*"disable"/);
    await sc.start(fixed.path);
    const r = await sc.get("/app/hello");
    observe("check-local", "after", "/app/hello", r, ["APP", "SCRIPT_NAME", "PATH_INFO"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", SCRIPT_NAME: "/app", PATH_INFO: "/hello", REQUEST_URI: "/app/hello" });
  }, 20_000);
});
