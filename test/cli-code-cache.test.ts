/**
 * The packaged CLI (bin/lighttpd-lint.js → dist/bundle/start.cjs → cli.cjs) keeps V8's code in the
 * per-user cache: made by a plain lint, used by every later run, never made under changed V8 flags
 * (V8 would refuse it), and the same output with or without it. `LIGHTTPD_LINT_DEBUG=1` reports it.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { worthCaching } from "../src/cli/run-process.js";
import { LARGE_INPUT_BYTES } from "../src/cli/v8-tuning.js";
import { ensureBuilt, repoRoot, runCli, useTempDirs } from "./cli-helpers.js";

const start = path.join(repoRoot, "dist/bundle/start.cjs");

beforeAll(() => {
  ensureBuilt();
  // The bin runs the bundle only when it is at least as new as the compiled sources (npm test builds both).
  const stat = (f: string) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (stat(start) < stat(path.join(repoRoot, "dist/src/cli/standalone.js"))) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "tools/bundle.mjs")], { cwd: repoRoot, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  }
}, 120_000);

const tempDir = useTempDirs();
const good = path.join(repoRoot, "examples/good.conf");

function lint(args: string[], cacheHome: string, env: NodeJS.ProcessEnv = {}) {
  const r = runCli(args, { env: { XDG_CACHE_HOME: cacheHome, LIGHTTPD_LINT_DEBUG: "1", NODE_DISABLE_COMPILE_CACHE: undefined, ...env } });
  return { ...r, cache: /code cache (\w+)(, marked|, saved)?/.exec(r.stderr)?.slice(1).join("") ?? "" };
}
const cached = (home: string) => fs.readdirSync(path.join(home, "lighttpd-lint/code-cache")).filter((f) => f.endsWith(".bin"));

describe("the CLI's code cache", () => {
  it("is marked by a first lint, made by the second, used by the next, off with NODE_DISABLE_COMPILE_CACHE; the output is the same", () => {
    const home = tempDir({});
    const first = lint([good, "--format", "json"], home);
    expect(first.cache).toBe("absent, marked");
    expect(cached(home)).toHaveLength(1);
    const second = lint([good, "--format", "json"], home);
    expect(second.cache).toBe("seen, saved");
    const third = lint([good, "--format", "json"], home);
    expect(third.cache).toBe("accepted");
    const off = lint([good, "--format", "json"], home, { NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(off.cache).toBe("off");
    for (const r of [first, second, third]) expect({ status: r.status, stdout: r.stdout }).toEqual({ status: off.status, stdout: off.stdout });
    expect(JSON.parse(off.stdout)).toHaveLength(1);
  });

  it("is kept per command: a sub-command makes and uses its own, the language server none", () => {
    const home = tempDir({});
    expect(lint(["fmt", "--check", good], home).cache).toBe("absent, marked");
    expect(lint(["fmt", "--check", good], home).cache).toBe("seen, saved");
    expect(lint(["fmt", "--check", good], home).cache).toBe("accepted");
    expect(lint([good], home).cache).toBe("absent, marked");
    expect(lint(["explain", "missing-comma"], home).cache).toBe("absent, marked");
    expect(
      cached(home)
        .map((f) => /^cli-[0-9a-f]+-([a-z-]+)-node/.exec(f)?.[1])
        .sort(),
    ).toEqual(["explain", "fmt", "lint"]);
    expect(worthCaching(["lsp", "--stdio"])).toBe(false);
  });

  it("is kept apart for a large file (V8 tuned before the bundle is compiled), and not made by --version", () => {
    const home = tempDir({});
    const large = path.join(tempDir({}), "large.conf");
    fs.writeFileSync(large, `server.port = 8080\n${"# padding\n".repeat(LARGE_INPUT_BYTES / 10 + 1)}`);
    const tuned = lint([large], home);
    expect(tuned.cache).toBe("absent, marked");
    // V8 took the flags (src/cli/v8-tuning.ts): it prints an error for one it does not know.
    expect(tuned.stderr.split("\n").filter((l) => l && !l.startsWith("lighttpd-lint: "))).toEqual([]);
    expect(lint([large], home).cache).toBe("seen, saved");
    expect(lint([large], home).cache).toBe("accepted");
    expect(lint(["--version"], home).cache).toBe("absent");
    expect(lint([good], home).cache).toBe("absent, marked");
    expect(
      cached(home)
        .map((f) => /^cli-[0-9a-f]+-([a-z-]+)-node/.exec(f)?.[1])
        .sort(),
    ).toEqual(["lint", "lint-tuned"]);
  });

  it("is used by lint worker threads, which report the same as a lint in one thread", () => {
    const home = tempDir({});
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`f${i}.conf`] = `server.port = ${8000 + i}\nserver.document-root = "/var/www"\n`;
    const dir = tempDir(files);
    expect(lint([good], home).cache).toBe("absent, marked");
    expect(lint([good], home).cache).toBe("seen, saved");
    const pooled = lint(["--format", "json", "--jobs", "2", dir], home);
    const workers = Number(/60 main configs, (\d+) worker threads/.exec(pooled.stderr)?.[1]);
    expect(workers).toBe(2);
    expect(pooled.stderr.match(/worker code cache accepted/g)).toHaveLength(workers);
    const single = lint(["--format", "json", "--jobs", "1", dir], home);
    expect(single.stderr).toMatch(/0 worker threads/);
    expect(pooled.stdout).toBe(single.stdout);
    expect(JSON.parse(single.stdout)).toHaveLength(60);
  });
});
