#!/usr/bin/env node
import fs from "node:fs";

// The bundle (npm run build) starts faster; use it unless the compiled sources are newer (a dev build).
const mtime = (rel) => {
  try {
    return fs.statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
await import(mtime("../dist/bundle/standalone.js") >= mtime("../dist/src/cli/standalone.js") ? "../dist/bundle/standalone.js" : "../dist/src/cli/standalone.js");
