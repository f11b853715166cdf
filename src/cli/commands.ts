/** The small sub-commands: `rules`, `explain <id>`, `parse <file>`. */
import fs from "node:fs";
import path from "node:path";
import { refusedOnLoad } from "../ast/diagnostics.js";
import { writeParseJson } from "../ast/json.js";
import { parseConfig } from "../parse/parse.js";
import { decodeSource } from "../parse/source.js";
import { rules } from "../../rules/index.js";
import { resolveTargetVersion } from "../util/version.js";
import { docsDir } from "./paths.js";

const out = (s: string) => process.stdout.write(s);

/** One line per rule: id, default severity, fixable (fix / suggestion / -), description. */
export function listRules(): number {
  out(`${"RULE".padEnd(32)} ${"SEVERITY".padEnd(8)} ${"FIXABLE".padEnd(10)} DESCRIPTION\n`);
  for (const r of rules) out(`${r.meta.id.padEnd(32)} ${r.meta.severity.padEnd(8)} ${(r.meta.fixable || "-").padEnd(10)} ${r.meta.description}\n`);
  return 0;
}

export function explainRule(id: string): number {
  const rule = rules.find((r) => r.meta.id === id);
  const file = path.join(docsDir, "rules", `${id}.md`);
  if (!rule && !fs.existsSync(file)) {
    process.stderr.write(`lighttpd-lint: no rule named ${JSON.stringify(id)}; see 'lighttpd-lint rules'\n`);
    return 2;
  }
  if (fs.existsSync(file)) out(fs.readFileSync(file, "utf8"));
  else out(`# ${id}\n\n${rule?.meta.description}\n\n(No documentation page yet.)\n`);
  return 0;
}

export function printParseTree(file: string, version?: string): number {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const { text } = decodeSource(bytes);
  const parsed = parseConfig(text, { version: resolveTargetVersion(version).version });
  // Streamed in chunks (docs/parse-format.md): the JSON of a 5 MB config is never one string.
  writeParseJson({ file, version: parsed.version, text, tree: parsed.tree, problems: parsed.problems }, out);
  // Exit 1 when lighttpd refuses what the parser found (every parse problem's rule is a refused one today).
  const refused = parsed.problems.some((p) => rules.find((r) => r.meta.id === p.ruleId)?.meta.effect === "refused");
  return refused ? 1 : 0;
}

/**
 * `dump FILE`: the configuration as `lighttpd -p` prints it. When lighttpd would refuse the file
 * (a finding whose effect is "refused" while reading: syntax errors, a missing include, a core key's
 * bad value), the diagnostics instead, exit 1.
 */
export async function dumpCommand(file: string, options: { lighttpdVersion?: string; allowIncludeShell: boolean }): Promise<number> {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const { lint } = await import("../linter.js");
  const { dumpConfig } = await import("../eval/dump.js");
  const result = lint(file, { project: { rules: {}, lighttpdVersion: options.lighttpdVersion }, allowIncludeShell: options.allowIncludeShell });
  // What `lighttpd -p` refuses: every finding whose rule's effect says so (RuleMeta.effect).
  // An internal error too: what was evaluated is incomplete, so a dump would be a guess.
  const fatal = result.files.map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => refusedOnLoad(d) || d.ruleId === "internal-error") }));
  if (fatal.some((f) => f.diagnostics.length > 0)) {
    const { formatCompact } = await import("../format/compact.js");
    process.stderr.write(formatCompact(fatal, { color: false, cwd: process.cwd() }));
    return 1;
  }
  out(dumpConfig(result.config));
  return 0;
}
