/**
 * The lint command: paths → main configs → lint jobs (in this thread or on workers) → fixes
 * written or shown → one report. Exit codes: 0 clean, 1 findings, 2 usage / I/O / internal error.
 */
import { dropUntrustedSettings } from "../engine/config-trust.js";
import { printable } from "../format/printable.js";
import { fileIdentity } from "../eval/evaluate.js";
import fs from "node:fs";
import { readStdin } from "../util/read-file.js";
import path from "node:path";
import type { Diagnostic } from "../ast/diagnostics.js";
import { findConfigFile, parseRuleSetting, type ProjectConfig } from "../config/config.js";
import type { FileResult } from "../engine/lint.js";
import type { FixedFile } from "../fix/fix-files.js";
import { RefusedWriteError, StaleFileError, writeFileAtomic } from "../fix/write.js";
import { loadFormatter } from "../format/index.js";
import { displayPath, isPseudoFile } from "../format/position.js";
import { rules } from "../../rules/index.js";
import { detectInstalledVersion, probeInstalledVersion, resolveLighttpdVersion } from "../util/version.js";
import { UsageError } from "./errors.js";
import { stdoutIsTerminal, writeStdout } from "./stdout.js";
import type { JobResult, LintJob } from "./lint-job.js";
import { THRESHOLDS, type LintArgs } from "./options.js";
import { expandPaths } from "./expand.js";
import { deselectedRules, parseSelectors } from "./select.js";
import { SUBCOMMANDS } from "./subcommands.js";
import { closest, didYouMean } from "../util/suggest.js";
import { packageVersion } from "./paths.js";
import { runJobs, WORKER_THRESHOLD, workerCount } from "./pool.js";

const STDIN_NAME = "<stdin>";

