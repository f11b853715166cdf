#!/usr/bin/env node
import fs from "node:fs";

// A closed pipe (`lighttpd-lint ... | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// The bundle (npm run build) starts faster; use it unless the compiled sources are newer (a dev build).
const mtime = (rel) => {
  try {
    return fs.statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const entry = mtime("../dist/bundle/main.js") >= mtime("../dist/src/cli/main.js") ? "../dist/bundle/main.js" : "../dist/src/cli/main.js";
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
