/**
 * The lint command: paths → main configs → lint jobs (in this thread or on workers) → fixes
 * written or shown → one report. Exit codes: 0 clean, 1 findings, 2 usage / I/O / internal error.
 */
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../ast/diagnostics.js";
import { findConfigFile, loadConfigFile, parseRuleSetting, type ProjectConfig } from "../engine/config.js";
import type { FileResult } from "../engine/lint.js";
import type { FixedFile } from "../fix/fix-files.js";
import { RefusedWriteError, StaleFileError, writeFileAtomic } from "../fix/write.js";
import { printable } from "../format/printable.js";
import { loadFormatter } from "../format/index.js";
import { displayPath, isPseudoFile } from "../format/position.js";
import { rules } from "../../rules/index.js";
import { detectInstalledVersion, parseVersion } from "../util/version.js";
import { unifiedDiff } from "./diff.js";
import { UsageError } from "./errors.js";
import type { JobResult, LintJob } from "./lint-job.js";
import type { LintArgs } from "./options.js";
import { packageVersion } from "./paths.js";
import { runJobs, WORKER_THRESHOLD, workerCount } from "./pool.js";

const STDIN_NAME = "<stdin>";

export async function runLint(args: LintArgs): Promise<number> {
  validateArgs(args);
  const cwd = process.cwd();
  const jobs = args.stdin ? [stdinJob(args)] : expandPaths(args.paths).map((file) => jobFor(args, file));
  const workers = workerCount(jobs.length, args.jobs);
  if (workers > 0) pinVersion(jobs);
  const progress = progressReporter(jobs.length, workers);
  const results = await runJobs(jobs, workers, progress.update);
  progress.end();

  let failed = false; // I/O or internal error: exit 2
  for (const r of results) if (r.error) { process.stderr.write(`lighttpd-lint: ${r.error}\n`); failed = true; }
  const kept = dropCoveredMains(results);
  const files = mergeFileResults(kept);

  if (args.fix || args.fixDryRun) {
    for (const n of new Set(kept.flatMap((r) => r.notices ?? []))) process.stderr.write(`lighttpd-lint: ${printable(n)}\n`);
    for (const f of changedFiles(kept)) {
      const name = displayPath(f.path, cwd);
      if (args.fixDryRun) {
        // in the file's own encoding, so that patch(1) applies it to a Latin-1 file
        process.stdout.write(Buffer.from(unifiedDiff(name, f.original, f.fixed), f.encoding));
        continue;
      }
      try {
        writeFileAtomic(f.path, Buffer.from(f.fixed, f.encoding), f.originalBytes);
      } catch (e) {
        const why = e instanceof StaleFileError || e instanceof RefusedWriteError ? e.message : `cannot write ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        process.stderr.write(`lighttpd-lint: ${why}\n`);
        failed = true;
      }
    }
  }

  const shown = files.map((r) => ({ ...r, diagnostics: args.quiet ? r.diagnostics.filter((d) => d.severity === "error") : r.diagnostics }));
  if (!args.fixDryRun) {
    const format = await loadFormatter(args.format);
    const color = args.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
    process.stdout.write(format(shown, { color, cwd, toolVersion: packageVersion }));
  }
  if (failed) return 2;
  const count = (sev: Diagnostic["severity"]) => shown.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === sev).length, 0);
  if (count("error") > 0) return 1;
  if (args.maxWarnings !== undefined && args.maxWarnings >= 0 && count("warning") > args.maxWarnings) {
    if (args.format === "stylish") process.stderr.write(`lighttpd-lint: too many warnings (${count("warning")}, at most ${args.maxWarnings} allowed)\n`);
    return 1;
  }
  return 0;
}

function validateArgs(args: LintArgs): void {
  if (args.stdin && args.paths.length) throw new UsageError("--stdin reads standard input: give no paths with it");
  if (!args.stdin && args.stdinFilename !== undefined) throw new UsageError("--stdin-filename needs --stdin");
  if (!args.stdin && args.paths.length === 0) throw new UsageError("no input: give config files or directories (or --stdin)");
  if (args.fix && args.fixDryRun) throw new UsageError("--fix writes files, --fix-dry-run/--diff only shows the changes: choose one");
  if (args.fix && args.stdin) throw new UsageError("--fix cannot write to standard input: use --diff to see the fixes");
  if (args.fixRoot !== undefined && !args.fix && !args.fixDryRun) throw new UsageError("--fix-root goes with --fix or --fix-dry-run");
  if (args.fixSuggestions && !args.fix && !args.fixDryRun) throw new UsageError("--fix-suggestions goes with --fix or --fix-dry-run");
  if (args.config !== undefined && args.noConfig) throw new UsageError("--config and --no-config contradict each other");
  if (args.config === "") throw new UsageError("--config needs a file name");
  if (args.maxWarnings !== undefined && !(Number.isInteger(args.maxWarnings) && args.maxWarnings >= -1)) throw new UsageError("--max-warnings expects a whole number (0 or more; -1 for no limit)");
  if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 0)) throw new UsageError("--jobs expects a whole number (1 = no worker threads)");
  if (args.lighttpdVersion !== undefined && !parseVersion(args.lighttpdVersion)) throw new UsageError(`--lighttpd-version expects a version like 1.4.69, got ${JSON.stringify(args.lighttpdVersion)}`);
  if (args.socketDir !== undefined && !path.isAbsolute(args.socketDir)) throw new UsageError("--socket-dir expects an absolute directory, e.g. /run/lighttpd");
  if (args.root !== undefined && !args.checkFs) throw new UsageError("--root goes with --check-fs");
}

function stdinJob(args: LintArgs): LintJob {
  const name = args.stdinFilename ?? STDIN_NAME;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(0);
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { ...jobFor(args, name), stdinBytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function jobFor(args: LintArgs, file: string): LintJob {
  return {
    file,
    project: buildProject(args, file),
    allowIncludeShell: args.allowIncludeShell,
    snippet: args.snippet,
    fix: args.fix || args.fixDryRun ? (args.fixSuggestions ? "fixes-and-suggestions" : "fixes") : "none",
    fixRoot: args.fixRoot !== undefined ? path.resolve(args.fixRoot) : undefined,
  };
}

/** .lighttpd-lint.json (found upward from the file, or --config), then the command line on top. */
export function buildProject(args: LintArgs, forFile: string): ProjectConfig {
  let project: ProjectConfig = { rules: {} };
  if (args.config !== undefined) project = loadConfigFile(args.config);
  else if (!args.noConfig) {
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
  return project;
}

function checkRuleId(id: string): void {
  if (!rules.some((r) => r.meta.id === id)) throw new UsageError(`unknown rule ${JSON.stringify(id)}; see 'lighttpd-lint rules'`);
}

/** A directory means its lighttpd.conf, else every *.conf in it (not recursive). */
export function expandPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    }
    if (!st.isDirectory()) {
      files.push(p);
      continue;
    }
    const main = path.join(p, "lighttpd.conf");
    if (fs.existsSync(main)) {
      files.push(main);
      continue;
    }
    const confs = fs.readdirSync(p).filter((f) => f.endsWith(".conf")).sort().map((f) => path.join(p, f));
    if (confs.length === 0) throw new UsageError(`${p} has no lighttpd.conf and no *.conf files`);
    files.push(...confs);
  }
  return files;
}

/** Workers cannot share this process's `lighttpd -v` cache: probe once here and pass the answer. */
function pinVersion(jobs: LintJob[]): void {
  for (const job of jobs) if (!job.project.lighttpdVersion) job.project.lighttpdVersion = detectInstalledVersion();
}

function realKey(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
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
      else if (first.fixed !== f.fixed) process.stderr.write(`lighttpd-lint: ${f.path}: the configs that include it need different fixes; applied those for ${results.find((x) => x.changed.includes(first))?.file}; run --fix again\n`);
    }
  }
  return [...byFile.values()];
}

/** A progress line on stderr for long runs, only when a person is watching (a TTY). */
function progressReporter(total: number, workers: number): { update?: (done: number) => void; end: () => void } {
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: ${total} main config${total === 1 ? "" : "s"}, ${workers} worker thread${workers === 1 ? "" : "s"}\n`);
  if (!process.stderr.isTTY || total < WORKER_THRESHOLD) return { end: () => {} };
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
