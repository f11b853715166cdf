/**
 * The package's CLI bundle (dist/bundle/cli.cjs, run-process.ts) loaded through V8's code cache
 * (code-cache.ts) in the per-user cache, for its two entries beside it: start.ts (the process) and
 * start-worker.ts (a lint worker thread). `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch for its
 * compile cache) turns the cache off.
 */
import { fileURLToPath } from "node:url";
import { userCacheFile } from "../util/user-cache.js";
import { loadBundle, type LoadedBundle } from "./code-cache.js";
import type * as RunProcess from "./run-process.js";

/** A hash of cli.cjs, set by tools/bundle.mjs: the code cache's key. */
declare const LIGHTTPD_LINT_CLI_HASH: string;

/** `command`: which cache (subcommands.ts commandOf): a worker thread's is "lint". */
export function loadCliBundle(command: string): LoadedBundle & { cli: typeof RunProcess } {
  const dir = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : userCacheFile("code-cache");
  const key = `cli-${LIGHTTPD_LINT_CLI_HASH}-${command}`;
  const loaded = loadBundle(fileURLToPath(new URL("./cli.cjs", import.meta.url)), dir === undefined ? undefined : { dir, key });
  return Object.assign(loaded, { cli: loaded.exports as typeof RunProcess });
}
