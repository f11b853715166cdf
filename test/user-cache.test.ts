/** src/util/user-cache.ts: where the per-user cache lives, and what it reads back. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readUserCache, userCacheFile, writeUserCache } from "../src/util/user-cache.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("userCacheFile", () => {
  it("is under an absolute $XDG_CACHE_HOME, else under ~/.cache, and nowhere relative", () => {
    vi.stubEnv("XDG_CACHE_HOME", "/x/cache");
    expect(userCacheFile("a")).toBe("/x/cache/lighttpd-lint/a");
    vi.stubEnv("XDG_CACHE_HOME", "relative");
    vi.stubEnv("HOME", "/home/u");
    expect(userCacheFile("a")).toBe("/home/u/.cache/lighttpd-lint/a");
    vi.stubEnv("HOME", "relative/home");
    expect(userCacheFile("a")).toBeUndefined();
  });

  it("is not used inside a git work tree (a checkout a pull request can put files into)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-user-cache-"));
    try {
      fs.mkdirSync(path.join(dir, "repo", ".cache"), { recursive: true });
      vi.stubEnv("XDG_CACHE_HOME", path.join(dir, "repo", ".cache"));
      expect(userCacheFile("a")).toBe(path.join(dir, "repo", ".cache", "lighttpd-lint", "a"));
      fs.mkdirSync(path.join(dir, "repo", ".git"));
      expect(userCacheFile("a")).toBeUndefined();
      // a submodule's or worktree's .git is a file
      fs.rmdirSync(path.join(dir, "repo", ".git"));
      fs.writeFileSync(path.join(dir, "repo", ".git"), "gitdir: ../x\n");
      expect(userCacheFile("a")).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("readUserCache / writeUserCache", () => {
  it("reads back what it wrote (0600 in a 0700 folder), up to a size, and nothing others may write", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-user-cache-"));
    try {
      const file = path.join(dir, "sub", "f.json");
      expect(writeUserCache(file, "hello")).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(readUserCache(file, 100)?.toString()).toBe("hello");
      expect(readUserCache(file, 4)).toBeUndefined();
      fs.chmodSync(file, 0o620);
      expect(readUserCache(file, 100)).toBeUndefined();
      fs.chmodSync(file, 0o600);
      fs.symlinkSync(file, path.join(dir, "link"));
      expect(readUserCache(path.join(dir, "link"), 100)).toBeUndefined();
      expect(readUserCache(path.join(dir, "sub"), 100)).toBeUndefined();
      expect(readUserCache(path.join(dir, "missing"), 100)).toBeUndefined();
      expect(fs.readdirSync(path.dirname(file))).toEqual(["f.json"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
