/** lighttpd versions ("1.4.69") and the language features that depend on them. */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { childProcess } from "./lazy-node.js";
import { readUserCache, userCacheFile, writeUserCache } from "./user-cache.js";

export const FALLBACK_VERSION = "1.4.69";

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The newest lighttpd 1.4 release this version of lighttpd-lint knows. */
export const LATEST_RELEASE = "1.4.85";

/**
 * Releases proven against their own binary by the oracle tier (tools/build-lighttpd.sh,
 * test/oracle/releases.test.ts), with who ships them.
 */
export const ORACLE_RELEASES: readonly { version: string; note: string }[] = [
  { version: "1.4.59", note: "Debian 11" },
  { version: "1.4.63", note: "Ubuntu 22.04" },
  { version: "1.4.69", note: "Debian 12" },
  { version: "1.4.73", note: "Ubuntu 24.04" },
  { version: "1.4.74", note: "first with if / elif / else if" },
  { version: "1.4.76", note: "" },
  { version: "1.4.79", note: "Debian 13" },
  { version: "1.4.82", note: "" },
  { version: "1.4.85", note: "newest release" },
];

/**
 * A target version as the user wrote it (CLI flag, .lighttpd-lint.json, editor settings): a full
 * 1.4 release number up to LATEST_RELEASE, else an error naming the releases known. A partial
 * version ("1.4") or a word would silently compare as 0.0.0 and give nonsense findings everywhere.
 */
export function resolveLighttpdVersion(input: unknown): { version: string } | { error: string } {
  const known = `known: 1.4.0 to ${LATEST_RELEASE} (checked against the real binaries of ${ORACLE_RELEASES.map((r) => r.version).join(", ")}); see \`lighttpd-lint versions\``;
  if (typeof input !== "string") return { error: `the lighttpd version must be a string like "1.4.69" (${known})` };
  const v = input.trim();
  const parts = parseVersion(v);
  if (!parts) return { error: `${JSON.stringify(input)} is not a lighttpd release: write a version like 1.4.69, all three numbers (${known})` };
  if (parts[0] !== 1 || parts[1] !== 4 || compareVersions(v, LATEST_RELEASE) > 0) return { error: `lighttpd ${v} is not a release lighttpd-lint knows (${known})` };
  return { version: `${parts[0]}.${parts[1]}.${parts[2]}` };
}

/** Parsed versions: rules compare the target version with the schema's for every setting. */
const parsedVersions = new Map<string, readonly number[]>();
const NO_VERSION: readonly number[] = [0, 0, 0];

function versionParts(v: string): readonly number[] {
  let parts = parsedVersions.get(v);
  if (!parts) {
    parts = parseVersion(v) ?? NO_VERSION;
    if (parsedVersions.size > 1000) parsedVersions.clear();
    parsedVersions.set(v, parts);
  }
  return parts;
}

export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

export const atLeast = (version: string, min: string): boolean => compareVersions(version, min) >= 0;

/** Syntax that changed between 1.4 releases (commits in lighttpd1.4, see docs/versions.md). */
export interface LanguageFeatures {
  /** 1.4.65: `=^` / `=$` conditions, and simple anchored `=~` regexes stored (and printed by `-p`) as them. */
  prefixSuffixConditions: boolean;
  /**
   * Before 1.4.69 ("[lemon] upgrade LEMON parser to SQLite maint ver"), the old LEMON driver defined
   * YYERRORSYMBOL, popped the whole stack on a syntax error and failed the parse: every token that
   * 1.4.69+ silently drops (a stray `}`, `x = 1 2`, a `{` on the next line, `else if`) is a refusal.
   */
  syntaxErrorsFatal: boolean;
  /** Before 1.4.60 ("[core] parse $HTTP["remote-ip"] CIDR mask at start") a bad CIDR mask in `==`/`!=` is refused. */
  badCidrMaskRefused: boolean;
  /** 1.4.74: `if` before `$` is dropped; `elif`/`elsif`/`elseif` mean `else`. */
  elseIfSpellings: boolean;
  /** 1.4.74: two strings in a row are a tokenizer error. */
  stringAfterStringError: boolean;
  /** 1.4.77: a string or key right after a key is a tokenizer error. */
  keySanityErrors: boolean;
}

export function languageFeatures(version: string): LanguageFeatures {
  return {
    prefixSuffixConditions: atLeast(version, "1.4.65"),
    syntaxErrorsFatal: !atLeast(version, "1.4.69"),
    badCidrMaskRefused: !atLeast(version, "1.4.60"),
    elseIfSpellings: atLeast(version, "1.4.74"),
    stringAfterStringError: atLeast(version, "1.4.74"),
    keySanityErrors: atLeast(version, "1.4.77"),
  };
}

/** How a release's `lighttpd -p` prints (configfile.c: config_print_config, data_config.c in 1.4.59). */
export interface DumpFormat {
  /** 1.4.74: every condition block is printed as `if $HTTP[...] ... {` (so an else chain reads `else if`). */
  ifKeyword: boolean;
  /** Before 1.4.60 ("[core] config_vars_init()" in NEWS) var.PID was created before var.CWD. */
  pidBeforeCwd: boolean;
  /**
   * Before 1.4.60 ("[core] remove excess counts from print config") array.c: array_print wrote a
   * `# N` line before every 5th keyed element and at the end of a multi-line list (except after one element).
   */
  arrayCounts: boolean;
  /** 1.4.65 ("[multiple] application/javascript text/javascript"): mimetype.assign ".js" is rewritten. */
  jsTextJavascript: boolean;
}

export function dumpFormat(version: string): DumpFormat {
  return {
    ifKeyword: atLeast(version, "1.4.74"),
    pidBeforeCwd: !atLeast(version, "1.4.60"),
    arrayCounts: !atLeast(version, "1.4.60"),
    jsTextJavascript: atLeast(version, "1.4.65"),
  };
}

