#!/usr/bin/env node
import fs from "node:fs";
import module from "node:module";

// Node >= 22.1 keeps V8's compiled code of the modules loaded below on disk (os.tmpdir()/node-compile-cache,
// or $NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a second run skips compiling them.
// Older Node has no such function: nothing happens. It never throws: a cache it cannot use is ignored.
module.enableCompileCache?.();

// The bundle (npm run build) starts faster; use it unless the compiled sources are newer (a dev build).
const mtime = (rel) => {
  try {
    return fs.statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
await import(mtime("../dist/bundle/standalone.js") >= mtime("../dist/src/cli/standalone.js") ? "../dist/bundle/standalone.js" : "../dist/src/cli/standalone.js");
