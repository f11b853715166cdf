/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers.
 * Files under the working directory get relative URIs against %SRCROOT% (the repository checkout in
 * CI); files elsewhere get absolute file: URIs. Columns count UTF-16 code units, as ours do.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { docsUrl, type Fix, type Severity } from "../ast/diagnostics.js";
import { rules } from "../../rules/index.js";
import { locate, onRealFiles } from "./position.js";
import type { Formatter } from "./types.js";

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

export const formatSarif: Formatter = (results, options) => {
  const ruleIndex = new Map<string, number>();
  const driverRules: object[] = [];
  const addRule = (id: string, description: string, severity: Severity, fixable: boolean) => {
    ruleIndex.set(id, driverRules.length);
    driverRules.push({
      id,
      name: id,
      shortDescription: { text: description },
      helpUri: docsUrl(id),
      help: { text: `${description}\nSee ${docsUrl(id)}`, markdown: `${description}\n\n[Documentation](${docsUrl(id)})` },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { fixable, tags: ["lighttpd"] },
    });
  };
  for (const r of rules) addRule(r.meta.id, r.meta.description, r.meta.severity, r.meta.fixable !== false);

  const sarifResults: object[] = [];
  for (const file of onRealFiles(results)) {
    const location = artifactLocation(file.filePath, options.cwd);
    for (const d of locate(file.text, file.diagnostics)) {
      if (!ruleIndex.has(d.ruleId)) addRule(d.ruleId, d.ruleId, d.severity, false);
      const fixes = [...(d.fix ? [d.fix] : []), ...(d.suggestions ?? [])].filter((f) => f.edits.every((e) => e.file === undefined)).map((f) => sarifFix(f, location)); // cross-file fixes: see the json format
      sarifResults.push({
        ruleId: d.ruleId,
        ruleIndex: ruleIndex.get(d.ruleId),
        level: LEVEL[d.severity],
        message: { text: d.message },
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
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
};

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
