/**
 * Command-line paths → the main configs to lint.
 *
 * - a file: itself (`-` is standard input, handled by the caller);
 * - a glob (`conf/**\/*.conf`, quoted so the shell leaves it): the files it matches;
 * - a directory with a `lighttpd.conf`: that file only (the rest is what it includes);
 * - any other directory: every `*.conf` directly in it, and, recursively, every `lighttpd.conf`
 *   below it (not what lies under that one's directory: its includes) and every `*.conf` in a
 *   directory whose name contains "lighttpd" (`etc/lighttpd/`, `lighttpd-sites/`). Other `*.conf`
 *   files deeper down are usually other programs' (nginx, apache, supervisor) and are not read.
 *   Hidden directories and node_modules are skipped.
 * `--exclude GLOB` (relative to the working directory, repeatable) drops files, and everything under
 * a directory it names, from all of the above.
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

const LIGHTTPD_DIR = /lighttpd/i;

/** tinyglobby (with picomatch and fdir), loaded only for a glob, an --exclude or a directory without lighttpd.conf: naming a file is the common case, and start-up time counts. */
const glob = () => import("tinyglobby");

export async function expandPaths(paths: string[], exclude: string[] = [], cwd = process.cwd()): Promise<string[]> {
  const excluded = await excludedSet(exclude, cwd);
  const isExcluded = (file: string): boolean => {
    for (let p = path.resolve(cwd, file); ; p = path.dirname(p)) {
      if (excluded.has(p)) return true;
      if (path.dirname(p) === p) return false;
    }
  };
  const files: string[] = [];
  for (const p of paths) {
    let found: string[];
    if (!fs.existsSync(p) && (await glob()).isDynamicPattern(p)) {
      found = (await glob()).globSync([p], { cwd, dot: false, ignore: ["**/node_modules/**"], expandDirectories: false }).sort();
      found = found.filter((f) => !isExcluded(f));
      if (found.length === 0) throw new UsageError(`no file matches ${JSON.stringify(p)}`);
      files.push(...found);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    }
    if (!st.isDirectory()) {
      if (!isExcluded(p)) files.push(p);
      continue;
    }
    found = (await directoryConfigs(p)).filter((f) => !isExcluded(f));
    if (found.length === 0) throw new UsageError(`${p} has no lighttpd.conf and no *.conf files${exclude.length ? " (after --exclude)" : ""}`);
    files.push(...found);
  }
  return files;
}

/** The main configs of a directory (see the top of this file). */
export async function directoryConfigs(dir: string): Promise<string[]> {
  const main = path.join(dir, "lighttpd.conf");
  if (fs.existsSync(main)) return [main];
  // Symlinks are followed (Debian's conf-enabled/ holds symlinks); a loop yields a file twice under
  // two names, so files are kept once per real path, and the depth is bounded.
  const { globSync } = await glob();
  const rel = globSync(["*.conf", "**/lighttpd.conf", "**/*lighttpd*/**/*.conf"], { cwd: dir, dot: false, ignore: ["**/node_modules/**"], caseSensitiveMatch: false, deep: 16 })
    .map((f) => f.split(path.sep).join("/"))
    .sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const unique = rel.filter((f) => {
    let real: string;
    try {
      real = fs.realpathSync(path.join(dir, f));
    } catch {
      return false;
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
  const mainDirs = unique.filter((f) => path.posix.basename(f) === "lighttpd.conf").map((f) => path.posix.dirname(f));
  const under = (f: string, d: string) => d === "." || f.startsWith(d + "/");
  return unique
    .filter((f) => {
      const own = path.posix.dirname(f);
      // Under a directory with its own lighttpd.conf: only that file.
      if (mainDirs.some((d) => under(f, d) && !(own === d && path.posix.basename(f) === "lighttpd.conf"))) return false;
      return own === "." || own.split("/").some((c) => LIGHTTPD_DIR.test(c)) || path.posix.basename(f) === "lighttpd.conf";
    })
    .sort()
    .map((f) => path.join(dir, ...f.split("/")));
}

/** Absolute paths (files and directories) the --exclude globs match. */
async function excludedSet(patterns: string[], cwd: string): Promise<Set<string>> {
  const out = new Set<string>();
  if (patterns.length === 0) return out;
  const { globSync, isDynamicPattern } = await glob();
  for (const p of patterns) {
    if (!isDynamicPattern(p)) {
      out.add(path.resolve(cwd, p));
      continue;
    }
    for (const f of globSync([p], { cwd, dot: true, onlyFiles: false, absolute: true, expandDirectories: false })) out.add(path.resolve(f.replace(/\/$/, "")));
  }
  return out;
}
