/**
 * A lint worker thread's entry in the npm package (dist/bundle/lint-worker.js, started by pool.ts):
 * the CLI bundle's lint code through the code cache the main thread keeps (cli-bundle.ts), so a
 * worker neither compiles it anew nor needs a copy of its own. It never saves the cache.
 */
import { parentPort } from "node:worker_threads";
import { loadCliBundle } from "./cli-bundle.js";

if (parentPort) {
  // The main thread's cache; where it tuned V8 for a large file (flags are the process's), V8 refuses it and the worker compiles.
  const loaded = loadCliBundle("lint");
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: worker code cache ${loaded.status}\n`);
  loaded.cli.serveLintJobs(parentPort);
}
