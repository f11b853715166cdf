/** The process entry: `bin/lighttpd-lint.js` loads this (bundled or compiled), and so does the single-file bundle. */
import { main } from "./main.js";
import { keepYoungGenerationSmall, wantsSmallYoungGeneration } from "./young-generation.js";

if (wantsSmallYoungGeneration(process.argv.slice(2))) keepYoungGenerationSmall();

// A closed pipe (`lighttpd-lint ... | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
