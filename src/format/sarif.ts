/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers.
 * Files under the working directory get relative URIs against %SRCROOT% (the repository checkout in
 * CI); files elsewhere get absolute file: URIs. Columns count UTF-16 code units, as ours do.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { docsUrl, type Fix, type Severity } from "../ast/diagnostics.js";
import { rules } from "../../rules/index.js";
import type { RuleMeta } from "../engine/types.js";
import { packageRoot } from "../package-info.js";
import { contextHash } from "./fingerprint.js";
import { locate, onRealFiles } from "./position.js";
import type { Formatter } from "./types.js";
import { terminalSafeJson } from "./printable.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

/** GitHub's security-severity scale (0-10): high from 7.0, medium from 4.0, low below. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: "8.0", warning: "5.5", info: "3.0" };

/**
 * A rule's SARIF descriptor. Rules whose effect is "risk" (security or operations) carry the
 * `security` tag and a `security-severity`, so GitHub code scanning files them as security alerts;
 * the rule page (docs/rules/<id>.md) is the full description and the help.
 */
export function ruleDescriptor(meta: Pick<RuleMeta, "id" | "description" | "severity" | "fixable" | "effect" | "tags">, page: string | undefined): object {
  const security = meta.effect === "risk" || (meta.tags ?? []).includes("security");
  const tags = [...new Set(["lighttpd", ...(meta.effect ? [meta.effect] : []), ...(meta.tags ?? []), ...(security ? ["security"] : [])])];
  const full = page ? firstParagraph(page) : undefined;
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: full ?? meta.description },
    helpUri: docsUrl(meta.id),
    help: page ? { text: page, markdown: page } : { text: `${meta.description}\nSee ${docsUrl(meta.id)}`, markdown: `${meta.description}\n\n[Documentation](${docsUrl(meta.id)})` },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { fixable: meta.fixable !== false, tags, ...(security ? { "security-severity": SECURITY_SEVERITY[meta.severity] } : {}) },
  };
}

/** The first paragraph of a rule page's "What goes wrong" section (else of the page), as plain text. */
export function firstParagraph(page: string): string | undefined {
  const body = page.split(/^## What goes wrong\s*$/m)[1] ?? page.replace(/^#.*$/m, "");
  const para = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith("#") && !p.startsWith("**Severity"));
  return para?.replace(/\s*\n\s*/g, " ");
}

function rulePage(id: string): string | undefined {
  if (packageRoot === undefined) return undefined; // the single-file bundle ships no pages
  try {
    return fs.readFileSync(path.join(packageRoot, "docs", "rules", `${id}.md`), "utf8");
  } catch {
    return undefined;
  }
}

export const formatSarif: Formatter = (results, options) => {
  const ruleIndex = new Map<string, number>();
  const driverRules: object[] = [];
  const addRule = (meta: Parameters<typeof ruleDescriptor>[0]) => {
    ruleIndex.set(meta.id, driverRules.length);
    driverRules.push(ruleDescriptor(meta, rulePage(meta.id)));
  };
  for (const r of rules) addRule(r.meta);

  const sarifResults: object[] = [];
  for (const file of onRealFiles(results)) {
    const location = artifactLocation(file.filePath, options.cwd);
    for (const d of locate(file.text, file.diagnostics)) {
      if (!ruleIndex.has(d.ruleId)) addRule({ id: d.ruleId, description: d.ruleId, severity: d.severity, fixable: false, effect: d.effect ?? "runtime" });
      const fixes = [...(d.fix ? [d.fix] : []), ...(d.suggestions ?? [])].filter((f) => f.edits.every((e) => e.file === undefined)).map((f) => sarifFix(f, location)); // cross-file fixes: see the json format
      sarifResults.push({
        ruleId: d.ruleId,
        ruleIndex: ruleIndex.get(d.ruleId),
        level: LEVEL[d.severity],
        message: { text: d.message },
        // Stable across unrelated edits (line moves): the finding's context, as the baseline keys it.
        partialFingerprints: { "lighttpdLintContext/v1": contextHash(d, file.text) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn, charOffset: d.start, charLength: d.end - d.start },
            },
          },
        ],
        ...(fixes.length ? { fixes } : {}),
      });
    }
  }

  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "lighttpd-lint",
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            informationUri: "https://github.com/lighttpd-lint/lighttpd-lint",
            rules: driverRules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href } },
        columnKind: "utf16CodeUnits",
        results: [RESULTS_MARK],
      },
    ],
  };
  // Written in chunks, one result each (the same text as JSON.stringify(log, null, 2)): a report with
  // many findings is never one giant string.
  const chunks: string[] = [];
  const write = options.write ?? ((c: string) => void chunks.push(c));
  const whole = terminalSafeJson(JSON.stringify(log, null, 2));
  const mark = whole.indexOf(JSON.stringify(RESULTS_MARK));
  const lineStart = whole.lastIndexOf("\n", mark) + 1;
  const indent = whole.slice(lineStart, mark);
  const open = whole.lastIndexOf("[", lineStart);
  const close = whole.indexOf("]", mark);
  if (sarifResults.length === 0) {
    write(whole.slice(0, open) + "[]" + whole.slice(close + 1) + "\n");
  } else {
    write(whole.slice(0, open + 1));
    sarifResults.forEach((r, i) => write(`${i ? "," : ""}\n${indent}${terminalSafeJson(JSON.stringify(r, null, 2)).replace(/\n/g, `\n${indent}`)}`));
    write(whole.slice(lineStart - 1, lineStart) + indent.slice(2) + whole.slice(close) + "\n");
  }
  return options.write ? "" : chunks.join("");
};

const RESULTS_MARK = "\u0000lighttpd-lint-results\u0000";

function sarifFix(fix: Fix, location: ArtifactLocation): object {
  return {
    description: { text: fix.description },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: fix.edits.map((e) => ({ deletedRegion: { charOffset: e.range[0], charLength: e.range[1] - e.range[0] }, insertedContent: { text: e.text } })),
      },
    ],
  };
}
