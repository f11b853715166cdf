/**
 * host-condition on a real server: lighttpd lower-cases the Host header, so an upper-case
 * `$HTTP["host"]` value never matches; "==" ignores a ":port" in the Host header, an end-anchored
 * regex does not (it does not match "Host: name:PORT").
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll, type Reply } from "./harness.js";

/** GET / with the given Host header, verbatim, with a time bound. */
function getWithHost(port: number, host: string, timeoutMs = 3000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/index.html", method: "GET", agent: false, timeout: timeoutMs, headers: { Host: host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET with Host ${host}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

describeE2E('host-condition: what $HTTP["host"] holds', ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("host-condition");
    sc.write("www/index.html", "index\n");
    conf = sc.render("host-condition.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports the upper-case value; with the server reachable on its port (no loopback bind), also the anchored regex", () => {
    const reported = (file: string) =>
      lintFindings(file)
        .filter((f) => f.ruleId === "host-condition")
        .map((f) => f.message.slice(0, f.message.indexOf(" ", 18)));
    const merged = ['$HTTP["host"] == "Merged.example"', '$HTTP["host"] == "Merged.example"'];
    expect(reported(conf)).toEqual(['$HTTP["host"] == "Upper.example"', ...merged]);
    const open = sc.write("open.conf", fs.readFileSync(conf, "utf8").replace(/^server\.bind.*$/m, ""));
    expect(reported(open)).toEqual(['$HTTP["host"] == "Upper.example"', '$HTTP["host"] =~ "^anchored\\.example$"', ...merged]);
  });

  it("Host: Upper.example is served despite the deny; lower.example is denied with or without the port", async () => {
    await sc.start(conf);
    const upper = await getWithHost(sc.port, "Upper.example");
    observe("host-condition", "before", "Host: Upper.example", upper);
    expect(upper.status).toBe(200);
    expect(upper.body).toBe("index\n");
    for (const host of ["lower.example", `lower.example:${sc.port}`, "LOWER.example"]) {
      const r = await getWithHost(sc.port, host);
      observe("host-condition", "before", `Host: ${host}`, r);
      expect(r.status, host).toBe(403);
    }
  }, 20_000);

  it("a lower-case condition merged into an upper-case one written first never matches either", async () => {
    await sc.start(conf);
    const r = await getWithHost(sc.port, "merged.example");
    observe("host-condition", "before", "Host: merged.example", r);
    expect(r.status).toBe(200);
    expect(r.body).toBe("index\n");
  }, 20_000);

  it("the end-anchored regex denies Host: anchored.example, but not anchored.example:PORT", async () => {
    await sc.start(conf);
    const plain = await getWithHost(sc.port, "anchored.example");
    expect(plain.status).toBe(403);
    const withPort = await getWithHost(sc.port, `anchored.example:${sc.port}`);
    observe("host-condition", "before", `Host: anchored.example:${sc.port}`, withPort);
    expect(withPort.status).toBe(200);
    // the default port is stripped (request.c http_request_host_normalize), so :80 still matches
    const defaultPort = await getWithHost(sc.port, "anchored.example:80");
    expect(defaultPort.status).toBe(403);
  }, 20_000);
});
