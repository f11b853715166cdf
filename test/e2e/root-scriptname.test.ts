/**
 * root-scriptname on a real server: an application mounted at "/" (php-cgi, spawned by lighttpd)
 * gets a URL split at its second "/" until "fix-root-scriptname" is enabled.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, observe, stopAll } from "./harness.js";

describeE2E('root-scriptname: an app mounted at "/"', ["lighttpd", "php-cgi"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("root-scriptname");
    sc.install("app.php", "app.php");
    conf = sc.render("root-scriptname.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: GET /blog/post/1 reaches the app as SCRIPT_NAME=/blog, PATH_INFO=/post/1", async () => {
    await sc.start(conf);
    const r = await sc.get("/blog/post/1");
    observe("root-scriptname", "before", "/blog/post/1", r, ["SCRIPT_NAME", "PATH_INFO"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "php-cgi", SCRIPT_NAME: "/blog", PATH_INFO: "/post/1", REQUEST_URI: "/blog/post/1" });
  }, 20_000);

  it('after lighttpd-lint --fix: SCRIPT_NAME="" and PATH_INFO=/blog/post/1', async () => {
    const fixed = applyFix("root-scriptname", conf);
    expect(fixed.text).toMatch(/"fix-root-scriptname"\s*=>\s*"enable"/);
    await sc.start(fixed.path);
    const r = await sc.get("/blog/post/1");
    observe("root-scriptname", "after", "/blog/post/1", r, ["SCRIPT_NAME", "PATH_INFO"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "php-cgi", SCRIPT_NAME: "", PATH_INFO: "/blog/post/1", REQUEST_URI: "/blog/post/1" });
  }, 20_000);
});
