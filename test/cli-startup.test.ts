/**
 * What a plain lint loads of Node itself: it writes through fs (src/cli/stdout.ts), so Node's stream,
 * socket and terminal modules (~2–3 ms and 23 modules of a small lint's start) stay unloaded unless
 * something asks for process.stdout/stderr (run-process.ts whenMade) or chalk guesses at colour
 * (tools/bundle.mjs chalkWithoutGuess).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bin, ensureBuilt } from "./cli-helpers.js";
import { repoRoot } from "./helpers/lighttpd.js";

ensureBuilt();

/** Node's modules a CLI run loaded beyond a bare `node` (from process.moduleLoadList), and its output. */
function loadedModules(args: string[]): { modules: string[]; stdout: string; status: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-startup-"));
  try {
    const hook = path.join(dir, "hook.cjs");
    fs.writeFileSync(
      hook,
      `const before = new Set(process.moduleLoadList);\nprocess.on("exit", () => require("fs").writeFileSync(${JSON.stringify(path.join(dir, "loaded.json"))}, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));\n`,
    );
    const r = spawnSync(process.execPath, ["-r", hook, bin, ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, XDG_CACHE_HOME: path.join(dir, "cache"), NO_COLOR: undefined, FORCE_COLOR: undefined },
    });
    return { modules: JSON.parse(fs.readFileSync(path.join(dir, "loaded.json"), "utf8")) as string[], stdout: r.stdout, status: r.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const streamsOrSockets = (modules: string[]) => modules.filter((m) => /^NativeModule (net|tty|stream|internal\/streams\/)/.test(m));

describe("a plain lint to a pipe", () => {
  it("loads none of Node's stream, socket or terminal modules (stylish and json)", () => {
    for (const format of ["stylish", "json"]) {
      const r = loadedModules(["--no-config", "--lighttpd-version", "1.4.69", "--format", format, "examples/broken-fastcgi.conf"]);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/socket-in-tmp/);
      expect(streamsOrSockets(r.modules)).toEqual([]);
    }
  });

  it("loads them once something writes through process.stdout (the check above can fail)", () => {
    const r = loadedModules(["rules"]);
    expect(r.status).toBe(0);
    expect(streamsOrSockets(r.modules).length).toBeGreaterThan(0);
  });
});
