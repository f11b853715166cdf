/**
 * access-deny-bypass on a real server: url.rewrite-once runs before mod_access and lighttpd tests
 * $HTTP["url"] again on the rewritten path, so a deny on /admin/ lets /admin/... through to the
 * front controller. url.rewrite-if-not-file (after mod_access) and a first rule that keeps
 * /admin/ unchanged do not.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, cgiVars, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

const VARIANTS = {
  bypass: 'url.rewrite-once = ( "^/(.*)$" => "/index.cgi/$1" )',
  query: 'url.rewrite-once = ( "^/(.*)$" => "/index.cgi?q=$1" )',
  ifNotFile: 'url.rewrite-if-not-file = ( "^/(.*)$" => "/index.cgi/$1" )',
  keep: 'url.rewrite-once = ( "^/admin/.*" => "$0", "^/(.*)$" => "/index.cgi/$1" )',
};

describeE2E("access-deny-bypass: a url.rewrite-once front controller and a deny on /admin/", ["lighttpd"], () => {
  let sc: Scenario;
  const conf: Record<string, string> = {};
  beforeAll(async () => {
    sc = await Scenario.create("access-deny-bypass");
    sc.write("www/admin/secret.txt", "secret\n");
    sc.write("www/index.cgi", '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\nprintf "APP=front\\nREQUEST_URI=%s\\n" "$REQUEST_URI"\n', 0o755);
    for (const [name, rewrite] of Object.entries(VARIANTS)) conf[name] = sc.render("access-deny-bypass.conf", `${name}.conf`, { REWRITE: rewrite });
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  const findings = (name: string) => lintFindings(conf[name]).filter((f) => f.ruleId === "access-deny-bypass");

  it("the rule reports the url.rewrite-once configs only, and the suffix deny only for the query rewrite", () => {
    const denied = (name: string) => findings(name).map((f) => /in (\$HTTP\["url"\] \S+ "[^"]*")/.exec(f.message)?.[1]);
    expect(denied("bypass")).toEqual(['$HTTP["url"] =~ "^/admin/"']);
    expect(denied("query")).toEqual(['$HTTP["url"] =~ "^/admin/"', '$HTTP["url"] =~ "\\.inc$"']);
    expect(findings("ifNotFile")).toHaveLength(0);
    expect(findings("keep")).toHaveLength(0);
  });

  it("with url.rewrite-once the front controller answers /admin/ requests with the original REQUEST_URI", async () => {
    await sc.start(conf.bypass);
    for (const p of ["/admin/secret.txt", "/admin/users"]) {
      const r = await sc.get(p);
      observe("access-deny-bypass", "rewrite-once", p, r, ["REQUEST_URI"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body)).toMatchObject({ APP: "front", REQUEST_URI: p });
    }
    // The path-info target keeps the suffix: "/index.cgi/config.inc" still ends with ".inc".
    const inc = await sc.get("/config.inc");
    observe("access-deny-bypass", "rewrite-once", "/config.inc", inc);
    expect(inc.status).toBe(403);
  }, 20_000);

  it("with a query target the suffix deny is bypassed too", async () => {
    await sc.start(conf.query);
    for (const p of ["/admin/users", "/config.inc"]) {
      const r = await sc.get(p);
      observe("access-deny-bypass", "rewrite-once query", p, r, ["REQUEST_URI"]);
      expect(r.status).toBe(200);
      expect(cgiVars(r.body)).toMatchObject({ APP: "front", REQUEST_URI: p });
    }
  }, 20_000);

  it("url.rewrite-if-not-file and a first rule keeping /admin/ leave the deny in force (403)", async () => {
    for (const name of ["ifNotFile", "keep"]) {
      await sc.start(conf[name]);
      for (const p of ["/admin/secret.txt", "/admin/users"]) {
        const r = await sc.get(p);
        observe("access-deny-bypass", name, p, r);
        expect(r.status, `${name} ${p}`).toBe(403);
      }
      await stopAll();
    }
    // The front controller still serves everything else.
    await sc.start(conf.keep);
    const other = await sc.get("/shop/cart");
    expect(cgiVars(other.body)).toMatchObject({ APP: "front", REQUEST_URI: "/shop/cart" });
  }, 30_000);
});
