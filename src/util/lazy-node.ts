/**
 * Node built-ins that cost start-up time (each loads a dozen internal modules: sockets, streams,
 * ciphers) and that most runs never use, loaded synchronously on first use instead of by an import.
 * (Not `import()`: the CLI bundle runs as a vm.Script, which has no module loader for one; code-cache.ts.)
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/** For include_shell (with --allow-include-shell) and a `lighttpd -v` that is not cached. */
export const childProcess = (): typeof import("node:child_process") => load("node:child_process") as typeof import("node:child_process");

/** For recognising Debian's helper scripts by their SHA-256. */
export const crypto = (): typeof import("node:crypto") => load("node:crypto") as typeof import("node:crypto");

/** For linting many files on every core (src/cli/pool.ts). */
export const workerThreads = (): typeof import("node:worker_threads") => load("node:worker_threads") as typeof import("node:worker_threads");

/** For tuning V8 on a large input (src/cli/v8-tuning.ts): it loads the heap utilities and streams with it. */
export const v8 = (): typeof import("node:v8") => load("node:v8") as typeof import("node:v8");
