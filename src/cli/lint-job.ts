/**
 * One unit of work for the CLI: lint (and maybe fix, in memory) one main config with its includes.
 * Plain data in and out, so it runs the same in the main thread and in a worker thread.
 */
import { defaultReadFile } from "../util/read-file.js";
import fs from "node:fs";
import path from "node:path";
import { lint, type FileResult, type LintOptions } from "../linter.js";
import type { ProjectConfig } from "../config/config.js";
import { fixConfig, type FixedFile } from "../fix/fix-files.js";

export interface LintJob {
  /** The main config, as the user named it (or the --stdin-filename). */
  file: string;
  project: ProjectConfig;
  allowIncludeShell: boolean;
  snippet: boolean;
  fix: "none" | "fixes" | "fixes-and-suggestions";
  /** --fix-root: fixes change only files under it (default: the main config's directory). */
  fixRoot?: string;
  /** --stdin: the config's bytes; `file` is then only a name (includes resolve against it). */
  stdinBytes?: Uint8Array;
}

export interface JobResult {
  file: string;
  /** The main config first, then every included file. */
  files: FileResult[];
  /** With --fix / --diff: the files whose text the fixes changed (in memory). */
  changed: FixedFile[];
  /** With --fix / --diff: why fixes on offer were not applied (outside the fix root, would add a finding, ...). */
  notices?: string[];
  /** An I/O or internal error: the exit code becomes 2. */
  error?: string;
}

export function runJob(job: LintJob): JobResult {
  // A --stdin-filename is made absolute (includes resolve against it); plain `<stdin>` stays a name.
  const name = job.stdinBytes && job.file !== "<stdin>" ? path.resolve(job.file) : job.file;
  const options: LintOptions = { project: job.project, allowIncludeShell: job.allowIncludeShell, snippet: job.snippet };
  if (job.stdinBytes) {
    const bytes = job.stdinBytes;
    const self = path.resolve(name);
    options.readFile = (f) => (path.resolve(f) === self ? bytes : defaultReadFile(f));
  } else {
    // The main file must be readable: an unreadable config is an I/O error, not an empty config.
    try {
      fs.accessSync(job.file, fs.constants.R_OK);
      if (fs.statSync(job.file).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (e) {
      return { file: job.file, files: [], changed: [], error: `cannot read ${job.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  }
  try {
    if (job.fix === "none") return { file: job.file, files: lint(name, options).files, changed: [] };
    // --fix-root names the files the user lets us change: their text may be shown too (src/engine/redact.ts).
    const fixed = fixConfig(name, job.fixRoot ? { ...options, projectRoot: job.fixRoot } : options, job.fix === "fixes-and-suggestions", { fixRoot: job.fixRoot });
    const notices = [
      ...fixed.refused.map((r) => `not fixing ${r.path}: ${r.reason}`),
      ...fixed.dropped.map((d) => `not applied: ${d.ruleId}'s fix "${d.description}" in ${d.file}: the config linted after it had a new error or a finding on the fixed text`),
    ];
    return { file: job.file, files: fixed.result.files, changed: fixed.changed, notices };
  } catch (e) {
    return { file: job.file, files: [], changed: [], error: `internal error while linting ${job.file}: ${(e as Error).stack ?? e}` };
  }
}

/** The worker thread's side of pool.ts: lints each batch of jobs posted to `port` and posts the results back. */
export function serveLintJobs(port: Pick<import("node:worker_threads").MessagePort, "on" | "postMessage">): void {
  port.on("message", (msg: { first: number; jobs: LintJob[] }) => {
    port.postMessage({ first: msg.first, results: msg.jobs.map(runJob) });
  });
}
