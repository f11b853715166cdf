/**
 * The npm package's entry: bin/lighttpd-lint.js requires this, bundled as dist/bundle/start.cjs, and
 * it runs the CLI bundle through V8's code cache (cli-bundle.ts), one per command, which a run
 * saves for the next (run-process.ts worthCaching). `LIGHTTPD_LINT_DEBUG=1` says whether the cache was used.
 */
import { loadCliBundle } from "./cli-bundle.js";
import { commandOf } from "./subcommands.js";
import { tuneForLargeInput, wantsLargeInputTuning } from "./v8-tuning.js";

const argv = process.argv.slice(2);
// V8's flags for a large input are set before the bundle is compiled, so that its code is cached
// under them (V8 refuses code cached under other flags): such runs keep a cache of their own.
const tuned = wantsLargeInputTuning(argv) && tuneForLargeInput();
const loaded = loadCliBundle(commandOf(argv) + (tuned ? "-tuned" : ""));

void loaded.cli.runProcess(argv, { tuneV8: false }).then((code) => {
  process.exitCode = code;
  const saved = loaded.cli.worthCaching(argv) && loaded.save();
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: code cache ${loaded.status}${saved ? `, ${saved}` : ""}\n`);
});
