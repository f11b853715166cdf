/** capture-reference on a real server: "%20" in a target is capture %2 and "0"; "$2" of a one-group pattern is empty. */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

describeE2E("capture-reference: references to groups that do not exist are empty", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("capture-reference");
    conf = sc.render("capture-reference.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports %20 and $2, not %%20", () => {
    const found = lintFindings(conf).filter((f) => f.ruleId === "capture-reference");
    expect(found.length).toBe(2);
  });

  it("lighttpd redirects /a to /b0c, /d to /e%20f and /g to /hi", async () => {
    await sc.start(conf);
    const location = async (p: string) => {
      const r = await sc.get(p);
      observe("capture-reference", "before", p, r);
      return String(r.headers.location ?? "");
    };
    expect(await location("/a")).toMatch(/\/b0c$/);
    expect(await location("/d")).toMatch(/\/e%20f$/);
    expect(await location("/g")).toMatch(/\/hi$/);
  }, 20_000);
});
