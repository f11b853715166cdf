/**
 * What a lighttpd-lint process runs: the command line (main.ts) with the process's own set-up. The
 * entry of both bundles: start.ts runs it from dist/bundle/cli.cjs, standalone.ts from the rest.
 */
import { main } from "./main.js";
export { serveLintJobs } from "./lint-job.js";
import { fastParse } from "./options.js";
import { tuneForLargeInput, wantsLargeInputTuning } from "./v8-tuning.js";

let changedV8Flags = false;

export async function runProcess(argv: string[]): Promise<number> {
  if (wantsLargeInputTuning(argv)) changedV8Flags = tuneForLargeInput();

  // A closed pipe (`lighttpd-lint ... | head`) is not an error: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }

  return await main(argv);
}

/**
 * Whether the code V8 compiled in this run is worth keeping for the next (code-cache.ts): after a
 * plain lint or dump (what editors, hooks and CI start again and again), so the cache holds the code
 * they run, and only if no V8 flag was changed, as V8 refuses code cached under other flags.
 */
export function worthCaching(argv: string[]): boolean {
  const kind = fastParse(argv)?.kind;
  return !changedV8Flags && (kind === "lint" || kind === "dump");
}