export async function runLint(args: LintArgs): Promise<number> {
  normalizeArgs(args);
  validateArgs(args);
  const cwd = process.cwd();
  if (args.printConfig !== undefined) return printConfig(args, args.printConfig);
  checkCommandTypos(args.paths);
  const jobs: LintJob[] = [];
  if (args.stdin) jobs.push(await stdinJob(args));
  else for (const file of await expandPaths(args.paths, args.exclude, cwd)) jobs.push(await jobFor(args, file));
  if (jobs.some((j) => !j.project.lighttpdVersion)) await probeInstalledVersion();
  const workers = workerCount(jobs.length, args.jobs);
  if (workers > 0) pinVersion(jobs);
  const progress = progressReporter(jobs.length, workers);
  const results = await runJobs(jobs, workers, progress.update);
  progress.end();

  let failed = false; // I/O or internal error: exit 2
  for (const r of results)
    if (r.error) {
      process.stderr.write(`lighttpd-lint: ${printable(r.error)}\n`);
      failed = true;
    }
  const kept = dropCoveredMains(results);
  let files = mergeFileResults(kept);

  if (args.fix || args.fixDryRun) {
    for (const n of new Set(kept.flatMap((r) => r.notices ?? []))) process.stderr.write(`lighttpd-lint: ${printable(n)}\n`);
    for (const f of changedFiles(kept)) {
      const name = displayPath(f.path, cwd);
      if (args.fixDryRun) {
        // in the file's own encoding, so that patch(1) applies it to a Latin-1 file
        const { unifiedDiff } = await import("./diff.js");
        process.stdout.write(Buffer.from(unifiedDiff(printable(name), f.original, f.fixed), f.encoding));
        continue;
      }
      try {
        writeFileAtomic(f.path, Buffer.from(f.fixed, f.encoding), f.originalBytes);
      } catch (e) {
        const why =
          e instanceof StaleFileError || e instanceof RefusedWriteError ? e.message : `cannot write ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        process.stderr.write(`lighttpd-lint: ${printable(why)}\n`);
        failed = true;
      }
    }
  }

  if (args.writeBaseline !== undefined) {
    const n = (await import("./baseline.js")).writeBaseline(files, args.writeBaseline);
    process.stderr.write(`lighttpd-lint: recorded ${n} finding${n === 1 ? "" : "s"} in ${printable(args.writeBaseline)}\n`);
    return failed ? 2 : 0;
  }
  if (args.baseline !== undefined) {
    const { applyBaseline, readBaseline } = await import("./baseline.js");
    const applied = applyBaseline(files, readBaseline(args.baseline), args.baseline);
    files = applied.results;
    if (applied.baselined || applied.gone) {
      const gone = applied.gone
        ? `; ${applied.gone} baselined finding${applied.gone === 1 ? " is" : "s are"} gone (run --write-baseline again to drop ${applied.gone === 1 ? "it" : "them"})`
        : "";
      process.stderr.write(`lighttpd-lint: ${applied.baselined} finding${applied.baselined === 1 ? "" : "s"} in ${printable(args.baseline)} not shown${gone}\n`);
    }
  }

  const shown = files.map((r) => ({ ...r, diagnostics: args.quiet ? r.diagnostics.filter((d) => d.severity === "error") : r.diagnostics }));
  if (!args.fixDryRun) {
    const toFile = args.outputFile !== undefined;
    const color = colorEnabled(args.color, !toFile && stdoutIsTerminal(), process.env, toFile);
    // Formats that stream (json, sarif) write chunks through `write`: a large report is never one string.
    let fd: number | undefined;
    try {
      if (toFile) fd = fs.openSync(args.outputFile!, "w");
      const write = fd === undefined ? writeStdout : (chunk: string) => void fs.writeSync(fd!, chunk);
      const text = args.statistics ? formatStatistics(shown, args.format) : (await loadFormatter(args.format))(shown, { color, cwd, toolVersion: packageVersion, write });
      if (text) write(text);
    } catch (e) {
      if (!toFile || (e as NodeJS.ErrnoException).code === undefined) throw e;
      throw new UsageError(`cannot write ${args.outputFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
  if (failed) return 2;
  if (args.exitZero) return 0;
  const count = (sev: Diagnostic["severity"]) => shown.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === sev).length, 0);
  const failing = THRESHOLDS.slice(0, THRESHOLDS.indexOf(args.failureThreshold) + 1);
  if (failing.some((sev) => count(sev) > 0)) return 1;
  if (args.maxWarnings !== undefined && args.maxWarnings >= 0 && count("warning") > args.maxWarnings) {
    if (args.format === "stylish") process.stderr.write(`lighttpd-lint: too many warnings (${count("warning")}, at most ${args.maxWarnings} allowed)\n`);
    return 1;
  }
  return 0;
}

/** `-` as the only path means standard input, as in most command-line tools. */
function normalizeArgs(args: LintArgs): void {
  if (args.paths.includes("-")) {
    if (args.paths.length > 1 || args.stdin) throw new UsageError("- (standard input) goes alone: give no other paths and no --stdin with it");
    args.paths = [];
    args.stdin = true;
  }
}

/**
 * Colour: --color / --no-color decide; else FORCE_COLOR (set and not "0": on; "0": off), NO_COLOR
 * (off), TERM=dumb (off), and finally whether the output is a terminal. A report written to a file
 * (--output-file) is coloured only with --color.
 */
export function colorEnabled(flag: boolean | undefined, isTTY: boolean, env: NodeJS.ProcessEnv, toFile = false): boolean {
  if (flag !== undefined) return flag;
  if (toFile) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR) return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/** `lighttpd-lint complet` when no file `complet` exists: a mistyped sub-command, not a missing file. */
function checkCommandTypos(paths: string[]): void {
  for (const p of paths) {
    if (!/^[a-z][a-z0-9-]*$/.test(p) || fs.existsSync(p)) continue;
    const c = closest(p, SUBCOMMANDS);
    if (c) throw new UsageError(`unknown command ${JSON.stringify(p)}; did you mean ${JSON.stringify(c)}? (no file of that name either)`);
  }
}

/**
 * --statistics: one line per rule, most findings first (`  12  warning  debug-enabled  [fixable]`),
 * or with --format json an array of { rule, count, severity, fixable }.
 */
export function formatStatistics(results: FileResult[], format: string): string {
  const byRule = new Map<string, { rule: string; count: number; severity: Diagnostic["severity"]; fixable: number }>();
  for (const r of results) {
    for (const d of r.diagnostics) {
      const e = byRule.get(d.ruleId) ?? { rule: d.ruleId, count: 0, severity: d.severity, fixable: 0 };
      e.count++;
      if (d.fix) e.fixable++;
      if (d.severity === "error" || (d.severity === "warning" && e.severity === "info")) e.severity = d.severity;
      byRule.set(d.ruleId, e);
    }
  }
  const rows = [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
  if (format === "json") return JSON.stringify(rows, null, 2) + "\n";
  const width = Math.max(1, ...rows.map((r) => String(r.count).length));
  return rows
    .map((r) => `${String(r.count).padStart(width)}  ${r.severity.padEnd(7)}  ${r.rule}${r.fixable ? `  [${r.fixable === r.count ? "" : `${r.fixable} `}fixable]` : ""}\n`)
    .join("");
}

/** --print-config FILE: the settings that apply to FILE (config file found, CLI options on top). */
async function printConfig(args: LintArgs, file: string): Promise<number> {
  const project = await buildProject(args, file);
  if (!project.lighttpdVersion) await probeInstalledVersion();
  const settings = (await import("../engine/lint.js")).resolveSettings(project);
  const configFile = args.config ?? (args.noConfig ? undefined : findConfigFile(path.dirname(path.resolve(file))));
  const effective = {
    file: path.resolve(file),
    configFile: configFile === undefined ? null : path.resolve(configFile),
    lighttpdVersion: settings.lighttpdVersion,
    lighttpdVersionSource: settings.versionSource,
    socketDir: settings.socketDir,
    checkFs: settings.checkFs,
    root: settings.root,
    allowIncludeShell: args.allowIncludeShell,
    rules: Object.fromEntries(
      rules.map((r) => {
        const rc: { severity?: string } = project.rules[r.meta.id] ?? {};
        return [r.meta.id, rc.severity ?? r.meta.severity];
      }),
    ),
  };
  process.stdout.write(JSON.stringify(effective, null, 2) + "\n");
  return 0;
}

function validateArgs(args: LintArgs): void {
  if (args.stdin && args.paths.length) throw new UsageError("--stdin reads standard input: give no paths with it");
  if (!args.stdin && args.stdinFilename !== undefined) throw new UsageError("--stdin-filename needs --stdin");
  if (!args.stdin && args.paths.length === 0 && args.printConfig === undefined) throw new UsageError("no input: give config files or directories (or --stdin)");
  if (args.fix && args.fixDryRun) throw new UsageError("--fix writes files, --fix-dry-run/--diff only shows the changes: choose one");
  if (args.fix && args.stdin) throw new UsageError("--fix cannot write to standard input: use --diff to see the fixes");
  if (args.fixRoot !== undefined && !args.fix && !args.fixDryRun) throw new UsageError("--fix-root goes with --fix or --fix-dry-run");
  if (args.fixSuggestions && !args.fix && !args.fixDryRun) throw new UsageError("--fix-suggestions goes with --fix or --fix-dry-run");
  if (args.config !== undefined && args.noConfig) throw new UsageError("--config and --no-config contradict each other");
  if (args.config === "") throw new UsageError("--config needs a file name");
  if (args.maxWarnings !== undefined && !(Number.isInteger(args.maxWarnings) && args.maxWarnings >= -1))
    throw new UsageError("--max-warnings expects a whole number (0 or more; -1 for no limit)");
  if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 0)) throw new UsageError("--jobs expects a whole number (1 = no worker threads)");
  if (args.lighttpdVersion !== undefined) {
    const r = resolveLighttpdVersion(args.lighttpdVersion);
    if ("error" in r) throw new UsageError(`--lighttpd-version: ${r.error}`);
  }
  if (args.socketDir !== undefined && !path.isAbsolute(args.socketDir)) throw new UsageError("--socket-dir expects an absolute directory, e.g. /run/lighttpd");
  if (args.root !== undefined && !args.checkFs) throw new UsageError("--root goes with --check-fs");
  // Names are checked before any file is read: a typo is reported as such, not as a missing file.
  for (const id of args.disable) checkRuleId(id);
  for (const spec of args.rule) if (/^([a-z0-9-]+):/.test(spec)) checkRuleId(spec.slice(0, spec.indexOf(":")));
  parseSelectors(args.select, "--select", rules);
  parseSelectors(args.ignore, "--ignore", rules);
  if (args.statistics && !["stylish", "json"].includes(args.format)) throw new UsageError("--statistics prints a table (default) or JSON (--format json)");
  if (args.baseline !== undefined && args.writeBaseline !== undefined)
    throw new UsageError("--baseline and --write-baseline contradict each other: write a new baseline without --baseline");
  if (args.writeBaseline !== undefined && (args.fix || args.fixDryRun)) throw new UsageError("--write-baseline records findings: run --fix separately");
  for (const [name, v] of [
    ["--output-file", args.outputFile],
    ["--baseline", args.baseline],
    ["--write-baseline", args.writeBaseline],
    ["--print-config", args.printConfig],
  ] as const)
    if (v === "") throw new UsageError(`${name} needs a file name`);
}

async function stdinJob(args: LintArgs): Promise<LintJob> {
  const name = args.stdinFilename ?? STDIN_NAME;
  let bytes: Buffer;
  try {
    bytes = readStdin();
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { ...(await jobFor(args, name)), stdinBytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

async function jobFor(args: LintArgs, file: string): Promise<LintJob> {
  return {
    file,
    project: await buildProject(args, file),
    allowIncludeShell: args.allowIncludeShell,
    snippet: args.snippet,
    fix: args.fix || args.fixDryRun ? (args.fixSuggestions ? "fixes-and-suggestions" : "fixes") : "none",
    fixRoot: args.fixRoot !== undefined ? path.resolve(args.fixRoot) : undefined,
  };
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`lighttpd-lint: warning: ${printable(message)}\n`);
}

/** .lighttpd-lint.json (found upward from the file, or --config), then the command line on top. */
export async function buildProject(args: LintArgs, forFile: string): Promise<ProjectConfig> {
  let project: ProjectConfig = { rules: {} };
  const configFile = args.config ?? (args.noConfig ? undefined : findConfigFile(path.dirname(path.resolve(forFile))));
  if (configFile !== undefined) {
    // Loaded only when there is a config file: it brings ajv and jsonc-parser (see config-file.ts).
    const { loadConfigFile } = await import("../config/config-file.js");
    const trusted = dropUntrustedSettings(loadConfigFile(configFile), configFile);
    project = trusted.project;
    for (const w of trusted.warnings) warnOnce(w);
  }
  project = { ...project, rules: { ...project.rules } };
  if (args.lighttpdVersion) project.lighttpdVersion = args.lighttpdVersion;
  if (args.socketDir) project.socketDir = args.socketDir;
  if (args.checkFs) project.checkFs = true;
  if (args.root) project.root = args.root;
  for (const spec of args.rule) {
    const m = /^([a-z0-9-]+):(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--rule expects id:severity (e.g. --rule debug-enabled:off), got ${JSON.stringify(spec)}`);
    checkRuleId(m[1]);
    try {
      project.rules[m[1]] = { ...project.rules[m[1]], ...parseRuleSetting(m[2], `--rule ${spec}`) };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  for (const id of args.disable) {
    checkRuleId(id);
    project.rules[id] = { severity: "off" };
  }
  const off = deselectedRules(rules, parseSelectors(args.select, "--select", rules), parseSelectors(args.ignore, "--ignore", rules));
  for (const id of off) project.rules[id] = { ...project.rules[id], severity: "off" };
  return project;
}

function checkRuleId(id: string): void {
  if (!rules.some((r) => r.meta.id === id))
    throw new UsageError(
      `unknown rule ${JSON.stringify(id)}${didYouMean(
        id,
        rules.map((r) => r.meta.id),
      )} (see 'lighttpd-lint rules')`,
    );
}

export { expandPaths };

/** Workers cannot share this process's `lighttpd -v` cache: probe once here and pass the answer. */
function pinVersion(jobs: LintJob[]): void {
  for (const job of jobs) if (!job.project.lighttpdVersion) job.project.lighttpdVersion = detectInstalledVersion();
}

const realKeys = new Map<string, string>();

/** Which file a name is (device and inode), once per name. */
function realKey(file: string): string {
  let key = realKeys.get(file);
  if (key === undefined) {
    key = fileIdentity(file);
    realKeys.set(file, key);
  }
  return key;
}

/**
 * A file given on the command line that another given config includes is linted only in that
 * config's context. When two configs include each other, the one named first is the main one.
 */
export function dropCoveredMains(results: JobResult[]): JobResult[] {
  const mains = results.map((r) => realKey(r.file));
  const reached = results.map((r) => new Set(r.files.slice(1).map((f) => realKey(f.filePath))));
  return results.filter((_, j) => !results.some((__, i) => i !== j && reached[i].has(mains[j]) && (!reached[j].has(mains[i]) || i < j)));
}

/** One entry per file; a file included by several main configs gets the union of their findings. */
export function mergeFileResults(results: JobResult[]): FileResult[] {
  const byFile = new Map<string, FileResult & { keys: Set<string> }>();
  for (const r of results) {
    for (const f of r.files) {
      const key = isPseudoFile(f.filePath) ? f.filePath : realKey(f.filePath);
      let entry = byFile.get(key);
      if (!entry) {
        entry = { ...f, diagnostics: [], keys: new Set() };
        byFile.set(key, entry);
      }
      if (entry.text !== f.text) continue; // only with --fix, when main configs disagree; see changedFiles
      for (const d of f.diagnostics) {
        const k = `${d.ruleId}\0${d.start}\0${d.end}\0${d.message}`;
        if (entry.keys.has(k)) continue;
        entry.keys.add(k);
        entry.diagnostics.push(d);
      }
    }
  }
  return [...byFile.values()].map(({ keys: _keys, ...f }) => ({ ...f, diagnostics: f.diagnostics.sort((a, b) => a.start - b.start || a.end - b.end) }));
}

/** The fixed files to write, once each; the first main config that reaches a file decides its text. */
function changedFiles(results: JobResult[]): FixedFile[] {
  const byFile = new Map<string, FixedFile>();
  for (const r of results) {
    for (const f of r.changed) {
      const key = realKey(f.path);
      const first = byFile.get(key);
      if (!first) byFile.set(key, f);
      else if (first.fixed !== f.fixed)
        process.stderr.write(
          printable(
            `lighttpd-lint: ${f.path}: the configs that include it need different fixes; applied those for ${results.find((x) => x.changed.includes(first))?.file}; run --fix again`,
          ) + "\n",
        );
    }
  }
  return [...byFile.values()];
}

/** A progress line on stderr for long runs, only when a person is watching (a TTY). */
function progressReporter(total: number, workers: number): { update?: (done: number) => void; end: () => void } {
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: ${total} main config${total === 1 ? "" : "s"}, ${workers} worker thread${workers === 1 ? "" : "s"}\n`);
  if (total < WORKER_THRESHOLD || !process.stderr.isTTY) return { end: () => {} };
  let last = 0;
  return {
    update: (done) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      process.stderr.write(`\rlighttpd-lint: ${done}/${total} files`);
    },
    end: () => process.stderr.write("\r\x1b[K"),
  };
}
