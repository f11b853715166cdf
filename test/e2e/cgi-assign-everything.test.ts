/** cgi-assign-everything on a real server: an uploaded executable is run, a plain page is not served (500). */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, describeE2E, lintFindings, observe, stopAll } from "./harness.js";

describeE2E('cgi-assign-everything: cgi.assign "" in the global scope', ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("cgi-assign-everything");
    sc.write("www/page.html", "hello\n");
    // An "upload" that happens to be executable.
    sc.write("www/upload.txt", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nexecuted\\n'\n", 0o755);
    conf = sc.render("cgi-assign-everything.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it("the rule reports it", () => {
    expect(lintFindings(conf).map((f) => f.ruleId)).toContain("cgi-assign-everything");
  });

  it("upload.txt is executed and page.html is not served", async () => {
    await sc.start(conf);
    const upload = await sc.get("/upload.txt");
    observe("cgi-assign-everything", "before", "/upload.txt", upload);
    expect(upload.body).toBe("executed\n");
    const page = await sc.get("/page.html");
    observe("cgi-assign-everything", "before", "/page.html", page);
    expect(page.status).toBe(500);
  }, 20_000);
});
