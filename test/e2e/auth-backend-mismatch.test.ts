/** auth-backend-mismatch on a real server: digest over htpasswd and a require without backend answer 500; basic over htpasswd asks for a login. */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

describeE2E("auth-backend-mismatch: an auth.require the backend cannot check", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("auth-backend-mismatch");
    for (const d of ["digest", "nobackend", "basic"]) sc.write(`www/${d}/index.html`, `${d}\n`);
    sc.write("htpasswd", "alice:$apr1$lL1d1RNb$hsNmJ.ziXswy5RvtoqBl4/\n");
    conf = sc.render("auth-backend-mismatch.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports the digest require and the require without backend, not the basic one", () => {
    const lines = lintFindings(conf)
      .filter((f) => f.ruleId === "auth-backend-mismatch")
      .map((f) => f.message.slice(0, f.message.indexOf(":")));
    expect(lines).toHaveLength(2);
    expect(lines.some((m) => m.includes('"/digest/"'))).toBe(true);
    expect(lines.some((m) => m.includes('"/nobackend/"'))).toBe(true);
  });

  it("lighttpd starts, then answers 500 for the two mismatches and 401 for the working setup", async () => {
    await sc.start(conf);
    const digest = await sc.get("/digest/index.html");
    observe("auth-backend-mismatch", "before", "/digest/index.html", digest);
    expect(digest.status).toBe(500);
    const none = await sc.get("/nobackend/index.html");
    observe("auth-backend-mismatch", "before", "/nobackend/index.html", none);
    expect(none.status).toBe(500);
    const basic = await sc.get("/basic/index.html");
    observe("auth-backend-mismatch", "before", "/basic/index.html", basic);
    expect(basic.status).toBe(401);
    expect(basic.headers["www-authenticate"]).toMatch(/^Basic realm="r"/);
  }, 20_000);
});
