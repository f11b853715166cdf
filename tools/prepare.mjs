#!/usr/bin/env node
/**
 * `prepare`: builds dist/ when the package is installed from git (`npm install -g git+…`, pre-commit).
 * npm prepares a git dependency by running `npm install` in a clone and then this script; under
 * `npm install -g` that nested install inherits npm_config_global=true and installs nothing into the
 * clone, so the build tools (devDependencies) are missing ("tsc: not found"). Install them locally first.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.env.npm_execpath; // the npm that runs us, never one found on PATH
if (!npm) {
  console.error("tools/prepare.mjs: run it through npm (npm install / npm run prepare)");
  process.exit(1);
}
// The outer install's global-only settings must not reach the local one (npm refuses
// --allow-scripts in a project-scoped install).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|allow_scripts|prefix)$/i.test(k)));
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!fs.existsSync(path.join(root, "node_modules/typescript")) ) {
  run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--include=dev"]);
}
run([npm, "run", "--silent", "build"]);
