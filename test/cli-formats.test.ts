/**
 * Output formats through the real binary: stylish (colour rules), json (the documented shape, on
 * the upstream and wild corpus too), sarif (valid against the SARIF 2.1.0 schema), github, compact.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeData, escapeProperty } from "../src/format/github.js";
import { corpusDir } from "./helpers/lighttpd.js";
import { assertJsonShape, ensureBuilt, repoRoot, runCli, type JsonFile, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);

const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const TWO_PROBLEMS = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\n# lighttpd-lint-disable-next-line stray-token\nserver.tag = "x"\n';
const broken = path.join(repoRoot, "examples/broken-fastcgi.conf");

function parseJson(stdout: string): JsonFile[] {
  const v: unknown = JSON.parse(stdout);
  assertJsonShape(v);
  return v;
}

describe("stylish", () => {
  it("groups by file, shows a code frame, the rule id and its docs link, and a summary", () => {
    const d = tmp({ "x.conf": TWO_PROBLEMS });
    const r = runCli(["x.conf"], { cwd: d });
    expect(r.stdout).toMatch(/^x\.conf\n/);
    expect(r.stdout).toMatch(/ {2}4:33 {2}error {2}missing ',' before .* {2}missing-comma\n/);
    expect(r.stdout).toContain('   4 | server.modules = ( "mod_access" "mod_alias" )');
    expect(r.stdout).toMatch(/\| {33}\^{11}\n/);
    expect(r.stdout).toContain("docs/rules/missing-comma.md");
    expect(r.stdout).toContain("✖ 2 problems (1 error, 1 warning)");
    expect(r.stdout).toContain("2 fixable with --fix");
  });

  it("is plain when not a TTY or with NO_COLOR, coloured with --color, plain with --no-color", () => {
    const d = tmp({ "x.conf": TWO_PROBLEMS });
    // eslint-disable-next-line no-control-regex
    const ansi = /\x1b\[/;
    expect(runCli(["x.conf"], { cwd: d, env: { NO_COLOR: undefined } }).stdout).not.toMatch(ansi); // a pipe is not a TTY
    expect(runCli(["x.conf"], { cwd: d, env: { NO_COLOR: "1" } }).stdout).not.toMatch(ansi);
    const coloured = runCli(["--color", "x.conf"], { cwd: d });
    expect(coloured.stdout).toMatch(/\x1b\[31merror\x1b\[39m/);
    expect(coloured.stdout).toMatch(/\x1b\[33mwarning\x1b\[39m/);
    expect(runCli(["--no-color", "x.conf"], { cwd: d }).stdout).not.toMatch(ansi);
  });

  it("never writes control bytes of the config to the terminal", () => {
    const d = tmp({});
    fs.writeFileSync(path.join(d, "x.conf"), 'server.tag = "a" "\x1b[2J\x07"\n');
    const r = runCli(["x.conf"], { cwd: d });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("\x1b[2J");
    expect(r.stdout).not.toContain("\x07");
  });
});

describe("json", () => {
  it("has the documented shape: 1-based positions, fixes as offset edits that repair the text", () => {
    const d = tmp({ "x.conf": TWO_PROBLEMS });
    const r = runCli(["-f", "json", "x.conf"], { cwd: d });
    const [file] = parseJson(r.stdout);
    expect(file.filePath).toBe(path.join(fs.realpathSync(d), "x.conf"));
    const mc = file.diagnostics.find((x) => x.ruleId === "missing-comma")!;
    expect(mc).toMatchObject({ severity: "error", line: 4, column: 33, endLine: 4, endColumn: 44 });
    const text = fs.readFileSync(path.join(d, "x.conf"), "utf8");
    const [edit] = mc.fix!.edits;
    expect(text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1])).toContain('( "mod_access", "mod_alias" )');
    expect(file.diagnostics.find((x) => x.ruleId === "unused-suppression")?.severity).toBe("warning");
  });

  it("lists every file linted, clean ones too", () => {
    const d = tmp({ "a.conf": CLEAN, "b.conf": TWO_PROBLEMS });
    const files = parseJson(runCli(["-f", "json", "a.conf", "b.conf"], { cwd: d }).stdout);
    expect(files.map((f) => [path.basename(f.filePath), f.diagnostics.length > 0])).toEqual([
      ["a.conf", false],
      ["b.conf", true],
    ]);
  });

  const upstream = path.join(corpusDir, "upstream");
  const upstreamConfigs = fs.existsSync(upstream)
    ? [
        "doc/config/lighttpd.conf",
        "doc/config/lighttpd.annotated.conf",
        "doc/config/modules.conf",
        ...fs
          .readdirSync(path.join(upstream, "tests"))
          .filter((f) => f.endsWith(".conf"))
          .map((f) => `tests/${f}`),
      ]
    : [];
  it.skipIf(upstreamConfigs.length === 0)("parses on the upstream corpus (doc/config with its includes, tests/)", () => {
    for (const rel of upstreamConfigs) {
      const r = runCli(["-f", "json", "--lighttpd-version", "1.4.69", path.join(upstream, rel)], { cwd: path.dirname(path.join(upstream, rel)) });
      expect(r.stderr, rel).toBe("");
      expect([0, 1], `${rel}: exit ${r.status}`).toContain(r.status);
      const files = parseJson(r.stdout);
      expect(files[0].filePath).toBe(path.join(upstream, rel));
    }
  });

  it.skipIf(!fs.existsSync(path.join(corpusDir, "upstream/doc/config/conf.d")))("parses every upstream conf.d file as a --snippet", () => {
    const dir = path.join(corpusDir, "upstream/doc/config/conf.d");
    const r = runCli(["-f", "json", "--snippet", "--lighttpd-version", "1.4.69", dir]);
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.status);
    expect(parseJson(r.stdout).filter((f) => f.filePath.startsWith(dir)).length).toBe(fs.readdirSync(dir).filter((f) => f.endsWith(".conf")).length);
  });
});

describe("sarif", () => {
  const require = createRequire(import.meta.url);
  // The SARIF 2.1.0 (rtm.5, the final 2.1.0) schema as shipped by @microsoft/jest-sarif (MIT). It is
  // written for JSON Schema draft-04; its only draft-04-only keyword is `id`, which becomes `$id`.
  const schemaFile = path.join(path.dirname(require.resolve("@microsoft/jest-sarif/package.json")), "lib/schemas/sarif-2.1.0-rtm.5.json");
  const { $schema: _draft, id, ...rest } = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  // unicodeRegExp: false because the schema's language pattern has a stray "]" that only non-unicode regexes accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  (addFormatsModule as unknown as { default: (a: Ajv) => void }).default?.(ajv) ?? (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  const validate = ajv.compile({ ...rest, $id: id as string | undefined });

  function sarifOf(args: string[], cwd: string): { log: any; status: number | null } {
    const r = runCli(["-f", "sarif", ...args], { cwd });
    expect(r.stderr).toBe("");
    const log = JSON.parse(r.stdout);
    const ok = validate(log);
    expect(ok ? [] : validate.errors).toEqual([]);
    return { log, status: r.status };
  }

  it("is valid SARIF 2.1.0 with rules, help URIs, relative URIs against %SRCROOT% and fixes", () => {
    const d = tmp({ "etc/x.conf": TWO_PROBLEMS });
    const { log, status } = sarifOf(["etc/x.conf"], d);
    expect(status).toBe(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("lighttpd-lint");
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(pathToFileURL(fs.realpathSync(d) + "/").href);
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(["missing-comma", "unused-suppression", "syntax-error"]));
    for (const rule of run.tool.driver.rules) expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
    const mc = run.results.find((x: { ruleId: string }) => x.ruleId === "missing-comma");
    expect(run.tool.driver.rules[mc.ruleIndex].id).toBe("missing-comma");
    expect(mc.level).toBe("error");
    expect(mc.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: "etc/x.conf", uriBaseId: "%SRCROOT%" },
      region: { startLine: 4, startColumn: 33, endLine: 4, endColumn: 44 },
    });
    expect(mc.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe(",");
    expect(run.results.find((x: { ruleId: string }) => x.ruleId === "unused-suppression").level).toBe("warning");
  });

  it("is valid for the shipped broken example, a clean file, files outside the working directory and include_shell output", () => {
    expect(sarifOf([broken], repoRoot).log.runs[0].results.length).toBeGreaterThan(2);
    const clean = tmp({ "ok.conf": CLEAN });
    expect(sarifOf(["ok.conf"], clean).log.runs[0].results).toEqual([]);
    const outside = tmp({ "x.conf": TWO_PROBLEMS, "sh.conf": CLEAN + 'include_shell "printf \'var.list = ( \\"a\\" \\"b\\" )\'"\n' });
    const far = sarifOf([path.join(outside, "x.conf")], repoRoot).log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(far).toEqual({ uri: pathToFileURL(path.join(fs.realpathSync(outside), "x.conf")).href });
    const shell = sarifOf(["--allow-include-shell", "sh.conf"], outside).log.runs[0].results;
    expect(shell.map((x: any) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine])).toContainEqual([
      "missing-comma",
      "sh.conf",
      4,
    ]);
  });

  it("percent-encodes file names in URIs", () => {
    const d = tmp({ "my conf#1.conf": TWO_PROBLEMS });
    const { log } = sarifOf(["my conf#1.conf"], d);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("my%20conf%231.conf");
  });
});

describe("github", () => {
  it("prints one workflow command per finding, with positions and the rule as title", () => {
    const d = tmp({ "x.conf": TWO_PROBLEMS });
    const r = runCli(["-f", "github", "x.conf"], { cwd: d });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=x\.conf,line=4,col=33,endLine=4,endColumn=44,title=missing-comma::missing ','/);
    expect(lines[1]).toMatch(/^::warning file=x\.conf,line=5,col=1,endLine=5,endColumn=\d+,title=unused-suppression::/);
    expect(r.status).toBe(1);
  });

  it("escapes %, CR, LF in messages and also : and , in properties", () => {
    const d = tmp({ "a,b:c%.conf": CLEAN + 'server.tag = "x" "100%, a:b"\n' });
    const r = runCli(["-f", "github", "a,b:c%.conf"], { cwd: d });
    expect(r.stdout).toMatch(/^::error file=a%2Cb%3Ac%25\.conf,line=4,/);
    expect(r.stdout).toContain("::lighttpd silently ignores '\"100%25, a:b\"'");
    expect(escapeData("50%\r\nnext")).toBe("50%25%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });
});

describe("compact", () => {
  it("prints file:line:col: severity: message [rule]", () => {
    const d = tmp({ "x.conf": TWO_PROBLEMS });
    const r = runCli(["-f", "compact", "x.conf"], { cwd: d });
    expect(r.stdout).toMatch(/^x\.conf:4:33: error: missing ',' before .* \[missing-comma\]\nx\.conf:5:1: warning: .* \[unused-suppression\]\n$/);
  });
});
