/** arrow-typo on a real server: one '->' and lighttpd refuses the whole config. */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, cgiVars, describeE2E, observe, stopAll } from "./harness.js";

describeE2E("arrow-typo: '->' instead of '=>'", ["lighttpd", "fcgiwrap"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("arrow-typo");
    sc.installCgiApp("app");
    conf = sc.render("arrow-typo.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: lighttpd -tt refuses the config and the server does not start", async () => {
    const check = sc.check(conf);
    expect(check.ok).toBe(false);
    expect(check.output).toMatch(/parser failed|configfile\.c/);
    const { started, proc } = await sc.startLighttpd(conf);
    expect(started).toBe(false);
    expect(proc.exitCode()).not.toBe(0);
  }, 20_000);

  it("after lighttpd-lint --fix: lighttpd -tt accepts it and the app answers GET /app/hello", async () => {
    const fixed = applyFix("arrow-typo", conf);
    expect(fixed.text).toMatch(/"check-local"\s*=>\s*"disable"/);
    const check = sc.check(fixed.path);
    expect(check.ok, check.output).toBe(true);
    await sc.start(fixed.path);
    const r = await sc.get("/app/hello");
    observe("arrow-typo", "after", "/app/hello", r, ["APP", "SCRIPT_NAME", "PATH_INFO"]);
    expect(r.status).toBe(200);
    expect(cgiVars(r.body)).toMatchObject({ APP: "fcgiwrap", SCRIPT_NAME: "/app", PATH_INFO: "/hello" });
  }, 20_000);
});
