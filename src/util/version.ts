/** lighttpd versions ("1.4.69") and the language features that depend on them. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export const FALLBACK_VERSION = "1.4.69";

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
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
  /** 1.4.74: `if` before `$` is dropped; `elif`/`elsif`/`elseif` mean `else`. */
  elseIfSpellings: boolean;
  /** 1.4.74: two strings in a row are a tokenizer error. */
  stringAfterStringError: boolean;
  /** 1.4.77: a string or key right after a key is a tokenizer error. */
  keySanityErrors: boolean;
}

export function languageFeatures(version: string): LanguageFeatures {
  return {
    elseIfSpellings: atLeast(version, "1.4.74"),
    stringAfterStringError: atLeast(version, "1.4.74"),
    keySanityErrors: atLeast(version, "1.4.77"),
  };
}

let detected: string | undefined | null = null;

/**
 * Where lighttpd-lint looks for an installed lighttpd, in this order: absolute paths only. PATH and
 * the working directory are never searched: under `npx`/`npm exec` a repository's own
 * `node_modules/.bin` comes first on PATH, so a pull request could ship a "lighttpd" that the CI job
 * would run. See docs/ci.md (trust model).
 */
export const LIGHTTPD_BINARIES = ["/usr/sbin/lighttpd", "/usr/local/sbin/lighttpd", "/usr/bin/lighttpd", "/usr/local/bin/lighttpd", "/sbin/lighttpd", "/opt/homebrew/sbin/lighttpd", "/opt/homebrew/bin/lighttpd"];

/** The first well-known lighttpd that is a regular, executable file no other user can replace. */
export function installedBinary(candidates: readonly string[] = LIGHTTPD_BINARIES): string | undefined {
  for (const file of candidates) {
    try {
      const st = fs.statSync(file);
      if (st.isFile() && (st.mode & 0o111) !== 0 && (st.mode & 0o002) === 0) return file;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** What `<absolute path>/lighttpd -v` reports, for the first of LIGHTTPD_BINARIES; else undefined. Cached: it costs a process start. */
export function detectInstalledVersion(): string | undefined {
  if (detected !== null) return detected;
  detected = undefined;
  const binary = installedBinary();
  if (!binary) return detected;
  try {
    const out = execFileSync(binary, ["-v"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2000, cwd: "/", env: {} });
    detected = /lighttpd\/(\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    detected = undefined;
  }
  return detected;
}

/** The target version: explicit choice, else the installed lighttpd, else Debian 12's 1.4.69. */
export function resolveTargetVersion(explicit?: string): { version: string; source: "option" | "installed" | "default" } {
  if (explicit) return { version: explicit, source: "option" };
  const installed = detectInstalledVersion();
  if (installed) return { version: installed, source: "installed" };
  return { version: FALLBACK_VERSION, source: "default" };
}
