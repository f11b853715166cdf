/** url-condition-query on a real server: $HTTP["url"] never sees the query string; $HTTP["querystring"] does. */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

describeE2E('url-condition-query: $HTTP["url"] is the path without the query', ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("url-condition-query");
    sc.write("www/index.html", "index\n");
    sc.write("www/other.html", "other\n");
    conf = sc.render("url-condition-query.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it('the rule reports the $HTTP["url"] condition only', () => {
    expect(lintFindings(conf).filter((f) => f.ruleId === "url-condition-query").length).toBe(1);
  });

  it("/index.html?page=admin is served despite the deny; /other.html?page=admin is denied", async () => {
    await sc.start(conf);
    const index = await sc.get("/index.html?page=admin");
    observe("url-condition-query", "before", "/index.html?page=admin", index);
    expect(index.status).toBe(200);
    expect(index.body).toBe("index\n");
    const other = await sc.get("/other.html?page=admin");
    observe("url-condition-query", "before", "/other.html?page=admin", other);
    expect(other.status).toBe(403);
  }, 20_000);
});
