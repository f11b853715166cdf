/**
 * auth-backend-mismatch on a real server: digest over htpasswd and a require without backend answer
 * 500; htdigest without its userfile refuses a correct password (401); basic over htpasswd works.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll, type Reply } from "./harness.js";

/** GET with HTTP basic credentials (the harness's get sends none). */
function getWithLogin(port: number, urlPath: string, user: string, password: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, agent: false, timeout: 3000, headers: { Authorization: auth } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${urlPath}: no answer within 3000 ms`)));
    req.on("error", reject);
    req.end();
  });
}

describeE2E("auth-backend-mismatch: an auth.require the backend cannot check", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("auth-backend-mismatch");
    for (const d of ["digest", "nobackend", "nofile", "basic"]) sc.write(`www/${d}/index.html`, `${d}\n`);
    sc.write("htpasswd", `alice:{SHA}${createHash("sha1").update("secret").digest("base64")}\n`);
    conf = sc.render("auth-backend-mismatch.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports the digest require, the require without backend and the missing userfile, not the working one", () => {
    const found = lintFindings(conf)
      .filter((f) => f.ruleId === "auth-backend-mismatch")
      .map((f) => /"\/[a-z]+\/"/.exec(f.message)?.[0])
      .sort();
    expect(found).toEqual(['"/digest/"', '"/nobackend/"', '"/nofile/"']);
  });

  it("lighttpd starts, then fails the three mismatches and lets alice into the working area", async () => {
    await sc.start(conf);
    const digest = await sc.get("/digest/index.html");
    observe("auth-backend-mismatch", "before", "/digest/index.html", digest);
    expect(digest.status).toBe(500);
    const none = await sc.get("/nobackend/index.html");
    observe("auth-backend-mismatch", "before", "/nobackend/index.html", none);
    expect(none.status).toBe(500);
    const nofile = await getWithLogin(sc.port, "/nofile/index.html", "alice", "secret");
    observe("auth-backend-mismatch", "before", "/nofile/index.html (alice)", nofile);
    expect(nofile.status).toBe(401);
    const basic = await sc.get("/basic/index.html");
    expect(basic.status).toBe(401);
    expect(basic.headers["www-authenticate"]).toMatch(/^Basic realm="r"/);
    const alice = await getWithLogin(sc.port, "/basic/index.html", "alice", "secret");
    observe("auth-backend-mismatch", "before", "/basic/index.html (alice)", alice);
    expect(alice.status).toBe(200);
    expect(alice.body).toBe("basic\n");
  }, 20_000);
});
