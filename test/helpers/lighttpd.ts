/**
 * Access to the real lighttpd binary, our oracle. Tests that need it call `describeWithLighttpd`
 * (or check `lighttpdAvailable`): without the binary they are skipped with a visible reason, and
 * with REQUIRE_LIGHTTPD=1 (set by .ci/run) a missing binary is a failure instead.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { installedBinary, ORACLE_RELEASES as ORACLE_RELEASE_LIST } from "../../src/util/version.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sharedDir = path.resolve(repoRoot, "../shared");
export const corpusDir = path.join(sharedDir, "corpus");
export const oracleCasesDir = path.join(sharedDir, "reference/oracle/cases");

/**
 * The oracle binary, by absolute path (never looked up on PATH, like src/util/version.ts):
 * $LIGHTTPD_BIN, else the first well-known install location.
 */
export const lighttpdBin: string = process.env.LIGHTTPD_BIN || installedBinary() || "/usr/sbin/lighttpd";

function probe(): string | undefined {
  const r = spawnSync(lighttpdBin, ["-v"], { encoding: "utf8" });
  if (r.status !== 0 || r.error) return undefined;
  return /lighttpd\/(\S+)/.exec(r.stdout)?.[1];
}

export const lighttpdVersion = probe();
export const lighttpdAvailable = lighttpdVersion !== undefined;
export const requireLighttpd = process.env.REQUIRE_LIGHTTPD === "1";

/** `describe` that runs only when lighttpd is installed (fails loudly under REQUIRE_LIGHTTPD=1). */
export function describeWithLighttpd(name: string, body: () => void): void {
  if (lighttpdAvailable) {
    describe(name, body);
  } else if (requireLighttpd) {
    describe(name, () => {
      it("needs the lighttpd binary (REQUIRE_LIGHTTPD=1)", () => {
        throw new Error("lighttpd is not installed but REQUIRE_LIGHTTPD=1: install it (apt-get install -y lighttpd)");
      });
    });
  } else {
    describe.skip(`${name} [skipped: lighttpd binary not found on PATH; apt-get install -y lighttpd]`, body);
  }
}

export interface LighttpdRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lighttpd <mode> -f file` with cwd = the file's directory (as the oracle recipe says). */
export function runLighttpd(mode: "-t" | "-tt" | "-p", file: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv; asUser?: string } = {}): LighttpdRun {
  const cwd = opts.cwd ?? path.dirname(file);
  const args = opts.asUser && process.getuid?.() === 0 ? ["-u", opts.asUser, "--", lighttpdBin, mode, "-f", file] : [mode, "-f", file];
  const cmd = opts.asUser && process.getuid?.() === 0 ? "runuser" : lighttpdBin;
  const r = spawnSync(cmd, args, { cwd, env: opts.env ?? process.env, encoding: "utf8", timeout: 10_000, input: "" });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Every config file below a shared/ folder (not its README, COPYING or SOURCES.tsv), sorted. */
export function listSharedFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !/^(SOURCES\.tsv|README\.md|COPYING)$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// Oracles for each release (test/oracle/): upstream builds made by tools/build-lighttpd.sh.

/** The releases tools/build-lighttpd.sh builds from ../shared/lighttpd-src (one per distribution that matters). */
export const ORACLE_RELEASES = ORACLE_RELEASE_LIST.map((r) => r.version);

export const oracleCacheDir = path.join(process.env.LIGHTTPD_LINT_CACHE || path.join(os.homedir(), ".cache", "lighttpd-lint"), "lighttpd");

export interface OracleBinary {
  version: string;
  /** Absolute path of that release's `lighttpd`, or undefined when it is not built here. */
  bin: string | undefined;
  /** Where it comes from (for skip messages and logs). */
  origin: string;
}

function reportedVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ["-v"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? /lighttpd\/(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}

/** Every oracle release with its binary: the cached upstream build, else (1.4.69) Debian's /usr/sbin/lighttpd. */
export function oracleBinaries(): OracleBinary[] {
  return ORACLE_RELEASES.map((version) => {
    const built = path.join(oracleCacheDir, version, "sbin", "lighttpd");
    if (fs.existsSync(path.join(oracleCacheDir, version, ".built")) && reportedVersion(built) === version) return { version, bin: built, origin: built };
    if (version === "1.4.69" && reportedVersion("/usr/sbin/lighttpd") === version) return { version, bin: "/usr/sbin/lighttpd", origin: "Debian's /usr/sbin/lighttpd" };
    return { version, bin: undefined, origin: `not built (run tools/build-lighttpd.sh ${version})` };
  });
}

/** `describe` for one release's oracle: skipped visibly when it is not built, a failure under REQUIRE_LIGHTTPD=1. */
export function describeWithOracle(oracle: OracleBinary, name: string, body: (bin: string) => void): void {
  const bin = oracle.bin;
  if (bin) {
    describe(`${name} [lighttpd ${oracle.version}]`, () => body(bin));
  } else if (requireLighttpd) {
    describe(`${name} [lighttpd ${oracle.version}]`, () => {
      it("needs this release's binary (REQUIRE_LIGHTTPD=1)", () => {
        throw new Error(`lighttpd ${oracle.version} is ${oracle.origin} but REQUIRE_LIGHTTPD=1`);
      });
    });
  } else {
    describe.skip(`${name} [lighttpd ${oracle.version} skipped: ${oracle.origin}]`, () => body(""));
  }
}

/** Runs one release's binary like runLighttpd, returning also the pid (var.PID is part of `-p`). */
export function runOracle(bin: string, mode: "-t" | "-tt" | "-p", file: string, cwd = path.dirname(file)): LighttpdRun & { pid: number | undefined; out: Buffer } {
  const r = spawnSync(bin, [mode, "-f", file], { cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, encoding: "buffer", timeout: 10_000, input: "" });
  return { status: r.status, stdout: r.stdout?.toString("utf8") ?? "", stderr: r.stderr?.toString("utf8") ?? "", pid: r.pid, out: r.stdout ?? Buffer.alloc(0) };
}
