/**
 * module-not-loaded on a real server: url.rewrite-once without mod_rewrite in server.modules is
 * ignored, so /blog/... never reaches the application the rewrite points to.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, observe, stopAll } from "./harness.js";

describeE2E("module-not-loaded: url.rewrite-once without mod_rewrite", ["lighttpd", "fcgiwrap"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("module-not-loaded");
    sc.installCgiApp("app");
    conf = sc.render("module-not-loaded.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: GET /blog/hello is not rewritten (404), and lighttpd only warns about the key", async () => {
    const server = await sc.start(conf);
    const r = await sc.get("/blog/hello");
    observe("module-not-loaded", "before", "/blog/hello", r, ["APP"]);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain("APP=fcgiwrap");
    // the app itself is up: only the rewrite is missing
    expect((await sc.get("/app/hello")).status).toBe(200);
    expect(server.output()).toMatch(/unknown config-key: url\.rewrite-once/);
  }, 20_000);

  it("after lighttpd-lint --fix: mod_rewrite is loaded and the app answers GET /blog/hello as /app/hello", async () => {
    const fixed = applyFix("module-not-loaded", conf);
    expect(fixed.text).toMatch(/server\.modules\s*=\s*\([^)]*"mod_rewrite"/);
    await sc.start(fixed.path);
    const r = await sc.get("/blog/hello");
    observe("module-not-loaded", "after", "/blog/hello", r, ["APP", "SCRIPT_NAME", "PATH_INFO"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", SCRIPT_NAME: "/app", PATH_INFO: "/hello", REQUEST_URI: "/blog/hello" });
  }, 20_000);
});
