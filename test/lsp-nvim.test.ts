/**
 * End to end with a real editor: headless Neovim's built-in LSP client starts `lighttpd-lint lsp
 * --stdio` (configured by test/nvim/init.lua), opens a config with a known pitfall, and writes the
 * diagnostics it received as JSON. Skipped (visibly) without `nvim`; a failure under REQUIRE_NVIM=1.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtServer, cliPath } from "./helpers/lsp-client.js";
import { repoRoot } from "./helpers/lighttpd.js";

const nvimVersion = (() => {
  const r = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  return r.status === 0 && !r.error ? r.stdout.split("\n")[0] : undefined;
})();
const requireNvim = process.env.REQUIRE_NVIM === "1";

interface NvimResult {
  error?: string;
  timedOut?: boolean;
  diagnostics: { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; message: string; source: string; code?: string }[];
  hover?: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-nvim-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs headless Neovim on a file; kills it after a time bound. */
function runNvim(file: string, hover?: string): Promise<NvimResult> {
  const out = path.join(dir, "result.json");
  fs.rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn("nvim", ["--headless", "--clean", "-u", path.join(repoRoot, "test/nvim/init.lua")], {
      cwd: dir,
      env: {
        ...process.env,
        LIGHTTPD_LINT_CMD: JSON.stringify([process.execPath, cliPath, "lsp", "--stdio"]),
        LSP_TEST_FILE: file,
        LSP_TEST_OUT: out,
        LSP_TEST_HOVER: hover ?? "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`nvim did not finish within 40 s; output: ${output}`));
    }, 40_000);
    child.on("exit", () => {
      clearTimeout(timer);
      if (!fs.existsSync(out)) return reject(new Error(`nvim wrote no result; output: ${output}`));
      resolve(JSON.parse(fs.readFileSync(out, "utf8")) as NvimResult);
    });
  });
}

const body = () => {
  it("shows lighttpd-lint's diagnostics and hover in Neovim's built-in LSP client", async () => {
    expect(fs.existsSync(builtServer), "run npx tsc first").toBe(true);
    const text = 'server.document-root = "/tmp"\nserver.modules = ("mod_fastcgi")\nfastcgi.server = (".php" => (("socket" => "/run/php.sock", "max-procs" -> 1)))\n';
    const file = path.join(dir, "lighttpd.conf");
    fs.writeFileSync(file, text);
    const result = await runNvim(file, "0,3");
    expect(result.error).toBeUndefined();
    expect(result.timedOut).toBe(false);
    const typo = result.diagnostics.find((d) => d.code === "arrow-typo");
    expect(typo, JSON.stringify(result.diagnostics)).toBeDefined();
    expect(typo).toMatchObject({ lnum: 2, col: text.split("\n")[2].indexOf("->"), end_col: text.split("\n")[2].indexOf("->") + 2, severity: 1, source: "lighttpd-lint" });
    expect(result.hover).toContain("**server.document-root**");
  });
};

if (nvimVersion) describe(`Neovim (${nvimVersion})`, body);
else if (requireNvim) {
  describe("Neovim", () => {
    it("needs nvim (REQUIRE_NVIM=1)", () => {
      throw new Error("nvim is not installed but REQUIRE_NVIM=1: install it (apt-get install -y neovim)");
    });
  });
} else describe.skip("Neovim [skipped: nvim not found on PATH; apt-get install -y neovim]", body);
