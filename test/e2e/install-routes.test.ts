/**
 * Every install route the docs promise, tried as a new user would (slow tier, run by .ci/run):
 * the packed tarball installed into a temp prefix (on this Node and on Debian 12's own Node 18.20,
 * the lowest `engines` claims), the single-file bundle on its own, `npm install -g git+file://…`,
 * pre-commit (Debian's 3.0.4) installing both hooks with `try-repo`, and the GitHub Action's steps
 * installing the tarball (and failing as "could not install" when it cannot).
 *
 * Needs: npm (the registry for the git route's build tools), git, pre-commit, and
 * tools/debian-node.sh's Node 18. Each missing one skips its test with the reason, or fails under
 * REQUIRE_LIGHTTPD=1 (CI installs them all).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "../helpers/action.js";
import { repoRoot } from "../helpers/lighttpd.js";

const required = process.env.REQUIRE_LIGHTTPD === "1";
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; engines: { node: string }; dependencies?: object };
const work = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-install-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { cwd: opts.cwd ?? work, env: { ...process.env, ...opts.env }, input: opts.input ?? "", encoding: "utf8", timeout: 600_000 });

/** `it` that needs a tool: skipped with the reason when it is missing, failing in CI. */
function itNeeds(what: string, available: boolean, name: string, body: () => void | Promise<void>, timeout = 600_000): void {
  if (available) it(name, body, timeout);
  else if (required) it(name, () => expect.fail(`${what} is missing but REQUIRE_LIGHTTPD=1 (.ci/run installs it)`));
  else it.skip(`${name} [skipped: ${what} not found]`, body);
}

const npmCli = path.join(path.dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");
const npm = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => run(process.execPath, [npmCli, ...args], opts);
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).status === 0;
const node18 = path.join(process.env.LIGHTTPD_LINT_CACHE ?? path.join(os.homedir(), ".cache/lighttpd-lint"), "debian-node/node");
const hasNode18 = fs.existsSync(node18) && has(node18, ["--version"]);
const hasPreCommit = has("pre-commit", ["--version"]);
const hasGit = has("git", ["--version"]);

const broken = path.join(repoRoot, "examples/broken-fastcgi.conf");
let tarball = "";

beforeAll(() => {
  // What pre-commit and every user does: `npm pack` in a checkout. stdout must be only the tarball
  // name (pre-commit 3.0.4 reads it as such), so `prepare`'s banner must not reach it (.npmrc).
  const r = npm(["pack", "--pack-destination", work], { cwd: repoRoot });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toMatch(/^lighttpd-lint-[\d.]+\.tgz$/);
  tarball = path.join(work, r.stdout.trim());
}, 600_000);

