/**
 * `lighttpd-lint convert --from lighttpd2`: lighttpd2 has no production release to run, so the
 * other side is what its WSGI howto's core.wsgi action does (contrib/core.lua in lighttpd2:
 * when the path starts with the prefix, SCRIPT_NAME = the prefix and PATH_INFO = the rest of the
 * path, cut as a string). The converted config runs on lighttpd with the FastCGI backend; over a
 * URL matrix the app receives that split, static aliases serve files, and where lighttpd 1.4
 * differs (a longer first segment) the report says so.
 */
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Scenario, stopAll } from "./harness.js";
import { convertCli, describeConvertE2E, get, routing, startEcho, startLighttpdWith, type ConvertJson } from "./convert/servers.js";

/** What core.wsgi ( prefix, ... ) hands the app for a (decoded) request path, per contrib/core.lua. */
function coreWsgi(prefix: string, url: string): Record<string, string> | undefined {
  const [rawPath, query = ""] = url.split(/\?(.*)/s);
  const p = decodeURIComponent(rawPath);
  if (!p.startsWith(prefix)) return undefined;
  return { SCRIPT_NAME: prefix, PATH_INFO: p.slice(prefix.length), QUERY_STRING: query, REQUEST_URI: url };
}

describeConvertE2E('convert lighttpd2: core.wsgi ("/board", { fastcgi ...; }) with a static alias served before it', ["lighttpd", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let status: number | null;

  beforeAll(async () => {
    sc = await Scenario.create("convert-lighttpd2");
    const sock = path.join(sc.dir, "run", "board.sock");
    sc.write("static/app.css", "p { margin: 0 }\n");
    sc.write("www/index.html", "front page\n");
    sc.write(
      "source.conf",
      `setup {
    module_load ( "mod_fastcgi" );
    listen "127.0.0.1:8080";
}

docroot "${sc.vars.WWW}";
index [ "index.html" ];

if request.path =^ "/board/static" {
    alias "/board/static" => "${sc.dir}/static";
    static;
}

core.wsgi ( "/board", {
    fastcgi "unix:${sock}";
} );

static;
`,
    );
    const r = convertCli("lighttpd2", path.join(sc.dir, "source.conf"));
    json = r.json;
    status = r.status;
    await startEcho(sc, `unix:${sock}`);
    await startLighttpdWith(sc, json.config);
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it("converts with nothing unsupported: a prefix mount with check-local disabled, the alias kept off it", () => {
    expect(status).toBe(0);
    expect(json.counts.unsupported).toBe(0);
    expect(json.config).toMatch(/"\/board" => \(\(\s*"socket" => "[^"]+board\.sock",\s*"check-local" => "disable"/);
    expect(json.config).toMatch(/\$HTTP\["url"\] !~ "\^\(\?:\/board\/static\)"/);
  });

  for (const url of ["/board", "/board/", "/board/topic/42", "/board/topic/42/?page=3", "/board/a%20b?q=x%26y", "/board/static-not-really"]) {
    it(`GET ${url}: the app receives what core.wsgi gives (SCRIPT_NAME = prefix, PATH_INFO = rest)`, async () => {
      const l = await get(sc.port, url);
      const expected = coreWsgi("/board", url)!;
      if (url === "/board/static-not-really") {
        // lighttpd2's `=^` is a string prefix: its if-block (alias + static) answers, 404; the converted guard and alias.url are string prefixes too
        expect(json.config).toContain(`"^(?:/board/static)"`);
        expect(l.status).toBe(404);
        return;
      }
      expect(l.status).toBe(200);
      expect(routing(l.app)).toEqual({ ...expected, PATH_INFO: expected.PATH_INFO });
    });
  }

  it("serves the alias and the document root as static files, 404 for missing ones", async () => {
    expect(await get(sc.port, "/board/static/app.css")).toMatchObject({ status: 200, body: "p { margin: 0 }\n" });
    expect((await get(sc.port, "/board/static/none.css")).status).toBe(404);
    expect(await get(sc.port, "/")).toMatchObject({ status: 200, body: "front page\n" });
    expect((await get(sc.port, "/missing")).status).toBe(404);
  });

  it("differs as reported: /boardX/y is cut at the prefix by core.wsgi, at the next slash by lighttpd 1.4", async () => {
    expect(json.report.find((e) => e.directive.startsWith("fastcgi"))!.note).toMatch(/\/boardX\/\.\.\. without a slash after the prefix/);
    const l = await get(sc.port, "/boardX/y");
    expect(coreWsgi("/board", "/boardX/y")).toMatchObject({ SCRIPT_NAME: "/board", PATH_INFO: "X/y" });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/boardX", PATH_INFO: "/y" });
  });
});
