/**
 * Running the real binary (`node bin/lighttpd-lint.js ...`) from the CLI tests. `npm test` builds
 * dist/ first; when the build is missing or older than the sources (a test file run on its own),
 * `ensureBuilt` builds it once, guarded by a lock so parallel test files do not build together.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach } from "vitest";
import { repoRoot } from "./helpers/lighttpd.js";

export { repoRoot };
export const bin = path.join(repoRoot, "bin/lighttpd-lint.js");
const builtMain = path.join(repoRoot, "dist/src/cli/main.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  if (!fs.existsSync(builtMain)) return false;
  const sources = Math.max(...["src", "rules", "grammar"].map((d) => newestSource(path.join(repoRoot, d))));
  return fs.statSync(builtMain).mtimeMs >= sources || process.env.CI === "true";
}

export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = path.join(os.tmpdir(), `lighttpd-lint-build-${Buffer.from(repoRoot).toString("hex").slice(-24)}.lock`);
  for (let i = 0; i < 600; i++) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another test file is building: wait for it (at most a minute), then check again.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      if (isFresh()) return;
      continue;
    }
    try {
      // Errors in files others are editing must not stop the build: tsc still emits.
      spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: repoRoot, stdio: "ignore" });
      if (fs.existsSync(builtMain)) fs.utimesSync(builtMain, new Date(), new Date());
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
    return;
  }
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, LIGHTTPD_LINT_DEBUG: undefined, ...opts.env };
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repoRoot, input: opts.input ?? "", env, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory with these files (name → text), removed by the caller's afterEach. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-cli-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The JSON format's documented shape; throws with a clear message when output breaks it. */
export function assertJsonShape(value: unknown): asserts value is JsonFile[] {
  if (!Array.isArray(value)) throw new Error("json output must be an array");
  for (const f of value) {
    const pseudo = typeof f.filePath === "string" && (f.filePath === "<stdin>" || f.filePath.startsWith("include_shell:"));
    if (typeof f.filePath !== "string" || !(pseudo || path.isAbsolute(f.filePath)))
      throw new Error(`filePath must be an absolute path, <stdin> or include_shell:<command>: ${JSON.stringify(f.filePath)}`);
    if (!Array.isArray(f.diagnostics)) throw new Error("diagnostics must be an array");
    for (const d of f.diagnostics) {
      for (const k of ["ruleId", "message"]) if (typeof d[k] !== "string" || d[k] === "") throw new Error(`${k} must be a non-empty string: ${JSON.stringify(d)}`);
      if (!["error", "warning", "info"].includes(d.severity)) throw new Error(`bad severity ${d.severity}`);
      for (const k of ["line", "column", "endLine", "endColumn"]) if (!Number.isInteger(d[k]) || d[k] < 1) throw new Error(`${k} must be a 1-based integer: ${JSON.stringify(d)}`);
      if (d.endLine < d.line || (d.endLine === d.line && d.endColumn < d.column)) throw new Error(`end before start: ${JSON.stringify(d)}`);
      if (d.fix !== undefined) {
        if (!Array.isArray(d.fix.edits)) throw new Error("fix.edits must be an array");
        for (const e of d.fix.edits) {
          if (!Array.isArray(e.range) || e.range.length !== 2 || !e.range.every((n: unknown) => Number.isInteger(n) && (n as number) >= 0) || e.range[0] > e.range[1])
            throw new Error(`bad edit range ${JSON.stringify(e)}`);
          if (typeof e.text !== "string") throw new Error("edit text must be a string");
        }
      }
      if (d.suggestions !== undefined && !Array.isArray(d.suggestions)) throw new Error("suggestions must be an array");
    }
  }
}

export interface JsonDiagnostic {
  ruleId: string;
  severity: "error" | "warning" | "info";
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { edits: { range: [number, number]; text: string }[] };
  suggestions?: unknown[];
}

export interface JsonFile {
  filePath: string;
  diagnostics: JsonDiagnostic[];
}

/** Temp dirs for one test file, removed after each test: `const tmp = useTempDirs(); tmp({ "a.conf": "..." })`. */
export function useTempDirs(): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return (files) => {
    const d = tempDir(files);
    dirs.push(d);
    return d;
  };
}
