#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/src, from tsc) with every runtime dependency, so the package has
 * no dependencies of its own to install (and none to warn about the Node version):
 * - dist/bundle/: standalone.js (the CLI) + lint-worker.js sharing chunks (what the npm package runs);
 * - dist/lighttpd-lint.mjs: one file that runs with plain `node` and no node_modules, for servers
 *   (it lints in-process: no worker file beside it).
 * Both target the lowest Node the package claims (package.json "engines").
 */
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const minNode = /(\d+(?:\.\d+)*)/.exec(pkg.engines.node)[1];

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: `node${minNode}`,
  logLevel: "warning",
  // jsonc-parser's "main" is a UMD build esbuild cannot follow: take its ES module build.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __lighttpdLintRequire } from 'node:module'; const require = __lighttpdLintRequire(import.meta.url);" },
  define: { LIGHTTPD_LINT_PACKAGE: JSON.stringify({ version: pkg.version, homepage: pkg.homepage.replace(/#.*$/, "") }) },
};

fs.rmSync(path.join(root, "dist/bundle"), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(root, "dist/src/cli/standalone.js"), path.join(root, "dist/src/cli/lint-worker.js")],
  splitting: true,
  outdir: path.join(root, "dist/bundle"),
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
});
await build({
  ...common,
  entryPoints: [path.join(root, "dist/src/cli/standalone.js")],
  outfile: path.join(root, "dist/lighttpd-lint.mjs"),
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
fs.chmodSync(path.join(root, "dist/lighttpd-lint.mjs"), 0o755);
