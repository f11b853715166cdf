/**
 * fcgi-children-with-max-procs on a real server: with max-procs 2 and PHP_FCGI_CHILDREN 3, lighttpd
 * runs 2 × (1 + 3) = 8 php-cgi processes (the count the rule's message gives), and a page is served.
 */
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, bin, describeE2E, descendants, lintFindings, stopAll } from "./harness.js";

/** The php-cgi processes below `pid`. */
function phpProcesses(pid: number): number {
  return descendants(pid).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p.pid}/comm`, "utf8").trim().startsWith("php");
    } catch {
      return false;
    }
  }).length;
}

describeE2E("fcgi-children-with-max-procs: max-procs × (1 + PHP_FCGI_CHILDREN) PHP processes", ["lighttpd", "php-cgi"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("fcgi-children-with-max-procs");
    sc.write("www/index.php", "<?php echo 'php ', 6 * 7, \"\\n\";\n");
    conf = sc.render("fcgi-children-with-max-procs.conf", "lighttpd.conf", { PHPCGI: bin("php-cgi") });
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports 8 processes", () => {
    const found = lintFindings(conf).filter((f) => f.ruleId === "fcgi-children-with-max-procs");
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/starts 2 PHP processes .* forks 3 children: 8 processes/);
  });

  it("lighttpd runs 8 php-cgi processes and serves the page", async () => {
    const proc = await sc.start(conf);
    const page = await sc.get("/index.php");
    expect(page.body).toBe("php 42\n");
    // PHP forks its children as it starts: wait until the count settles (bounded).
    let count = 0;
    for (let i = 0; i < 50 && count < 8; i++) {
      count = phpProcesses(proc.pid);
      if (count < 8) await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe(8);
  }, 20_000);
});