/** Lints the broken example, prints the version and answers an LSP initialize, with `node` running `script`. */
async function checkInstalled(nodeBin: string, script: string): Promise<void> {
  const version = run(nodeBin, [script, "--version"]);
  expect(version.stdout.trim(), version.stderr).toBe(pkg.version);
  const lint = run(nodeBin, [script, "--format", "compact", broken]);
  expect(lint.status, lint.stderr).toBe(1);
  expect(lint.stdout).toContain("[missing-comma]");
  const explain = run(nodeBin, [script, "explain", "missing-comma"]);
  expect(explain.status).toBe(0);
  expect(explain.stdout).toMatch(/^# missing-comma/);
  // The language server: one initialize request over stdio, answered with the server's capabilities.
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
  const child = spawn(nodeBin, [script, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  const answer = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no initialize answer; got ${out}`)), 30_000);
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (/"capabilities"/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  child.kill();
  expect(answer).toContain('"id":1');
  expect(answer).toContain("textDocumentSync");
}

describe("the npm package", () => {
  it("holds only what runs: the bundles, bin and docs; no dependencies to install", () => {
    const list = run("tar", ["tzf", tarball]).stdout.split("\n").filter(Boolean);
    expect(list).toContain("package/bin/lighttpd-lint.js");
    // bin/package.json makes the bin CommonJS (it starts without Node's ES module loader)
    expect(list).toContain("package/bin/package.json");
    expect(list).toContain("package/dist/bundle/start.cjs");
    expect(list).toContain("package/dist/bundle/cli.cjs");
    expect(list).toContain("package/dist/bundle/lint-worker.js");
    expect(list).toContain("package/dist/lighttpd-lint.mjs");
    expect(list).toContain("package/docs/rules/missing-comma.md");
    expect(list).toContain("package/LICENSE");
    expect(list).toContain("package/CHANGELOG.md");
    expect(list.filter((f) => /^package\/(dist\/src|src|test|tools|rules|grammar|fixtures)\//.test(f))).toEqual([]);
    const packed = JSON.parse(run("tar", ["xzOf", tarball, "package/package.json"]).stdout) as typeof pkg;
    expect(packed.dependencies ?? {}).toEqual({});
  });

  it("installs into a fresh prefix without warnings or network, and runs: lint, explain, lsp", async () => {
    const prefix = path.join(work, "prefix");
    const r = npm(["install", "--global", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/EBADENGINE|deprecated/);
    await checkInstalled(process.execPath, path.join(prefix, "bin/lighttpd-lint"));
  });

  itNeeds(`Debian 12's Node 18 (bash tools/debian-node.sh)`, hasNode18, `runs on the lowest Node it claims (${pkg.engines.node}: Debian 12's own nodejs)`, async () => {
    const prefix = path.join(work, "prefix18");
    expect(npm(["install", "--global", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball]).status).toBe(0);
    expect(run(node18, ["--version"]).stdout.trim()).toMatch(/^v18\.20\./);
    await checkInstalled(node18, path.join(prefix, "lib/node_modules/lighttpd-lint/bin/lighttpd-lint.js"));
  });

  it("ships a single-file bundle that runs with plain node and nothing beside it", async () => {
    const dir = path.join(work, "single");
    fs.mkdirSync(dir);
    expect(run("tar", ["xzf", tarball, "-C", dir, "--strip-components=2", "package/dist/lighttpd-lint.mjs"]).status).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(["lighttpd-lint.mjs"]);
    const file = path.join(dir, "lighttpd-lint.mjs");
    await checkInstalled(process.execPath, file);
    if (hasNode18) await checkInstalled(node18, file);
    // Without docs/ beside it, explain still answers: the description and where the page is.
    expect(run(process.execPath, [file, "explain", "missing-comma"]).stdout).toMatch(/docs\/rules\/missing-comma\.md/);
  });
});

/** A clone of this checkout's HEAD: what a git install or pre-commit fetches. */
function cloneHead(): string {
  const dir = path.join(work, `clone-${Math.random().toString(36).slice(2)}`);
  const r = run("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, dir]);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe("installing from git", () => {
  // npm runs a git dependency's `prepare` (our build) only when allowed: npm >= 11.19 blocks
  // dependency scripts unless package.json's allowScripts (or --allow-scripts) names the source.
  itNeeds("git", hasGit, "npm install git+file://<clone> builds and installs a working command", async () => {
    const clone = cloneHead();
    const project = path.join(work, "git-project");
    fs.mkdirSync(project);
    const spec = `git+file://${clone}`;
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "uses-lighttpd-lint", version: "1.0.0", private: true, allowScripts: { [spec]: true } }));
    const r = npm(["install", "--prefer-offline", "--no-audit", "--no-fund", spec], { cwd: project });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    await checkInstalled(process.execPath, path.join(project, "node_modules/.bin/lighttpd-lint"));
  });
});

