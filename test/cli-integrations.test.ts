/**
 * The CI integrations, fast tier: .pre-commit-hooks.yaml's commands run through the real binary, and
 * the GitHub Action's bash steps run as written (test/helpers/action.ts) with its install cache
 * already filled by this checkout's build. test/e2e/install-routes.test.ts installs for real.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bin, ensureBuilt, repoRoot, runCli, tempDir } from "./cli-helpers.js";
import { action, runAction } from "./helpers/action.js";

beforeAll(ensureBuilt);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string> };

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(fs.readFileSync(path.join(repoRoot, ".pre-commit-hooks.yaml"), "utf8")) as Record<string, string>[];

  it("declares node hooks whose entry is this package's command", () => {
    expect(hooks.map((h) => h.id)).toEqual(["lighttpd-lint", "lighttpd-lint-fix"]);
    for (const h of hooks) {
      expect(h).toMatchObject({ language: "node", types: ["text"] });
      expect(typeof h.name).toBe("string");
      expect(Object.keys(pkg.bin)).toContain(String(h.entry).split(" ")[0]);
    }
  });

  it("selects lighttpd configs by name", () => {
    for (const h of hooks) {
      const re = new RegExp(String(h.files));
      for (const yes of ["lighttpd.conf", "etc/lighttpd/lighttpd.conf", "conf/lighttpd-prod.conf"]) expect(re.test(yes), yes).toBe(true);
      for (const no of ["nginx.conf", "lighttpd.conf.bak", "lighttpd/conf.d/fastcgi.conf.orig"]) expect(re.test(no), no).toBe(false);
    }
  });

  it("each hook's command works as pre-commit runs it (entry + file names)", () => {
    const d = tempDir({
      "lighttpd.conf": 'server.document-root = "/tmp"\nserver.username = "www-data"\nserver.groupname = "www-data"\nserver.modules = ( "mod_access" "mod_alias" )\n',
    });
    dirs.push(d);
    const lint = hooks.find((h) => h.id === "lighttpd-lint")!;
    expect(runCli([...String(lint.entry).split(" ").slice(1), "lighttpd.conf"], { cwd: d }).status).toBe(1);
    const fix = hooks.find((h) => h.id === "lighttpd-lint-fix")!;
    expect(runCli([...String(fix.entry).split(" ").slice(1), "lighttpd.conf"], { cwd: d }).status).toBe(0);
    expect(fs.readFileSync(path.join(d, "lighttpd.conf"), "utf8")).toContain('( "mod_access", "mod_alias" )');
  });
});

describe("action.yml", () => {
  const steps = action.runs.steps;

  it("is a composite action: resolve the version, install (cached), lint, annotate, upload", () => {
    expect(action.runs.using).toBe("composite");
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(["actions/setup-node@v4", "actions/cache@v4", "github/codeql-action/upload-sarif@v3"]);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node"))!.if).toMatch(/inputs\.node-version != ''/);
    const lint = steps.find((s) => s.id === "lint")!;
    expect(lint.run).toContain("--format sarif");
    expect(lint.run).toContain("--format github");
    expect(steps.find((s) => s.id === "install")!.run).not.toMatch(/latest|npx/);
  });

  it("uses only inputs it declares", () => {
    const used = new Set([...fs.readFileSync(path.join(repoRoot, "action.yml"), "utf8").matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]));
    expect([...used].filter((u) => !(u in action.inputs))).toEqual([]);
  });

  /** A runner temp dir whose install cache already holds lighttpd-lint VERSION (this checkout's build). */
  function cachedRunner(version: string): { cwd: string; runnerTemp: string } {
    const cwd = tempDir({});
    const runnerTemp = tempDir({});
    dirs.push(cwd, runnerTemp);
    const binDir = path.join(runnerTemp, "lighttpd-lint-install", version, "bin");
    fs.mkdirSync(binDir, { recursive: true });
    fs.writeFileSync(path.join(binDir, "lighttpd-lint"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"\n`, { mode: 0o755 });
    fs.copyFileSync(path.join(repoRoot, "examples/broken-fastcgi.conf"), path.join(cwd, "broken.conf"));
    fs.copyFileSync(path.join(repoRoot, "examples/good.conf"), path.join(cwd, "good.conf"));
    return { cwd, runnerTemp };
  }

  it("installs the version named by its own tag (v1 -> 1, v1.2.3 -> 1.2.3) and refuses to guess on a branch", () => {
    const { cwd, runnerTemp } = cachedRunner("1.2.3");
    const tagged = runAction({ paths: "good.conf", upload: "false" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(tagged.outputs.version.version).toBe("1.2.3");
    expect(tagged.used.find((u) => u.uses.startsWith("actions/cache"))!.with.key).toBe("lighttpd-lint-Linux-1.2.3");
    expect(runAction({ paths: "good.conf" }, { cwd, runnerTemp, actionRef: "v1" }).outputs.version.version).toBe("1");
    const branch = runAction({ paths: "good.conf" }, { cwd, runnerTemp, actionRef: "main" });
    expect(branch.failedStep).toBe("version");
    expect(branch.log).toContain("set the 'version' input");
    expect(runAction({ paths: "good.conf", version: "1.2.3", upload: "false" }, { cwd, runnerTemp, actionRef: "main" }).status).toBe(0);
  });

  it("leaves the caller's Node alone unless node-version is given", () => {
    const { cwd, runnerTemp } = cachedRunner("1.2.3");
    expect(runAction({ paths: "good.conf" }, { cwd, runnerTemp, actionRef: "v1.2.3" }).used.map((u) => u.uses)).not.toContain("actions/setup-node@v4");
    const withNode = runAction({ paths: "good.conf", "node-version": "22" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(withNode.used.find((u) => u.uses === "actions/setup-node@v4")!.with["node-version"]).toBe("22");
  });

  it("writes SARIF, prints the findings as annotations, uploads with its category and fails on findings", () => {
    const { cwd, runnerTemp } = cachedRunner("1.2.3");
    const broken = runAction({ paths: "broken.conf", args: "--lighttpd-version 1.4.69", category: "web-configs" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(broken.outputs.lint["exit-code"]).toBe("1");
    expect(broken.failedStep).toBe("Fail on findings");
    expect(broken.log).toMatch(/^::error file=broken\.conf,line=9,/m);
    const sarif = JSON.parse(fs.readFileSync(path.join(cwd, "lighttpd-lint.sarif"), "utf8"));
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect(broken.used.find((u) => u.uses.startsWith("github/codeql-action/upload-sarif"))!.with).toEqual({ sarif_file: "lighttpd-lint.sarif", category: "web-configs" });

    const quiet = runAction({ paths: "broken.conf", annotations: "false", "fail-on-findings": "false", upload: "false" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(quiet.status).toBe(0);
    expect(quiet.log).not.toMatch(/^::error file=/m);
    expect(quiet.used.map((u) => u.uses)).not.toContain("github/codeql-action/upload-sarif@v3");

    const good = runAction({ paths: "good.conf", "sarif-file": "out.sarif" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(good.status).toBe(0);
    expect(good.outputs.lint["exit-code"]).toBe("0");
  });

  it("fails as 'could not run' (exit 2), not as findings, and skips the upload", () => {
    const { cwd, runnerTemp } = cachedRunner("1.2.3");
    const r = runAction({ paths: "missing.conf" }, { cwd, runnerTemp, actionRef: "v1.2.3" });
    expect(r.failedStep).toBe("lint");
    expect(r.status).toBe(2);
    expect(r.log).toContain("::error title=lighttpd-lint::lighttpd-lint could not run");
    expect(r.used.map((u) => u.uses)).not.toContain("github/codeql-action/upload-sarif@v3");
  });
});
