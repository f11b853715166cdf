/**
 * Every converted fixture is a config the real lighttpd accepts (`lighttpd -tt`): the --full
 * config on its own, and the snippet included from a main config that already sets the keys the
 * snippet touches (document root, index names, a redirect code, an alias), as a real site's does.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { convertText, type SourceLanguage } from "../../src/convert/index.js";
import { describeWithLighttpd, lighttpdVersion, repoRoot, runLighttpd } from "../helpers/lighttpd.js";

const fixtures: [string, SourceLanguage][] = [
  ["nginx-prefix.conf", "nginx"],
  ["nginx-root.conf", "nginx"],
  ["nginx-misc.conf", "nginx"],
  ["front-controller.htaccess", "htaccess"],
  ["router.htaccess", "htaccess"],
  ["wsgi.lighttpd2.conf", "lighttpd2"],
];

describeWithLighttpd("converted configs against lighttpd -tt", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-convert-accept-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, from] of fixtures) {
    it(`${name}: --full and the snippet in a main config`, () => {
      const file = path.join(repoRoot, "fixtures/convert", name);
      const text = fs.readFileSync(file, "utf8");
      const full = path.join(dir, `${name}.full.conf`);
      fs.writeFileSync(full, convertText(text, file, { from, full: true, lighttpdVersion }).config);
      const r1 = runLighttpd("-tt", full);
      expect(r1.status, r1.stderr).toBe(0);

      fs.writeFileSync(path.join(dir, `${name}.snippet.conf`), convertText(text, file, { from, lighttpdVersion }).config);
      const main = path.join(dir, `${name}.main.conf`);
      fs.writeFileSync(
        main,
        [
          `server.document-root = "${dir}"`,
          "server.port = 8080",
          `server.modules = ("mod_alias")`,
          `index-file.names = ("index.html")`,
          "url.redirect-code = 302",
          `alias.url = ("/other/" => "${dir}/")`,
          `include "${name}.snippet.conf"`,
          "",
        ].join("\n"),
      );
      const r2 = runLighttpd("-tt", main);
      expect(r2.status, r2.stderr).toBe(0);
    });
  }
});
