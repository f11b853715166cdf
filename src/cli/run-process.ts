/**
 * What a lighttpd-lint process runs: the command line (main.ts) with the process's own set-up. The
 * entry of both bundles: start.ts runs it from dist/bundle/cli.cjs, standalone.ts from the rest.
 */
import { main } from "./main.js";
import { fastParse } from "./options.js";
import { commandOf } from "./subcommands.js";
import { tuneForLargeInput, wantsLargeInputTuning } from "./v8-tuning.js";

/** For the package's worker threads (start-worker.ts), which run this bundle too. */
export { serveLintJobs } from "./lint-job.js";

/** `tuneV8: false`: the caller has tuned V8 for this command line already (start.ts, before compiling this bundle). */
export async function runProcess(argv: string[], options: { tuneV8?: boolean } = {}): Promise<number> {
  if (options.tuneV8 !== false && wantsLargeInputTuning(argv)) tuneForLargeInput();

  // A closed pipe (`lighttpd-lint ... | head`) is not an error: stop quietly.
  for (const name of ["stdout", "stderr"] as const) {
    whenMade(name, (stream) =>
      stream.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw e;
      }),
    );
  }

  return await main(argv);
}

/**
 * Runs `handle` on process[name] when something first asks for it. Making the stream loads Node's
 * stream and socket code (~3 ms, 4% of a small lint), which a lint or `dump` never needs: they write
 * through stdout.ts.
 */
function whenMade(name: "stdout" | "stderr", handle: (stream: NodeJS.WriteStream) => void): void {
  const made = Object.getOwnPropertyDescriptor(process, name);
  if (!made?.get || !made.configurable) {
    handle(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: made.enumerable,
    get() {
      Object.defineProperty(process, name, made); // Node's getter keeps the stream it makes
      const stream = made.get!.call(process) as NodeJS.WriteStream;
      handle(stream);
      return stream;
    },
  });
}

/**
 * Whether the code V8 compiled in this run is worth keeping for the next run of its command
 * (subcommands.ts commandOf, code-cache.ts; start.ts, which tunes V8 before it compiles this bundle,
 * so the flags are those the code will be cached under): for "lint" only after a plain lint (not
 * `--version` or `--help`, whose code would be all the cache held for the lints after them); never
 * for the language server, which runs until its editor goes.
 */
export function worthCaching(argv: string[]): boolean {
  const command = commandOf(argv);
  return command === "lint" ? fastParse(argv)?.kind === "lint" : command !== "lsp";
}
