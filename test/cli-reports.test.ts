/**
 * The CI report formats of issue 17, each checked by its consumer's schema or a real XML parser:
 * SARIF (security-severity, tags, partialFingerprints, rule pages as help), GitLab Code Quality,
 * JUnit, checkstyle.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { firstParagraph, ruleDescriptor } from "../src/format/sarif.js";
import { xmlEscape } from "../src/format/xml.js";
import { ensureBuilt, repoRoot, runCli, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();

const CLEAN = 'server.document-root = "/tmp"\nserver.port = 8080\nserver.username = "www-data"\nserver.groupname = "www-data"\n';
const PROBLEMS = CLEAN + 'server.modules = ( "mod_access" "mod_alias" )\ndebug.log-request-handling = "enable"\n';

describe("sarif for GitHub code scanning", () => {
  const require = createRequire(import.meta.url);
  const schemaFile = path.join(path.dirname(require.resolve("@microsoft/jest-sarif/package.json")), "lib/schemas/sarif-2.1.0-rtm.5.json");
  const { $schema: _draft, id, ...rest } = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  (addFormatsModule as unknown as { default: (a: Ajv) => void }).default?.(ajv) ?? (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  const validate = ajv.compile({ ...rest, $id: id as string });

  it("a risk rule is a security alert with a security-severity; others are not", () => {
    const risk = ruleDescriptor({ id: "x", description: "d", severity: "warning", fixable: false, effect: "risk" }, undefined) as any;
    expect(risk.properties.tags).toEqual(expect.arrayContaining(["security", "risk", "lighttpd"]));
    expect(Number(risk.properties["security-severity"])).toBeGreaterThanOrEqual(4);
    expect(Number(risk.properties["security-severity"])).toBeLessThan(7);
    const high = ruleDescriptor({ id: "x", description: "d", severity: "error", fixable: false, effect: "runtime", tags: ["security"] }, undefined) as any;
    expect(Number(high.properties["security-severity"])).toBeGreaterThanOrEqual(7);
    const plain = ruleDescriptor({ id: "x", description: "d", severity: "error", fixable: "fix", effect: "refused" }, undefined) as any;
    expect(plain.properties.tags).toEqual(["lighttpd", "refused"]);
    expect(plain.properties["security-severity"]).toBeUndefined();
  });

  it("embeds the rule page as help.markdown and its first paragraph as fullDescription", () => {
    const page = fs.readFileSync(path.join(repoRoot, "docs/rules/socket-in-tmp.md"), "utf8");
    const d = ruleDescriptor({ id: "socket-in-tmp", description: "d", severity: "warning", fixable: "fix", effect: "runtime" }, page) as any;
    expect(d.help.markdown).toBe(page);
    expect(d.fullDescription.text).toBe(firstParagraph(page));
    expect(d.fullDescription.text).toMatch(/socket/);
    expect(d.fullDescription.text).not.toMatch(/^#|\n/);
  });

  it("validates, with partialFingerprints that survive moved lines, and the shipped pages as help", () => {
    const d = tmp({ "x.conf": PROBLEMS });
    const run = () => {
      const r = runCli(["-f", "sarif", "x.conf"], { cwd: d });
      const log = JSON.parse(r.stdout);
      expect(validate(log) ? [] : validate.errors).toEqual([]);
      return log.runs[0];
    };
    const before = run();
    for (const rule of before.tool.driver.rules) {
      if (fs.existsSync(path.join(repoRoot, "docs/rules", `${rule.id}.md`)))
        expect(rule.help.markdown).toBe(fs.readFileSync(path.join(repoRoot, "docs/rules", `${rule.id}.md`), "utf8"));
    }
    const prints = (r: any) => r.results.map((x: any) => `${x.ruleId}=${x.partialFingerprints["lighttpdLintContext/v1"]}`).sort();
    fs.writeFileSync(path.join(d, "x.conf"), "# moved\n\n" + PROBLEMS);
    const after = run();
    expect(after.results[0].locations[0].physicalLocation.region.startLine).not.toBe(before.results[0].locations[0].physicalLocation.region.startLine);
    expect(prints(after)).toEqual(prints(before));
    expect(new Set(prints(before)).size).toBe(before.results.length);
  });
});

describe("gitlab code quality", () => {
  // The report format as GitLab documents it (docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
  const codeQuality = new Ajv({ strict: true, allErrors: true }).compile({
    type: "array",
    items: {
      type: "object",
      required: ["description", "check_name", "fingerprint", "severity", "location"],
      properties: {
        description: { type: "string", minLength: 1 },
        check_name: { type: "string", minLength: 1 },
        fingerprint: { type: "string", minLength: 1 },
        severity: { enum: ["info", "minor", "major", "critical", "blocker"] },
        location: {
          type: "object",
          required: ["path", "lines"],
          properties: {
            path: { type: "string", not: { pattern: "^/" } },
            lines: { type: "object", required: ["begin"], properties: { begin: { type: "integer", minimum: 1 }, end: { type: "integer", minimum: 1 } } },
          },
        },
      },
    },
  });

  it("matches the Code Quality format, relative paths, unique fingerprints", () => {
    const d = tmp({ "conf/x.conf": PROBLEMS + 'index-file.names += ( "a" "b" )\nindex-file.names += ( "a" "b" )\n' });
    const r = runCli(["-f", "gitlab", "conf/x.conf"], { cwd: d });
    expect(r.status).toBe(1);
    const issues = JSON.parse(r.stdout);
    expect(codeQuality(issues) ? [] : codeQuality.errors).toEqual([]);
    expect(issues.map((i: any) => i.check_name).sort()).toEqual(["debug-enabled", "missing-comma", "missing-comma", "missing-comma"]);
    expect(issues[0].location.path).toBe("conf/x.conf");
    expect(new Set(issues.map((i: any) => i.fingerprint)).size).toBe(issues.length);
    expect(issues.find((i: any) => i.check_name === "debug-enabled").severity).toBe("info");
    expect(issues.find((i: any) => i.check_name === "missing-comma").severity).toBe("major");
    const clean = tmp({ "ok.conf": CLEAN });
    expect(JSON.parse(runCli(["-f", "gitlab", "ok.conf"], { cwd: clean }).stdout)).toEqual([]);
  });
});

describe("junit and checkstyle XML", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase", "file", "error"].includes(name) });
  const nasty = CLEAN + 'server.tag = "a<b>&\'\\"\x01\x1b[31m"\nserver.modules = ( "mod_access" "mod_alias" )\n';

  it("junit: well-formed, one suite per file, a failure per finding, counts that add up", () => {
    const d = tmp({ "x.conf": PROBLEMS, "ok.conf": CLEAN, "n.conf": nasty });
    const r = runCli(["-f", "junit", "x.conf", "ok.conf", "n.conf"], { cwd: d });
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = parser.parse(r.stdout);
    const suites = doc.testsuites.testsuite as any[];
    expect(suites.map((s) => s.name)).toEqual(["x.conf", "ok.conf", "n.conf"]);
    const x = suites[0];
    expect(x.testcase.map((c: any) => c.failure.type).sort()).toEqual(["error", "info"]);
    expect(Number(x.failures)).toBe(2);
    expect(suites[1].testcase[0].failure).toBeUndefined();
    expect(Number(doc.testsuites.tests)).toBe(suites.reduce((n, s) => n + Number(s.tests), 0));
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it("checkstyle: well-formed, <file> per file with <error line column severity message source>", () => {
    const d = tmp({ "x.conf": PROBLEMS, "n.conf": nasty });
    const r = runCli(["-f", "checkstyle", "x.conf", "n.conf"], { cwd: d });
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = parser.parse(r.stdout);
    expect(doc.checkstyle.version).toBe("4.3");
    const files = doc.checkstyle.file as any[];
    expect(files.map((f) => f.name)).toEqual(["x.conf", "n.conf"]);
    const errs = files[0].error as any[];
    expect(errs.map((e) => e.source).sort()).toEqual(["lighttpd-lint.debug-enabled", "lighttpd-lint.missing-comma"]);
    const mc = errs.find((e) => e.source === "lighttpd-lint.missing-comma");
    expect([Number(mc.line), Number(mc.column), mc.severity]).toEqual([5, 33, "error"]);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it("xmlEscape leaves no markup or forbidden characters", () => {
    const s = xmlEscape('<a href="x">&\x01\ud800</a>');
    expect(XMLValidator.validate(`<r a="${s}">${s}</r>`)).toBe(true);
    expect(s).not.toMatch(/[<>"\x01]/);
  });
});
