#!/usr/bin/env node
// CommonJS (bin/package.json): Node then starts without its ES module loader, a few ms of every run.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const mtime = (rel) => {
  try {
    return fs.statSync(path.join(__dirname, rel)).mtimeMs;
  } catch {
    return -1;
  }
};
// The bundle (npm run build) starts faster; use it unless the compiled sources are newer (a dev build).
if (mtime("../dist/bundle/start.cjs") >= mtime("../dist/src/cli/standalone.js")) require("../dist/bundle/start.cjs");
else void import("../dist/src/cli/standalone.js");
