/**
 * alias-trailing-slash on a real server: mod_alias swaps the key for the target verbatim, so a
 * key and target that disagree on the trailing "/" map URLs to the wrong place.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Scenario, applyFix, describeE2E, observe, observeFix, stopAll } from "./harness.js";

describeE2E("alias-trailing-slash: alias.url keys and targets that disagree on the trailing slash", ["lighttpd"], () => {
  let sc: Scenario;
  let conf: string;
  beforeAll(async () => {
    sc = await Scenario.create("alias-trailing-slash");
    sc.write("media/photo.txt", "photo\n");
    sc.write("secret.txt", "secret\n"); // beside media/, never meant to be served
    sc.write("docs/guide.txt", "guide\n");
    conf = sc.render("alias-trailing-slash.conf", "lighttpd.conf");
  });
  afterEach(stopAll);
  afterAll(() => sc?.remove());

  it('before: "/docs/" => ".../docs" maps /docs/guide.txt to .../docsguide.txt (404); "/media" => ".../media/" maps /media../secret.txt to .../media/../secret.txt (403)', async () => {
    await sc.start(conf);
    const guide = await sc.get("/docs/guide.txt");
    observe("alias-trailing-slash", "before", "/docs/guide.txt", guide);
    expect(guide.status).toBe(404);
    const traversal = await sc.get("/media../secret.txt");
    observe("alias-trailing-slash", "before", "/media../secret.txt", traversal);
    // the mapping climbs out of media/; only lighttpd's own traversal guard refuses it
    expect(traversal.status).toBe(403);
    expect(traversal.body).not.toContain("secret");
    expect((await sc.get("/media/photo.txt")).body).toBe("photo\n");
  }, 20_000);

  it("after lighttpd-lint --fix: /docs/guide.txt is served, /media../secret.txt no longer maps out of media/ (404), /media/photo.txt still works", async () => {
    const fixed = applyFix("alias-trailing-slash", conf);
    observeFix("alias-trailing-slash", fixed);
    await sc.start(fixed.path);
    const guide = await sc.get("/docs/guide.txt");
    observe("alias-trailing-slash", "after", "/docs/guide.txt", guide);
    expect(guide.status).toBe(200);
    expect(guide.body).toBe("guide\n");
    const traversal = await sc.get("/media../secret.txt");
    observe("alias-trailing-slash", "after", "/media../secret.txt", traversal);
    expect(traversal.status).toBe(404);
    const photo = await sc.get("/media/photo.txt");
    expect(photo.status).toBe(200);
    expect(photo.body).toBe("photo\n");
  }, 20_000);
});
