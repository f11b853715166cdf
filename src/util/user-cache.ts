/**
 * The per-user cache (~/.cache/lighttpd-lint, or $XDG_CACHE_HOME/lighttpd-lint): what lighttpd-lint
 * remembers between runs to start faster (`lighttpd -v`'s answer, V8's compiled code of the CLI).
 * Nothing in it is needed: a missing, unreadable or foreign file is ignored, and so is failing to
 * write one. A file is read only if it is a regular file of this user that no one else may write
 * (the code cache is run as code), and written whole or not at all (a temporary file renamed).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readBounded } from "./read-file.js";

/**
 * Where the cache keeps `name`; undefined without an absolute home folder (never a path relative to
 * where it runs), and when the cache would be inside a git work tree: a CI job that points
 * $XDG_CACHE_HOME into its checkout would otherwise read files a pull request put there, and the code
 * cache is run as code. (A home folder kept in git goes without the cache: slower, nothing else.)
 */
export function userCacheFile(name: string): string | undefined {
  const root = cacheRoot();
  return root === undefined || inGitWorkTree(root) ? undefined : path.join(root, name);
}

function cacheRoot(): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "lighttpd-lint");
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  return path.isAbsolute(home) ? path.join(home, ".cache", "lighttpd-lint") : undefined;
}

/** Whether `dir` or a folder above it holds `.git` (a work tree or a submodule's file). */
function inGitWorkTree(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** Owned by this user and writable by no one else (Windows has neither in its modes: its folder's ACLs decide). */
function trusted(st: fs.Stats): boolean {
  const uid = process.getuid?.();
  return uid === undefined || (st.uid === uid && (st.mode & 0o022) === 0);
}

/** The file's bytes, or undefined when it is missing, not a trusted regular file (nor a link to one), or larger than maxBytes. */
export function readUserCache(file: string, maxBytes: number): Buffer | undefined {
  try {
    return readBounded(file, maxBytes + 1, { noFollow: true, accept: trusted });
  } catch {
    return undefined;
  }
}

/** Makes the file's folder (mode 0700) when missing; whether this user may write into it. */
function writable(file: string): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the file (mode 0600, its folder 0700) through a temporary file; false when it could not.
 * `data` may be a function: called only once the folder is known to be writable (data that costs
 * to make is not made for a home folder that cannot be written).
 */
export function writeUserCache(file: string, data: string | Uint8Array | (() => Uint8Array)): boolean {
  if (!writable(file)) return false;
  // pid and a random part: two processes (in two containers sharing a home folder) never share one.
  const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  try {
    fs.writeFileSync(tmp, typeof data === "function" ? data() : data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // no folder to remove it from
    }
    return false;
  }
}
