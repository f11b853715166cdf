/** The command line: `lighttpd-lint [paths..]` and its sub-commands. Exit codes: 0 ok, 1 findings, 2 usage or I/O error. */
import fs from "node:fs";
import path from "node:path";
import yargs from "yargs";
import { rules } from "../../rules/index.js";
import { lint, lintText, type FileResult, type LintOptions } from "../engine/lint.js";
import { ConfigError, findConfigFile, loadConfigFile, parseRuleSetting, type ProjectConfig } from "../engine/config.js";
import { fixConfig } from "../fix/fix-files.js";
import { writeFileAtomic, StaleFileError } from "../fix/write.js";
import { formatJson } from "../format/json.js";
import { formatCompact } from "../format/compact.js";
import { formatStylish } from "../format/stylish.js";
import type { Formatter } from "../format/types.js";
import { decodeSource, LineIndex, looksBinary } from "../parse/source.js";
import { parseConfig } from "../parse/parse.js";
import { treeToJson } from "../ast/json.js";
import { resolveTargetVersion } from "../util/version.js";
import { unifiedDiff } from "./diff.js";
import { docsDir, packageVersion } from "./paths.js";

const formatters: Record<string, Formatter> = { stylish: formatStylish, json: formatJson, compact: formatCompact };

class UsageError extends Error {}

interface LintArgs {
  paths: string[];
  format: string;
  fix: boolean;
  fixDryRun: boolean;
  fixSuggestions: boolean;
  socketDir?: string;
  lighttpdVersion?: string;
  config?: string;
  useConfig: boolean;
  rule: string[];
  disable: string[];
  checkFs: boolean;
  root?: string;
  allowIncludeShell: boolean;
  quiet: boolean;
  maxWarnings: number;
  snippet: boolean;
  stdin: boolean;
  stdinFilename?: string;
  color?: boolean;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const out = (s: string) => process.stdout.write(s);
  const parser = yargs(argv)
    .scriptName("lighttpd-lint")
    .usage("$0 [paths..]\n\nLint lighttpd 1.4 configuration files the way lighttpd reads them.")
    .command(
      "$0 [paths..]",
      "lint configs (a directory means its lighttpd.conf, else every *.conf in it)",
      (y) => lintOptions(y),
      (a) => { exitCode = runLint(a as unknown as LintArgs); },
    )
    .command("parse <file>", "print the lossless syntax tree as JSON", (y) => y.positional("file", { type: "string", demandOption: true }).option("lighttpd-version", { type: "string" }), (a) => {
      exitCode = runParse(a.file as string, a.lighttpdVersion as string | undefined);
    })
    .command("rules", "list every rule", (y) => y, () => {
      for (const r of rules) out(`${r.meta.id.padEnd(32)} ${r.meta.severity.padEnd(8)} ${(r.meta.fixable || "").padEnd(10)} ${r.meta.description}\n`);
    })
    .command("explain <id>", "print a rule's documentation", (y) => y.positional("id", { type: "string", demandOption: true }), (a) => {
      const file = path.join(docsDir, "rules", `${a.id}.md`);
      if (!fs.existsSync(file)) { process.stderr.write(`no rule named ${a.id}; see 'lighttpd-lint rules'\n`); exitCode = 2; return; }
      out(fs.readFileSync(file, "utf8"));
    })
    .example("$0 /etc/lighttpd/lighttpd.conf", "lint a config and everything it includes")
    .example("$0 --fix lighttpd.conf", "apply safe fixes in place")
    .example("$0 --format json conf/", "machine-readable output for CI")
    .example("$0 explain socket-in-tmp", "why a rule matters and how to fix it")
    .version(packageVersion)
    .strict()
    .help()
    .fail((msg, err) => { throw new UsageError(err?.message ?? msg); });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`lighttpd-lint: ${e.message}\nRun 'lighttpd-lint --help' for usage.\n`);
      return 2;
    }
    process.stderr.write(`lighttpd-lint: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
  return exitCode;
}

function lintOptions<T>(y: import("yargs").Argv<T>) {
  return y
    .positional("paths", { type: "string", array: true, default: [] as string[], describe: "config files or directories" })
    .option("format", { alias: "f", choices: Object.keys(formatters), default: "stylish", describe: "output format" })
    .option("fix", { type: "boolean", default: false, describe: "apply safe fixes in place" })
    .option("fix-dry-run", { alias: "diff", type: "boolean", default: false, describe: "print the fixes as a unified diff instead of writing" })
    .option("fix-suggestions", { type: "boolean", default: false, describe: "also apply suggestions (fixes that may change behaviour)" })
    .option("socket-dir", { type: "string", describe: "where backend sockets belong (default /run/lighttpd)" })
    .option("lighttpd-version", { type: "string", describe: "target lighttpd version (default: lighttpd -v, else 1.4.69)" })
    .option("config", { alias: "c", type: "string", describe: "use this .lighttpd-lint.json" })
    .option("use-config", { type: "boolean", default: true, hidden: true })
    .option("no-config", { type: "boolean", describe: "ignore .lighttpd-lint.json files" })
    .option("rule", { type: "string", array: true, default: [] as string[], describe: "set a rule's severity: id:error|warning|info|off" })
    .option("disable", { type: "string", array: true, default: [] as string[], describe: "turn a rule off" })
    .option("check-fs", { type: "boolean", default: false, describe: "check sockets, bin-path, docroot and certificates on this machine" })
    .option("root", { type: "string", describe: "with --check-fs: a mounted image to check instead of /" })
    .option("allow-include-shell", { type: "boolean", default: false, describe: "run include_shell commands (never done otherwise)" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "report errors only" })
    .option("max-warnings", { type: "number", default: -1, describe: "exit 1 when there are more warnings than this" })
    .option("snippet", { type: "boolean", default: false, describe: "lint a fragment of a larger config" })
    .option("stdin", { type: "boolean", default: false, describe: "read the config from standard input" })
    .option("stdin-filename", { type: "string", describe: "with --stdin: the file name to report and resolve includes against" })
    .option("color", { type: "boolean", describe: "force or disable colour" });
}

function buildProject(args: LintArgs, forFile: string): ProjectConfig {
  let project: ProjectConfig = { rules: {} };
  const noConfig = (args as unknown as { noConfig?: boolean }).noConfig === true || args.useConfig === false;
  if (args.config) project = loadConfigFile(args.config);
  else if (!noConfig) {
    const found = findConfigFile(path.dirname(path.resolve(forFile)));
    if (found) project = loadConfigFile(found);
  }
  project = { ...project, rules: { ...project.rules } };
  if (args.lighttpdVersion) project.lighttpdVersion = args.lighttpdVersion;
  if (args.socketDir) project.socketDir = args.socketDir;
  if (args.checkFs) project.checkFs = true;
  if (args.root) project.root = args.root;
  for (const spec of args.rule) {
    const m = /^([a-z0-9-]+):(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--rule expects id:severity, got ${spec}`);
    checkRuleId(m[1]);
    project.rules[m[1]] = { ...project.rules[m[1]], ...parseRuleSetting(m[2], `--rule ${spec}`) };
  }
  for (const id of args.disable) {
    checkRuleId(id);
    project.rules[id] = { severity: "off" };
  }
  return project;
}

