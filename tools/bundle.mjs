#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/src, from tsc) with every runtime dependency, so the package has
 * no dependencies of its own to install (and none to warn about the Node version):
 * - dist/bundle/ (what the npm package runs): cli.cjs, the whole CLI as one CommonJS file (src/cli/run-process.ts),
 *   which start.cjs (src/cli/start.ts, required by bin/lighttpd-lint.js) and lint-worker.js (src/cli/start-worker.ts,
 *   the worker threads' entry) run through V8's code cache (src/cli/code-cache.ts);
 * - dist/lighttpd-lint.mjs: one file that runs with plain `node` and no node_modules, for servers
 *   (it lints in-process: no worker file beside it).
 * All target the lowest Node the package claims (package.json "engines").
 */
import { build } from "esbuild";
import crypto from "node:crypto";
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const minNode = /(\d+(?:\.\d+)*)/.exec(pkg.engines.node)[1];
const out = (rel) => path.join(root, rel);
const compiled = (rel) => path.join(root, "dist/src", rel);

/**
 * chalk guesses at import whether stdout and stderr are terminals (its vendored supports-color calls
 * `tty.isatty`), which loads Node's tty, net and stream modules (~2 ms and 23 modules of a small
 * lint that writes through fs). The CLI decides colour itself (src/cli/run-lint.ts colorEnabled) and
 * gives stylish.ts a `new Chalk({ level })`: the guess is replaced by "no colour" for chalk's default
 * instance, which nothing here uses.
 */
const chalkWithoutGuess = {
  name: "chalk-without-guess",
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) => (/[\\/]chalk[\\/]/.test(args.importer) ? { path: "supports-color", namespace: "chalk-without-guess" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "chalk-without-guess" }, () => ({ contents: "export default { stdout: false, stderr: false };", loader: "js" }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: `node${minNode}`,
  logLevel: "warning",
  // jsonc-parser's "main" is a UMD build esbuild cannot follow: take its ES module build.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  define: { LIGHTTPD_LINT_PACKAGE: JSON.stringify({ version: pkg.version, homepage: pkg.homepage.replace(/#.*$/, "") }) },
  plugins: [chalkWithoutGuess],
};
// Some dependencies are CommonJS and call require(): give an ES module bundle one.
const esm = {
  ...common,
  format: "esm",
  banner: { js: "import { createRequire as __lighttpdLintRequire } from 'node:module'; const require = __lighttpdLintRequire(import.meta.url);" },
};
/**
 * In a CommonJS bundle esbuild gives every `import fs from "node:fs"` its own copy of the module's
 * properties (`__toESM`, a getter per export: 66 imports, ~3 ms of a small lint's start). Routed
 * through one module per built-in (`export * from "node:fs"`), each is copied once.
 */
const builtinsOnce = {
  name: "builtins-once",
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (args.kind !== "import-statement" || args.namespace === "builtin-once" || !builtinModules.includes(name)) return undefined;
      return { path: name, namespace: "builtin-once" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin-once" }, (args) => ({
      contents: `export * from "node:${args.path}"; export { default } from "node:${args.path}";`,
      loader: "js",
    }));
  },
};
// A CommonJS bundle has no import.meta: its file's URL stands in (the sources find files beside themselves with it).
const cjs = {
  ...common,
  format: "cjs",
  define: { ...common.define, "import.meta.url": "__lighttpdLintUrl" },
  banner: { js: '"use strict";\nvar __lighttpdLintUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [...common.plugins, builtinsOnce],
  metafile: true,
};

/**
 * cli.cjs runs as a vm.Script (code-cache.ts), which has no module loader for an `import()` left in
 * the bundle, and is read as latin1, which is right only for ASCII (esbuild's default charset).
 */
function assertRunnableByCodeCache(result) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const left = output.imports.filter((i) => i.kind === "dynamic-import");
    if (left.length) throw new Error(`${file}: import() of ${left.map((i) => i.path).join(", ")} left in a CommonJS bundle; load it with require (src/util/lazy-node.ts)`);
    if (fs.readFileSync(path.resolve(file)).some((byte) => byte > 0x7f)) throw new Error(`${file}: not ASCII (code-cache.ts reads it as latin1)`);
  }
}

fs.rmSync(out("dist/bundle"), { recursive: true, force: true });
assertRunnableByCodeCache(await build({ ...cjs, entryPoints: [compiled("cli/run-process.js")], outfile: out("dist/bundle/cli.cjs") }));
// The two entries that load cli.cjs (src/cli/cli-bundle.ts) know its hash: the code cache's key.
const cliHash = crypto
  .createHash("sha256")
  .update(fs.readFileSync(out("dist/bundle/cli.cjs")))
  .digest("hex")
  .slice(0, 32);
const withCliHash = (options) => ({ ...options, define: { ...options.define, LIGHTTPD_LINT_CLI_HASH: JSON.stringify(cliHash) } });
await build(withCliHash({ ...cjs, entryPoints: [compiled("cli/start.js")], outfile: out("dist/bundle/start.cjs") }));
await build(withCliHash({ ...esm, entryPoints: [compiled("cli/start-worker.js")], outfile: out("dist/bundle/lint-worker.js") }));
await build({
  ...esm,
  entryPoints: [compiled("cli/standalone.js")],
  outfile: out("dist/lighttpd-lint.mjs"),
  banner: { js: `#!/usr/bin/env node\n${esm.banner.js}` },
});
fs.chmodSync(out("dist/lighttpd-lint.mjs"), 0o755);
