/**
 * The npm package's entry: bin/lighttpd-lint.js requires this, bundled as dist/bundle/start.cjs, and
 * it runs the CLI bundle through V8's code cache (cli-bundle.ts), one per command, which a run
 * saves for the next (run-process.ts worthCaching). `LIGHTTPD_LINT_DEBUG=1` says whether the cache was used.
 */
import { loadCliBundle } from "./cli-bundle.js";
import { commandOf } from "./subcommands.js";

const argv = process.argv.slice(2);
const loaded = loadCliBundle(commandOf(argv));

void loaded.cli.runProcess(argv).then((code) => {
  process.exitCode = code;
  const saved = loaded.cli.worthCaching(argv) && loaded.save();
  if (process.env.LIGHTTPD_LINT_DEBUG) process.stderr.write(`lighttpd-lint: code cache ${loaded.status}${saved ? `, ${saved}` : ""}\n`);
});