function checkRuleId(id: string): void {
  if (!rules.some((r) => r.meta.id === id)) throw new UsageError(`unknown rule ${id}; see 'lighttpd-lint rules'`);
}

/** Expands the command line's paths into main config files. */
export function expandPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (st.isDirectory()) {
      const main = path.join(p, "lighttpd.conf");
      if (fs.existsSync(main)) files.push(main);
      else files.push(...fs.readdirSync(p).filter((f) => f.endsWith(".conf")).sort().map((f) => path.join(p, f)));
    } else files.push(p);
  }
  return files;
}

function runLint(args: LintArgs): number {
  const color = args.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const cwd = process.cwd();
  const results: FileResult[] = [];
  let ioError = false;
  if (args.stdin) {
    const name = path.resolve(args.stdinFilename ?? "stdin.conf");
    const project = buildProject(args, name);
    const bytes = fs.readFileSync(0);
    const text = decodeSource(bytes).text;
    const r = lintText(text, name, lintOpts(args, project));
    results.push(...r.files);
  } else {
    if (args.paths.length === 0) throw new UsageError("no input: give config files or directories (or --stdin)");
    const seen = new Set<string>();
    for (const file of expandPaths(args.paths)) {
      const bytes = readOrReport(file);
      if (!bytes) { ioError = true; continue; }
      if (looksBinary(bytes)) {
        process.stderr.write(`lighttpd-lint: ${file}: not a text config (binary data); skipped\n`);
        ioError = true;
        continue;
      }
      const project = buildProject(args, file);
      const opts = lintOpts(args, project);
      if (args.fix || args.fixDryRun) {
        const fixed = fixConfig(file, opts, args.fixSuggestions);
        for (const f of fixed.changed) {
          if (args.fixDryRun) process.stdout.write(unifiedDiff(path.relative(cwd, f.path) || f.path, f.original, f.fixed));
          else {
            try {
              writeFileAtomic(f.path, Buffer.from(f.fixed, f.encoding), f.originalBytes);
            } catch (e) {
              process.stderr.write(`lighttpd-lint: ${(e as Error).message}\n`);
              ioError = !(e instanceof StaleFileError) || ioError;
            }
          }
        }
        for (const fr of fixed.result.files) if (!seen.has(fr.filePath)) { seen.add(fr.filePath); results.push(fr); }
      } else {
        for (const fr of lint(file, opts).files) if (!seen.has(fr.filePath)) { seen.add(fr.filePath); results.push(fr); }
      }
    }
  }
  const shown = results.map((r) => ({ ...r, diagnostics: args.quiet ? r.diagnostics.filter((d) => d.severity === "error") : r.diagnostics }));
  if (!(args.fixDryRun && args.format === "stylish")) process.stdout.write(formatters[args.format](shown, { color, cwd }));
  if (ioError) return 2;
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "error").length, 0);
  const warnings = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "warning").length, 0);
  if (errors > 0) return 1;
  if (args.maxWarnings >= 0 && warnings > args.maxWarnings) return 1;
  return 0;
}

function lintOpts(args: LintArgs, project: ProjectConfig): LintOptions {
  return { project, allowIncludeShell: args.allowIncludeShell, snippet: args.snippet };
}

function readOrReport(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    process.stderr.write(`lighttpd-lint: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return undefined;
  }
}

function runParse(file: string, version?: string): number {
  const bytes = readOrReport(file);
  if (!bytes) return 2;
  const { text } = decodeSource(bytes);
  const parsed = parseConfig(text, { version: resolveTargetVersion(version).version });
  const lines = new LineIndex(text);
  const json = {
    file,
    version: parsed.version,
    problems: parsed.problems.map((p) => ({ ...p, ...lines.position(p.start) })),
    tree: treeToJson(parsed.tree, lines),
  };
  process.stdout.write(JSON.stringify(json) + "\n");
  return parsed.problems.length ? 1 : 0;
}
