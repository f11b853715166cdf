#!/usr/bin/env node
// A closed pipe (`lighttpd-lint ... | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
