/** --write-baseline / --baseline: a round trip, robust to unrelated edits, reporting new and gone findings. */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli, useTempDirs, type JsonFile } from "./cli-helpers.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const TWO = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\ndebug.log-request-handling = "enable"\n';
const ids = (stdout: string) => (JSON.parse(stdout) as JsonFile[]).flatMap((f) => f.diagnostics.map((d) => d.ruleId)).sort();

describe("baseline", () => {
  it("round trip: recorded findings are hidden, unrelated edits keep them hidden, new ones show, fixed ones are counted as gone", () => {
    const d = tmp({ "conf/lighttpd.conf": TWO });
    const w = runCli(["--write-baseline", "baseline.json", "conf/lighttpd.conf"], { cwd: d });
    expect(w.status).toBe(0);
    expect(w.stderr).toContain("recorded 2 findings");
    const b = JSON.parse(fs.readFileSync(path.join(d, "baseline.json"), "utf8"));
    expect(b.findings.map((f: { rule: string; file: string }) => [f.rule, f.file]).sort()).toEqual([
      ["debug-enabled", "conf/lighttpd.conf"],
      ["missing-comma", "conf/lighttpd.conf"],
    ]);

    const same = runCli(["-f", "json", "--baseline", "baseline.json", "conf/lighttpd.conf"], { cwd: d });
    expect(ids(same.stdout)).toEqual([]);
    expect(same.status).toBe(0);
    expect(same.stderr).toContain("2 findings in baseline.json not shown");

    // Unrelated edits: lines added above move every finding; they stay baselined.
    fs.writeFileSync(path.join(d, "conf/lighttpd.conf"), '# a comment\nserver.tag = "x"\n\n' + TWO);
    expect(ids(runCli(["-f", "json", "--baseline", "baseline.json", "conf/lighttpd.conf"], { cwd: d }).stdout)).toEqual([]);

    // A new finding (a second missing comma on another line) is reported; exit 1.
    fs.appendFileSync(path.join(d, "conf/lighttpd.conf"), 'index-file.names = ( "index.html" "index.htm" )\n');
    const added = runCli(["-f", "json", "--baseline", "baseline.json", "conf/lighttpd.conf"], { cwd: d });
    expect(ids(added.stdout)).toEqual(["missing-comma"]);
    expect(added.status).toBe(1);

    // Fixing a baselined finding: it is gone, and the run says so.
    fs.writeFileSync(path.join(d, "conf/lighttpd.conf"), CLEAN + 'debug.log-request-handling = "enable"\n');
    const fixed = runCli(["-f", "json", "--baseline", "baseline.json", "conf/lighttpd.conf"], { cwd: d });
    expect(ids(fixed.stdout)).toEqual([]);
    expect(fixed.stderr).toMatch(/1 finding in baseline\.json not shown; 1 baselined finding is gone/);
  });

  it("is keyed relative to the baseline file: the same tree elsewhere matches", () => {
    const a = tmp({ "lighttpd.conf": TWO });
    runCli(["--write-baseline", "b.json", "lighttpd.conf"], { cwd: a });
    const b = tmp({ "lighttpd.conf": TWO, "b.json": fs.readFileSync(path.join(a, "b.json"), "utf8") });
    expect(ids(runCli(["-f", "json", "--baseline", path.join(b, "b.json"), path.join(b, "lighttpd.conf")]).stdout)).toEqual([]);
  });

  it("a second identical finding is new; a malformed baseline is a usage error", () => {
    const line = 'index-file.names += ( "a.html" "b.html" )\n';
    const d = tmp({ "x.conf": CLEAN + line });
    runCli(["--write-baseline", "b.json", "x.conf"], { cwd: d });
    fs.appendFileSync(path.join(d, "x.conf"), line);
    expect(ids(runCli(["-f", "json", "x.conf"], { cwd: d }).stdout)).toEqual(["missing-comma", "missing-comma"]);
    expect(ids(runCli(["-f", "json", "--baseline", "b.json", "x.conf"], { cwd: d }).stdout)).toEqual(["missing-comma"]);
    fs.writeFileSync(path.join(d, "bad.json"), "{}");
    const r = runCli(["--baseline", "bad.json", "x.conf"], { cwd: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a lighttpd-lint baseline/);
    expect(runCli(["--baseline", "b.json", "--write-baseline", "c.json", "x.conf"], { cwd: d }).status).toBe(2);
  });
});
