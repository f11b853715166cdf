/**
 * src/cli/code-cache.ts: a CommonJS file run through V8's code cache. Each load runs in a fresh
 * `node` (V8 also keeps compiled scripts in memory: a second load in one process would not read
 * the cache at all), on the compiled sources (dist/src).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, repoRoot } from "./cli-helpers.js";

beforeAll(ensureBuilt);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-code-cache-"));
  dirs.push(d);
  return d;
}

interface Load {
  status: string;
  saved: "marked" | "saved" | false;
  value: unknown;
}

/** Loads `file` in a new process (with a cache in `dir` under `key` unless dir is undefined), reads its `value` export, then saves. */
function load(file: string, dir?: string, key = "cli-test"): Load {
  const module = pathToFileURL(path.join(repoRoot, "dist/src/cli/code-cache.js")).href;
  const script = `
    const { loadBundle } = await import(${JSON.stringify(module)});
    const dir = process.argv[1];
    const loaded = loadBundle(${JSON.stringify(file)}, dir ? { dir, key: ${JSON.stringify(key)} } : undefined);
    const value = typeof loaded.exports.value === "function" ? loaded.exports.value() : loaded.exports.value;
    process.stdout.write(JSON.stringify({ status: loaded.status, value, saved: loaded.save() }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir ?? ""], { encoding: "utf8", timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Load;
}

/** A CommonJS file that reports what Node's wrapper gives a module, and a dependency beside it. */
function bundle(dir: string, extra = ""): string {
  fs.writeFileSync(path.join(dir, "dep.cjs"), "exports.x = 42;\n");
  const file = path.join(dir, "bundle.cjs");
  fs.writeFileSync(
    file,
    `"use strict";
const path = require("node:path");
function where() { return new Error("here").stack.split("\\n")[1]; }
exports.value = () => ({ file: __filename, dir: __dirname, dep: require("./dep.cjs").x, self: this === module.exports, at: where() });
${extra}`,
  );
  return file;
}

const cacheFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".bin")) : []);

describe("loadBundle", () => {
  it("runs the file as Node's require would: __filename, __dirname, a relative require, this, line numbers", () => {
    const dir = tempDir();
    const file = bundle(dir);
    const r = load(file);
    expect(r).toMatchObject({ status: "off", saved: false });
    expect(r.value).toEqual({ file, dir, dep: 42, self: true, at: expect.stringContaining(`${file}:3:`) as unknown });
  });

  it("is absent (a first run only marks it), seen and saved, then accepted by later processes, and not written again", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const file = bundle(dir);
    const first = load(file, cache);
    expect(first).toMatchObject({ status: "absent", saved: "marked" });
    const [name] = cacheFiles(cache);
    expect(name).toMatch(new RegExp(`^cli-test-node${process.version.slice(1).replace(/\./g, "\\.")}-${process.arch}\\.bin$`));
    // the mark is the first line alone: no code made for a machine that runs this once
    expect(fs.readFileSync(path.join(cache, name), "latin1")).toMatch(/^lighttpd-lint code cache cli-test \S+ \S+ \d+\n$/);
    expect(fs.statSync(path.join(cache, name)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
    expect(load(file, cache)).toEqual({ ...first, status: "seen", saved: "saved" });
    expect(fs.statSync(path.join(cache, name)).size).toBeGreaterThan(1000);
    const before = fs.statSync(path.join(cache, name)).mtimeMs;
    expect(load(file, cache)).toEqual({ ...first, status: "accepted", saved: false });
    expect(fs.statSync(path.join(cache, name)).mtimeMs).toBe(before);
  });

  it("keeps one file per key: another bundle does not overwrite it", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const file = bundle(dir);
    expect(load(file, cache, "cli-a").saved).toBe("marked");
    expect(load(file, cache, "cli-a").saved).toBe("saved");
    expect(load(file, cache, "cli-b")).toMatchObject({ status: "absent", saved: "marked" });
    expect(cacheFiles(cache).sort()).toEqual([expect.stringMatching(/^cli-a-/), expect.stringMatching(/^cli-b-/)]);
    expect(load(file, cache, "cli-a").status).toBe("accepted");
  });

  it("does not use a cache made from another source under the same key (V8 would take one of the same length)", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const file = bundle(dir);
    load(file, cache);
    load(file, cache);
    bundle(dir, "exports.more = 1;\n");
    const r = load(file, cache);
    expect(r).toMatchObject({ status: "stale", saved: "saved" });
    expect(load(file, cache).status).toBe("accepted");
  });

  it("runs the file right when V8 refuses the data (damaged), and replaces it", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const file = bundle(dir);
    load(file, cache);
    const good = load(file, cache);
    const cacheFile = path.join(cache, cacheFiles(cache)[0]);
    const data = fs.readFileSync(cacheFile);
    const headerEnd = data.indexOf(0x0a) + 1;
    data.fill(0x55, headerEnd + 8, Math.min(data.length, headerEnd + 64));
    fs.writeFileSync(cacheFile, data);
    const r = load(file, cache);
    expect(r).toEqual({ ...good, status: "rejected", saved: "saved" });
    expect(load(file, cache).status).toBe("accepted");
  });

  it("ignores a cache file others may write, or a symbolic link", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    const file = bundle(dir);
    load(file, cache);
    load(file, cache);
    const cacheFile = path.join(cache, cacheFiles(cache)[0]);
    fs.chmodSync(cacheFile, 0o666);
    expect(load(file, cache)).toMatchObject({ status: "absent", saved: "marked" });
    // the mark replaced it with a file of mode 0600, which counts again
    expect(fs.statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(load(file, cache).status).toBe("seen");
    expect(load(file, cache).status).toBe("accepted");
    const elsewhere = path.join(dir, "elsewhere.bin");
    fs.renameSync(cacheFile, elsewhere);
    fs.symlinkSync(elsewhere, cacheFile);
    expect(load(file, cache).status).toBe("absent");
  });

  it("runs on when the cache cannot be written", () => {
    const dir = tempDir();
    const file = bundle(dir);
    fs.writeFileSync(path.join(dir, "not-a-dir"), "");
    const r = load(file, path.join(dir, "not-a-dir", "cache"));
    expect(r).toMatchObject({ status: "absent", saved: false });
    expect((r.value as { dep: number }).dep).toBe(42);
    expect(fs.readdirSync(dir).sort()).toEqual(["bundle.cjs", "dep.cjs", "not-a-dir"]);
  });

  it("keeps the newest seven files of other keys or Node versions when it saves", () => {
    const dir = tempDir();
    const cache = path.join(dir, "cache");
    fs.mkdirSync(cache);
    const old = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => {
      const f = path.join(cache, `cli-${k}-node0.0.0-x64.bin`);
      fs.writeFileSync(f, "x");
      fs.utimesSync(f, 1000 + k, 1000 + k);
      return path.basename(f);
    });
    fs.writeFileSync(path.join(cache, "notes.txt"), "not ours to remove");
    load(bundle(dir), cache);
    expect(fs.readdirSync(cache).sort()).toEqual([...old.slice(2), `cli-test-node${process.version.slice(1)}-${process.arch}.bin`, "notes.txt"]);
  });
});