describe("pre-commit", () => {
  itNeeds("pre-commit (apt-get install pre-commit)", hasPreCommit && hasGit, "installs both hooks from the repository with the system node and runs them", () => {
    const clone = cloneHead();
    const rev = run("git", ["rev-parse", "HEAD"], { cwd: clone }).stdout.trim();
    const project = path.join(work, "project");
    fs.mkdirSync(project);
    const env = { PRE_COMMIT_HOME: path.join(work, "pre-commit-home"), GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
    run("git", ["init", "--quiet", project]);
    // What a user writes, with the repository's address and a commit; both hooks share one environment.
    fs.writeFileSync(
      path.join(project, ".pre-commit-config.yaml"),
      `repos:\n  - repo: ${clone}\n    rev: ${rev}\n    hooks:\n      - id: lighttpd-lint\n      - id: lighttpd-lint-fix\n        stages: [manual]\n`,
    );
    fs.copyFileSync(broken, path.join(project, "lighttpd.conf"));
    fs.copyFileSync(path.join(repoRoot, "examples/good.conf"), path.join(project, "lighttpd-good.conf"));
    run("git", ["add", "."], { cwd: project });

    const install = run("pre-commit", ["install-hooks"], { cwd: project, env });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const lint = run("pre-commit", ["run", "lighttpd-lint", "--all-files"], { cwd: project, env });
    expect(lint.status, lint.stdout + lint.stderr).toBe(1);
    expect(lint.stdout).toMatch(/lighttpd-lint\.+Failed/);
    expect(lint.stdout).toContain("missing-comma");
    const good = run("pre-commit", ["run", "lighttpd-lint", "--files", "lighttpd-good.conf"], { cwd: project, env });
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/lighttpd-lint\.+Passed/);

    const before = fs.readFileSync(path.join(project, "lighttpd.conf"), "utf8");
    const fix = run("pre-commit", ["run", "--hook-stage", "manual", "lighttpd-lint-fix", "--files", "lighttpd.conf"], { cwd: project, env });
    expect(fix.stdout, fix.stderr).toMatch(/lighttpd-lint \(apply safe fixes\)\.+Failed/);
    expect(fix.stdout).toContain("files were modified by this hook");
    expect(fs.readFileSync(path.join(project, "lighttpd.conf"), "utf8")).not.toBe(before);
  });
});

describe("the GitHub Action, installing for real", () => {
  it("installs the package into its cache folder, then lints", () => {
    const cwd = path.join(work, "action");
    const runnerTemp = path.join(work, "action-temp");
    fs.mkdirSync(cwd);
    fs.mkdirSync(runnerTemp);
    fs.copyFileSync(broken, path.join(cwd, "broken.conf"));
    const r = runAction(
      { paths: "broken.conf", upload: "false" },
      { cwd, runnerTemp, actionRef: `v${pkg.version}`, env: { LIGHTTPD_LINT_PACKAGE: tarball, npm_config_offline: "true" } },
    );
    expect(r.outputs.install.bin, r.log).toBe(path.join(runnerTemp, "lighttpd-lint-install", pkg.version, "bin/lighttpd-lint"));
    expect(r.outputs.lint["exit-code"]).toBe("1");
    expect(r.log).toMatch(/^::error file=broken\.conf,/m);
  });

  it("fails as 'could not be installed', not as findings, when the install fails", () => {
    const cwd = path.join(work, "action-fail");
    const runnerTemp = path.join(work, "action-fail-temp");
    fs.mkdirSync(cwd);
    fs.mkdirSync(runnerTemp);
    const r = runAction(
      { paths: "lighttpd.conf" },
      { cwd, runnerTemp, actionRef: "v9.9.9", env: { LIGHTTPD_LINT_PACKAGE: path.join(work, "no-such-package.tgz"), npm_config_offline: "true" } },
    );
    expect(r.failedStep).toBe("install");
    expect(r.status).toBe(3);
    expect(r.log).toContain("::error title=lighttpd-lint could not be installed::");
    expect(r.outputs.lint).toBeUndefined();
    expect(r.used.map((u) => u.uses)).not.toContain("github/codeql-action/upload-sarif@v3");
  });
});
