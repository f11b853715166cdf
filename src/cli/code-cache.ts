/**
 * Runs a CommonJS bundle the way Node's `require` would, but through V8's code cache: the bytecode
 * V8 compiled in an earlier run is handed back (vm.Script `cachedData`), so this run skips most of
 * compiling ~2 MB of JavaScript, the largest part of a small lint's start-up. Node ≥ 22.1 has such a
 * cache of its own (module.enableCompileCache), Node 18 and 20 do not; this works on all of them.
 *
 * The cache is a file in a folder of the per-user cache (user-cache.ts), one per key (the caller's:
 * bundle and command) and Node, so two installed versions used in turn do not overwrite each
 * other's; saving one leaves the newest few others. Its first line names what it was made from: the
 * key (with a hash of the bundle's content, fixed at build time), the source's length, the Node
 * version and the architecture; any difference and it is not used. V8 checks on its own that the
 * data fits its version and flags (`cachedDataRejected`), but it cannot tell a changed source of the
 * same length: that is what the hash is for.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { readUserCache, writeUserCache } from "../util/user-cache.js";

/**
 * off: no cache asked for; absent: no file; seen: a file that only marks an earlier run; stale: one
 * made from another source; rejected: V8 refused its data; accepted: used.
 */
export type CodeCacheStatus = "off" | "absent" | "seen" | "stale" | "rejected" | "accepted";

export interface LoadedBundle {
  readonly exports: Record<string, unknown>;
  readonly status: CodeCacheStatus;
  /**
   * After the work (a function that ran is in the data): where there was no file, "marked" (only the
   * first line is written); after an earlier run, "saved" (V8's code as compiled so far); else false.
   * Making the data costs about a tenth of a small run, which a machine that runs lighttpd-lint once
   * (a CI job) would pay for nothing: the code is kept from the second run on.
   */
  save(): "marked" | "saved" | false;
}

const MAGIC = "lighttpd-lint code cache";
/** Far more than V8 makes of the CLI (about 1 MB); a larger file is not read. */
const MAX_CACHE_BYTES = 64 << 20;

/** Cache files kept beside the one saved (other commands, bundles or Node versions: a few commands of two installs). */
const KEEP_OTHERS = 7;

/** The first line of a cache file for this source, key and Node. */
export const cacheHeader = (key: string, sourceLength: number): string => `${MAGIC} ${key} ${process.version} ${process.arch} ${sourceLength}\n`;

/** The cache file of a bundle (its key: letters, digits, '-' and '.') on this Node, in `dir`. */
export const cacheFileIn = (dir: string, key: string): string => path.join(dir, `${key}-node${process.version.replace(/^v/, "")}-${process.arch}.bin`);

/**
 * Loads `file` as CommonJS (module, exports, require, __filename, __dirname, as Node's loader gives
 * them) with its code cache in `cache.dir` when there is one. The bundle must not use `import()`:
 * a vm.Script has no module loader for it (tools/bundle.mjs checks).
 */
export function loadBundle(file: string, cache?: { dir: string; key: string }): LoadedBundle {
  // latin1: esbuild writes ASCII only (tools/bundle.mjs checks), and this makes V8's one-byte string without decoding.
  const source = fs.readFileSync(file, "latin1");
  const header = cache ? cacheHeader(cache.key, source.length) : "";
  const cacheFile = cache ? cacheFileIn(cache.dir, cache.key) : "";
  let status: CodeCacheStatus = cache ? "absent" : "off";
  let cachedData: Buffer | undefined;
  const stored = cache && readUserCache(cacheFile, MAX_CACHE_BYTES);
  if (stored) {
    const ours = stored.length >= header.length && stored.toString("latin1", 0, header.length) === header;
    if (!ours) status = "stale";
    else if (stored.length === header.length) status = "seen";
    else cachedData = stored.subarray(header.length);
  }
  // The wrapper keeps line numbers as they are in the file (the same as Node's own CommonJS wrapper).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cachedData) status = script.cachedDataRejected ? "rejected" : "accepted";
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (this: unknown, ...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    status,
    save() {
      if (!cache || status === "accepted") return false;
      if (status === "absent") {
        if (!writeUserCache(cacheFile, header)) return false;
        pruneOthers(cacheFile);
        return "marked";
      }
      // The data is made only once the folder is known to be writable: it costs about as much as compiling did.
      if (!writeUserCache(cacheFile, () => Buffer.concat([Buffer.from(header, "latin1"), script.createCachedData()]))) return false;
      pruneOthers(cacheFile);
      return "saved";
    },
  };
}

/** Removes all but the newest KEEP_OTHERS files beside `kept` (other bundles and Node versions: upgrades leave them). */
function pruneOthers(kept: string): void {
  try {
    const dir = path.dirname(kept);
    const others = fs
      .readdirSync(dir)
      .map((name) => path.join(dir, name))
      .filter((f) => f !== kept && f.endsWith(".bin"))
      .map((f) => ({ f, t: fs.lstatSync(f).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of others.slice(KEEP_OTHERS)) fs.rmSync(f, { force: true });
  } catch {
    // a cache only: what is left is removed next time
  }
}