let detected: string | undefined | null = null;

/**
 * Where lighttpd-lint looks for an installed lighttpd, in this order: absolute paths only. PATH and
 * the working directory are never searched: under `npx`/`npm exec` a repository's own
 * `node_modules/.bin` comes first on PATH, so a pull request could ship a "lighttpd" that the CI job
 * would run. See docs/ci.md (trust model).
 */
export const LIGHTTPD_BINARIES = [
  "/usr/sbin/lighttpd",
  "/usr/local/sbin/lighttpd",
  "/usr/bin/lighttpd",
  "/usr/local/bin/lighttpd",
  "/sbin/lighttpd",
  "/opt/homebrew/sbin/lighttpd",
  "/opt/homebrew/bin/lighttpd",
];

/** The first well-known lighttpd that is a regular, executable file no other user can replace. */
export function installedBinary(candidates: readonly string[] = LIGHTTPD_BINARIES): string | undefined {
  return installedBinaryStat(candidates)?.file;
}

function installedBinaryStat(candidates: readonly string[] = LIGHTTPD_BINARIES): { file: string; st: fs.Stats } | undefined {
  for (const file of candidates) {
    try {
      const st = fs.statSync(file);
      if (st.isFile() && (st.mode & 0o111) !== 0 && (st.mode & 0o002) === 0) return { file, st };
    } catch {
      // not there
    }
  }
  return undefined;
}

/** How `lighttpd -v` runs, for both probes: no input, no environment, bounded in time and output. */
const PROBE = { stdio: ["ignore", "pipe", "ignore"], timeout: 2000, cwd: "/", env: {} } as const;
const PROBE_MAX_BYTES = 1 << 20;

/** "lighttpd/1.4.69 (ssl) - a light and fast webserver" → "1.4.69". */
const versionFromBanner = (out: string): string | undefined => /lighttpd\/(\d+\.\d+\.\d+)/.exec(out)?.[1];

/**
 * `lighttpd -v`'s answer is remembered between runs in the per-user cache (user-cache.ts): starting a
 * process costs more than the rest of a small lint's start-up. It is keyed by the binary's path and
 * identity (device, inode, size, modification and change times), so an upgrade or any replacement of
 * the file runs the probe again. Only an answer is stored, never a failure.
 */
export const versionCacheFile = (): string | undefined => userCacheFile("installed-lighttpd.json");

const identity = (st: fs.Stats): string => [st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs].join(":");

function cachedVersion(binary: string, st: fs.Stats): string | undefined {
  const file = versionCacheFile();
  const data = file && readUserCache(file, 4096);
  if (!data) return undefined;
  try {
    const c = JSON.parse(data.toString("utf8")) as { binary?: unknown; identity?: unknown; version?: unknown };
    if (c.binary !== binary || c.identity !== identity(st) || typeof c.version !== "string" || !parseVersion(c.version)) return undefined;
    return c.version;
  } catch {
    return undefined;
  }
}

function rememberVersion(binary: string, st: fs.Stats, version: string | undefined): string | undefined {
  const file = versionCacheFile();
  if (version !== undefined && file) writeUserCache(file, JSON.stringify({ binary, identity: identity(st), version }) + "\n");
  return version;
}

/** What `<absolute path>/lighttpd -v` reports, for the first of LIGHTTPD_BINARIES; else undefined. Cached: it costs a process start. */
export function detectInstalledVersion(): string | undefined {
  if (detected !== null) return detected;
  detected = undefined;
  const found = installedBinaryStat();
  if (!found) return detected;
  detected = cachedVersion(found.file, found.st);
  if (detected !== undefined) return detected;
  try {
    const out = childProcess().execFileSync(found.file, ["-v"], { ...PROBE, stdio: [...PROBE.stdio], encoding: "utf8", maxBuffer: PROBE_MAX_BYTES });
    detected = rememberVersion(found.file, found.st, versionFromBanner(out));
  } catch {
    detected = undefined;
  }
  return detected;
}

let probing: Promise<void> | undefined;

/**
 * detectInstalledVersion's answer, found without blocking: the CLI starts this before it loads the
 * lint code, so that `lighttpd -v` (when not cached) runs while modules load, and
 * detectInstalledVersion then answers from memory. Same binary, arguments, limits and cache.
 */
export function probeInstalledVersion(): Promise<void> {
  if (detected !== null) return Promise.resolve();
  probing ??= new Promise<void>((resolve) => {
    const settle = (version: string | undefined) => {
      if (detected === null) detected = version;
      resolve();
    };
    const found = installedBinaryStat();
    if (!found) return settle(undefined);
    const cached = cachedVersion(found.file, found.st);
    if (cached !== undefined) return settle(cached);
    let out = "";
    let child: ChildProcess;
    try {
      child = childProcess().spawn(found.file, ["-v"], { ...PROBE, stdio: [...PROBE.stdio] });
    } catch {
      return settle(undefined);
    }
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.length > PROBE_MAX_BYTES) child.kill("SIGKILL");
    });
    child.on("error", () => settle(undefined));
    child.on("close", (code) => settle(code === 0 && out.length <= PROBE_MAX_BYTES ? rememberVersion(found.file, found.st, versionFromBanner(out)) : undefined));
  });
  return probing;
}

/** The target version: explicit choice, else the installed lighttpd, else Debian 12's 1.4.69. */
export function resolveTargetVersion(explicit?: string): { version: string; source: "option" | "installed" | "default" } {
  if (explicit) return { version: explicit, source: "option" };
  const installed = detectInstalledVersion();
  if (installed) return { version: installed, source: "installed" };
  return { version: FALLBACK_VERSION, source: "default" };
}
