/**
 * `lighttpd-lint convert --from htaccess`, proven by running both: a PHP-style front controller
 * (`RewriteCond %{REQUEST_FILENAME} !-f`, `!-d`, `RewriteRule ^(.*)$ index.php/$1 [L,QSA]`, .php
 * handed to FastCGI by `SetHandler proxy:unix:...`) behind Debian's apache2, and the converted
 * config (url.rewrite-if-not-file + fastcgi.server ".php") behind lighttpd, with the same FastCGI
 * backend. Over a URL matrix the outcomes agree, or differ where the report says (directories).
 */
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Scenario, isRoot, serverUser, stopAll } from "./harness.js";
import { comparable, convertCli, describeConvertE2E, freePort, get, show, startApache, startEcho, startLighttpdWith, type ConvertJson, type Outcome } from "./convert/servers.js";

describeConvertE2E("convert .htaccess: front controller (!-f, !-d -> index.php/$1) behind apache2 and lighttpd", ["lighttpd", "apache2", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let status: number | null;
  let apachePort: number;
  const fetch = async (url: string): Promise<{ a: Outcome; l: Outcome }> => {
    const a = await get(apachePort, url);
    const l = await get(sc.port, url);
    show(sc.name, url, a, l);
    return { a, l };
  };

  beforeAll(async () => {
    sc = await Scenario.create("convert-htaccess");
    apachePort = await freePort();
    const sock = path.join(sc.dir, "run", "app.sock");
    sc.write("www/index.php", "<?php // never run: the FastCGI backend answers\n");
    sc.write("www/style.css", "body { color: black }\n");
    sc.write("www/docs/index.html", "docs index\n");
    sc.write(
      "www/.htaccess",
      `DirectoryIndex index.php
Options -Indexes

<FilesMatch "\\.php$">
    SetHandler "proxy:unix:${sock}|fcgi://localhost"
</FilesMatch>

RewriteEngine On
RewriteCond %{REQUEST_FILENAME} !-f
RewriteCond %{REQUEST_FILENAME} !-d
RewriteRule ^(.*)$ index.php/$1 [L,QSA]
`,
    );
    const r = convertCli("htaccess", path.join(sc.vars.WWW, ".htaccess"));
    json = r.json;
    status = r.status;
    await startEcho(sc, `unix:${sock}`);
    await startApache(sc, apachePort, isRoot ? serverUser : undefined);
    await startLighttpdWith(sc, json.config);
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it("converts with nothing unsupported, to url.rewrite-if-not-file and a .php FastCGI mount", () => {
    expect(status).toBe(0);
    expect(json.counts.unsupported).toBe(0);
    expect(json.config).toMatch(/url\.rewrite-if-not-file \+?= \(/);
    expect(json.config).toContain(`".php" => ((`);
    expect(json.report.find((e) => e.directive.includes("!-d"))?.status).toBe("approximated");
  });

  for (const url of ["/", "/?page=2", "/hello", "/hello/world?x=1&y=2", "/index.php", "/index.php/direct?z", "/missing.txt", "/caf%C3%A9?q=%20x", "/a%20b/c/", "/style.css"]) {
    it(`GET ${url}: both servers agree`, async () => {
      const { a, l } = await fetch(url);
      expect(comparable(l)).toEqual(comparable(a));
    });
  }

  it("the app gets SCRIPT_NAME=/index.php, PATH_INFO=the path and the query string from both", async () => {
    const { a, l } = await fetch("/blog/post-1?lang=de");
    for (const o of [a, l]) expect(o.app).toMatchObject({ SCRIPT_NAME: "/index.php", PATH_INFO: "/blog/post-1", QUERY_STRING: "lang=de", REQUEST_URI: "/blog/post-1?lang=de" });
  });

  it("differs as reported: an existing directory other than / goes to the front controller in lighttpd", async () => {
    expect(json.report.find((e) => e.directive.includes("!-d"))!.note).toMatch(/existing directories are rewritten too/);
    const { a, l } = await fetch("/docs/");
    expect(a.app).toBeUndefined(); // Apache: the directory itself (DirectoryIndex index.php is not there)
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/index.php", PATH_INFO: "/docs/" });
  });
});
