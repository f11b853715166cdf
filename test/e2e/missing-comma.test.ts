/**
 * missing-comma on a real server: lighttpd accepts a list with a missing comma silently and drops
 * the element after the gap, so a security header and an index file are not what the text says.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, describeE2E, observe, observeFix, stopAll } from "./harness.js";

describeE2E("missing-comma: list elements without a comma between them", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("missing-comma");
    sc.write("www/home.html", "home\n"); // the second index file; there is no index.html
    conf = sc.render("missing-comma.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("before: lighttpd -tt accepts it, but GET / has no X-Content-Type-Options and home.html is not an index file (403: a directory without index or listing)", async () => {
    expect(sc.check(conf).ok).toBe(true);
    await sc.start(conf);
    const r = await sc.get("/");
    observe("missing-comma", "before", "/", r, ["X-Frame-Options", "X-Content-Type-Options"]);
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["x-content-type-options"]).toBeUndefined();
    expect(r.status).toBe(403);
    expect(r.body).not.toBe("home\n");
  }, 20_000);

  it("after lighttpd-lint --fix: GET / sends both headers and serves home.html", async () => {
    const fixed = applyFix("missing-comma", conf);
    observeFix("missing-comma", fixed);
    await sc.start(fixed.path);
    const r = await sc.get("/");
    observe("missing-comma", "after", "/", r, ["X-Frame-Options", "X-Content-Type-Options"]);
    expect(r.headers["x-frame-options"]).toBe("DENY");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    expect(r.status).toBe(200);
    expect(r.body).toBe("home\n");
  }, 20_000);
});
