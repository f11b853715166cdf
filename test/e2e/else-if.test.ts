/**
 * else-if on a real server (lighttpd before 1.4.74): 'else if' is accepted silently, but the
 * second condition is dropped, so its block applies to every request the first one did not match.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { lighttpdVersion } from "../helpers/lighttpd.js";
import { atLeast } from "../../src/util/version.js";
import { Scenario, applyFix, describeE2E, observe, observeFix, stopAll } from "./harness.js";

const dropsCondition = lighttpdVersion !== undefined && !atLeast(lighttpdVersion, "1.4.74");

describeE2E("else-if: 'else if' before lighttpd 1.4.74", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("else-if");
    for (const d of ["a", "b", "c"]) sc.write(`www/${d}/page.txt`, `${d}\n`);
    conf = sc.render("else-if.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it.runIf(dropsCondition)(
    "before: lighttpd -tt accepts it, but GET /c/page.txt gets X-Zone: b",
    async () => {
      expect(sc.check(conf).ok).toBe(true);
      await sc.start(conf);
      const c = await sc.get("/c/page.txt");
      observe("else-if", "before", "/c/page.txt", c, ["X-Zone"]);
      expect(c.status).toBe(200);
      expect(c.headers["x-zone"]).toBe("b");
      expect((await sc.get("/a/page.txt")).headers["x-zone"]).toBe("a");
    },
    20_000,
  );

  it.runIf(dropsCondition)(
    "after lighttpd-lint --fix: only /b/ gets X-Zone: b, /c/page.txt gets none",
    async () => {
      const fixed = applyFix("else-if", conf);
      observeFix("else-if", fixed);
      await sc.start(fixed.path);
      const c = await sc.get("/c/page.txt");
      observe("else-if", "after", "/c/page.txt", c, ["X-Zone"]);
      expect(c.status).toBe(200);
      expect(c.headers["x-zone"]).toBeUndefined();
      expect((await sc.get("/b/page.txt")).headers["x-zone"]).toBe("b");
      expect((await sc.get("/a/page.txt")).headers["x-zone"]).toBe("a");
    },
    20_000,
  );
});
