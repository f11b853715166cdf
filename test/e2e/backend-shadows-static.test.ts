/**
 * backend-shadows-static on a real server: with a backend at "/", lighttpd hands /static/... to the
 * backend and never serves the aliased files; kept off the prefix, lighttpd serves them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

describeE2E('backend-shadows-static: a backend at "/" takes the requests meant for alias.url', ["lighttpd"], () => {
  let sc: Scenario;
  let backend: http.Server;
  let backendPort = 0;
  beforeAll(async () => {
    sc = await Scenario.create("backend-shadows-static");
    sc.write("static/site.css", "body { }\n");
    backend = http.createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("backend: not found\n");
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    backendPort = (backend.address() as AddressInfo).port;
  });
  afterEach(stopAll);
  afterAll(async () => {
    await new Promise<void>((resolve) => backend?.close(() => resolve()));
    sc?.remove();
  });

  it("before: /static/site.css goes to the backend (404 from the app), and the rule reports the alias", async () => {
    const conf = sc.render("backend-shadows-static.conf", "before.conf", { BACKEND_PORT: String(backendPort), OPEN: "", CLOSE: "" });
    expect(lintFindings(conf).map((f) => f.ruleId)).toContain("backend-shadows-static");
    await sc.start(conf);
    const css = await sc.get("/static/site.css");
    observe("backend-shadows-static", "before", "/static/site.css", css);
    expect(css.status).toBe(404);
    expect(css.body).toBe("backend: not found\n");
  }, 20_000);

  it('kept off the prefix ($HTTP["url"] !~ "^/static/"): lighttpd serves the file, and the rule is silent', async () => {
    const conf = sc.render("backend-shadows-static.conf", "after.conf", { BACKEND_PORT: String(backendPort), OPEN: '$HTTP["url"] !~ "^/static/" {', CLOSE: "}" });
    expect(lintFindings(conf).map((f) => f.ruleId)).not.toContain("backend-shadows-static");
    await sc.start(conf);
    const css = await sc.get("/static/site.css");
    observe("backend-shadows-static", "after", "/static/site.css", css);
    expect(css.status).toBe(200);
    expect(css.body).toBe("body { }\n");
    expect((await sc.get("/app")).body).toBe("backend: not found\n");
  }, 20_000);
});
