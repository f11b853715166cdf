/**
 * `dump` refuses exactly what `lighttpd -p` refuses (issue 11): the refusal is derived from the
 * findings' effect (RuleMeta.effect), not from a list of rule ids. Each case is also checked
 * against the real `lighttpd -p` when it is installed.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lighttpdAvailable, requireLighttpd, runLighttpd } from "./helpers/lighttpd.js";
import { ensureBuilt, runCli, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();

/** lighttpd -p's exit status, or undefined (skipped) without the binary; REQUIRE_LIGHTTPD=1 makes that a failure. */
function oracleStatus(file: string): number | null | undefined {
  if (lighttpdAvailable) return runLighttpd("-p", file).status;
  if (requireLighttpd) throw new Error("lighttpd is not installed but REQUIRE_LIGHTTPD=1");
  return undefined;
}

const HEAD = 'server.document-root = "/tmp"\n';

const refused: [string, string, RegExp][] = [
  ["an arrow typo", 'server.modules += ("mod_fastcgi")\nfastcgi.server = ( "/x" => ( ( "max-procs" -> 1 ) ) )\n', /\[arrow-typo\]/],
  ["a port that is not a number", 'server.port = "abc"\n', /\[value-type\]/],
  ["a boolean that is not one", 'server.follow-symlink = "maybe"\n', /\[value-type\]/],
];

const accepted: [string, string][] = [
  // Module keys are checked only when lighttpd starts (-tt), not by -p.
  ["a module key's bad value", 'server.modules += ("mod_fastcgi")\nfastcgi.debug = "x"\n'],
  // Truncated, not refused.
  ["a port out of range", "server.port = 99999\n"],
];

describe("dump refuses what lighttpd -p refuses", () => {
  it.each(refused)("%s: exit 1, no dump, the finding on stderr", (_name, body, finding) => {
    const d = tmp({ "x.conf": HEAD + body });
    const r = runCli(["dump", "--lighttpd-version", "1.4.69", "x.conf"], { cwd: d });
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(finding);
    expect(r.status).toBe(1);
    const oracle = oracleStatus(path.join(d, "x.conf"));
    if (oracle !== undefined) expect(oracle, "lighttpd -p refuses it too").not.toBe(0);
  });

  it.each(accepted)("%s: dumped, as lighttpd -p does", (_name, body) => {
    const d = tmp({ "x.conf": HEAD + body });
    const r = runCli(["dump", "--lighttpd-version", "1.4.69", "x.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("server.document-root");
    const oracle = oracleStatus(path.join(d, "x.conf"));
    if (oracle !== undefined) expect(oracle, "lighttpd -p accepts it too").toBe(0);
  });
});
