/** The process entry when not run from dist/bundle/cli.cjs (start.ts): the compiled sources and the single-file bundle. */
import { runProcess } from "./run-process.js";

process.exitCode = await runProcess(process.argv.slice(2));
