/** The small sub-commands: `rules`, `explain <id>`, `parse <file>`. */
import { printable } from "../format/printable.js";
import { readBounded } from "../util/read-file.js";
import fs from "node:fs";
import path from "node:path";
import { writeParseJson } from "../ast/json.js";
import { writeStdout } from "./stdout.js";
import { parseConfig } from "../parse/parse.js";
import { decodeSource } from "../parse/source.js";
import { rules } from "../../rules/index.js";
import { FALLBACK_VERSION, LATEST_RELEASE, ORACLE_RELEASES, resolveLighttpdVersion, resolveTargetVersion } from "../util/version.js";
import { docsUrl } from "../package-info.js";
import { docsDir } from "./paths.js";
import { ruleTags } from "./select.js";
import { didYouMean } from "../util/suggest.js";

const out = (s: string) => process.stdout.write(s);

/**
 * text: one line per rule: id, default severity, fixable (fix / suggestion / -), effect, description.
 * json: an array of { id, description, severity, fixable, effect, tags, docs }.
 */
export function listRules(format: "text" | "json" = "text"): number {
  if (format === "json") {
    out(
      JSON.stringify(
        rules.map((r) => ({
          id: r.meta.id,
          description: r.meta.description,
          severity: r.meta.severity,
          fixable: r.meta.fixable,
          effect: r.meta.effect ?? null,
          tags: ruleTags(r),
          docs: docsUrl(r.meta.id),
        })),
        null,
        2,
      ) + "\n",
    );
    return 0;
  }
  out(`${"RULE".padEnd(32)} ${"SEVERITY".padEnd(8)} ${"FIXABLE".padEnd(10)} ${"EFFECT".padEnd(8)} DESCRIPTION\n`);
  for (const r of rules)
    out(`${r.meta.id.padEnd(32)} ${r.meta.severity.padEnd(8)} ${(r.meta.fixable || "-").padEnd(10)} ${(r.meta.effect ?? "-").padEnd(8)} ${r.meta.description}\n`);
  return 0;
}

export function explainRule(id: string): number {
  const rule = rules.find((r) => r.meta.id === id);
  const file = docsDir === undefined ? undefined : path.join(docsDir, "rules", `${id}.md`);
  if (!rule && !(file && fs.existsSync(file))) {
    process.stderr.write(
      `lighttpd-lint: no rule named ${JSON.stringify(id)}${didYouMean(
        id,
        rules.map((r) => r.meta.id),
      )} (see 'lighttpd-lint rules')\n`,
    );
    return 2;
  }
  if (file && fs.existsSync(file)) out(fs.readFileSync(file, "utf8"));
  // The single-file bundle ships without docs/: the description and the page's address.
  else out(`# ${id}\n\n${rule?.meta.description}\n\nFull page: ${docsUrl(id)}\n`);
  return 0;
}

export function printParseTree(file: string, version?: string): number {
  let bytes: Buffer;
  try {
    bytes = readBounded(file);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${printable(file)}: ${printable((e as NodeJS.ErrnoException).code ?? (e as Error).message)}\n`);
    return 2;
  }
  const { text } = decodeSource(bytes);
  if (!versionOptionOk(version)) return 2;
  const parsed = parseConfig(text, { version: resolveTargetVersion(version).version });
  // Streamed in chunks (docs/parse-format.md): the JSON of a 5 MB config is never one string, and
  // written synchronously: process.stdout.write queues a pipe's whole 55 MB in memory (680 MB peak).
  writeParseJson({ file, version: parsed.version, text, tree: parsed.tree, problems: parsed.problems }, writeStdout);
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
  if (!versionOptionOk(options.lighttpdVersion)) return 2;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${printable(file)}: ${printable((e as NodeJS.ErrnoException).code ?? (e as Error).message)}\n`);
    return 2;
  }
  const { lint, refusalRules, refusals } = await import("../engine/lint.js");
  const { writeDump } = await import("../eval/dump.js");
  const { writeStdout } = await import("./stdout.js");
  // Only the rules that can refuse the config: the others' findings are never shown here.
  const result = lint(file, {
    project: { rules: {}, lighttpdVersion: options.lighttpdVersion },
    rules: refusalRules(rules),
    allowIncludeShell: options.allowIncludeShell,
    pid: process.pid,
  });
  const fatal = refusals(result.files);
  if (fatal.some((f) => f.diagnostics.length > 0)) {
    const { formatCompact } = await import("../format/compact.js");
    process.stderr.write(formatCompact(fatal, { color: false, cwd: process.cwd() }));
    return 1;
  }
  // What a skipped include_shell would have added is missing from the dump: say so, once per command.
  const skipped = result.files.flatMap((f) => f.diagnostics).filter((d) => d.ruleId === "include-shell-skipped");
  for (const d of skipped)
    process.stderr.write(
      `lighttpd-lint: dump is incomplete: ${printable(d.message.replace(/ \(commands run only.*$/, ""))} (its output is missing; --allow-include-shell runs it)\n`,
    );
  // Streamed: written in chunks as it is printed, never one string of the whole dump.
  writeDump(result.config, writeStdout);
  return 0;
}

/** --lighttpd-version of `parse` / `dump`: a usage error (exit 2) unless it names a known release. */
function versionOptionOk(version: string | undefined): boolean {
  if (version === undefined) return true;
  const r = resolveLighttpdVersion(version);
  if ("error" in r) process.stderr.write(`lighttpd-lint: --lighttpd-version: ${r.error}\n`);
  return !("error" in r);
}

/** `versions`: the releases lighttpd-lint knows and the ones proven against their binary. */
export function listVersions(): number {
  const lines = [
    `lighttpd-lint targets lighttpd 1.4.0 to ${LATEST_RELEASE} (--lighttpd-version, "lighttpdVersion").`,
    "Checked against the real binary of each of these releases (test/oracle/):",
  ];
  for (const r of ORACLE_RELEASES) lines.push(`  ${r.version}${r.note ? `  ${r.note}` : ""}`);
  lines.push(`Default: what \`lighttpd -v\` reports, else ${FALLBACK_VERSION}.`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

/** `upgrade --to X.Y.Z FILE`: what changes when this config moves from the target version to release X (src/upgrade/). */
export async function upgradeCommand(file: string, options: { to: string; lighttpdVersion?: string; allowIncludeShell: boolean }): Promise<number> {
  const to = resolveLighttpdVersion(options.to);
  if ("error" in to) {
    process.stderr.write(`lighttpd-lint: --to: ${to.error}\n`);
    return 2;
  }
  if (!versionOptionOk(options.lighttpdVersion)) return 2;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${printable(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  const from = resolveTargetVersion(options.lighttpdVersion).version;
  const { upgradeReport } = await import("../upgrade/upgrade.js");
  const items = upgradeReport(file, from, to.version, { allowIncludeShell: options.allowIncludeShell, project: { rules: {} } });
  const out = [`lighttpd ${from} -> ${to.version}: ${items.length ? `${items.length} change(s)` : "nothing in this config changes"}`];
  for (const i of items) out.push(`${printable(i.file)}:${i.line}: [${i.release}] ${printable(i.message)}${i.source ? ` (${i.source})` : ""}`);
  process.stdout.write(out.join("\n") + "\n");
  return items.some((i) => i.kind === "refused") ? 1 : 0;
}
