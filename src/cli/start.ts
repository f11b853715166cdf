/**
 * The npm package's entry: bin/lighttpd-lint.js requires this, bundled as dist/bundle/start.cjs, and
 * it runs the CLI (dist/bundle/cli.cjs, run-process.ts) with V8's code cache (code-cache.ts), kept in
 * the per-user cache. `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch for its compile cache) turns
 * it off; `LIGHTTPD_LINT_DEBUG=1` says whether it was used.
 */
import { fileURLToPath } from "node:url";
import { userCacheFile } from "../util/user-cache.js";
import { loadBundle } from "./code-cache.js";
import type * as RunProcess from "./run-process.js";

/** A hash of cli.cjs, set by tools/bundle.mjs: the code cache's key. */
declare const LIGHTTPD_LINT_CLI_HASH: string;

const argv = process.argv.slice(2);
const dir = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : userCacheFile("code-cache");
const cache = dir === undefined ? undefined : { dir, key: `cli-${LIGHTTPD_LINT_CLI_HASH}` };
const loaded = loadBundle(fileURLToPath(new URL("./cli.cjs", import.meta.url)), cache);
const cli = loaded.exports as typeof RunProcess;

void cli.runProcess(argv).then((code) => {
  process.exitCode = code;
  const saved = cli.worthCaching(argv) && loaded.save();
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: code cache ${loaded.status}${saved ? ", saved" : ""}\n`);
});
