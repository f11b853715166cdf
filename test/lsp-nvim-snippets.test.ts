/**
 * The Neovim snippets of docs/editors.md, run exactly as written in real headless Neovim: a
 * `lighttpd-lint` command is put on PATH, the snippet is the init file, test/nvim/check-snippet.lua
 * opens a config and reports diagnostics, hover, dotted-key completion and formatting. The snippet
 * for the installed Neovim runs; the other is skipped with the reason. README's copy of the 0.9+
 * snippet must be the same text.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliPath } from "./helpers/lsp-client.js";
import { repoRoot } from "./helpers/lighttpd.js";
import { ensureBuilt } from "./cli-helpers.js";

const nvimVersion = (() => {
  const r = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  const m = r.status === 0 && !r.error ? /NVIM v(\d+)\.(\d+)\.(\d+)/.exec(r.stdout) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
})();
const requireNvim = process.env.REQUIRE_NVIM === "1";

/** The lua block of a markdown text whose first line is `-- lighttpd-lint: <name>` (indentation removed). */
function snippet(markdown: string, name: string): string | undefined {
  const re = /^([ \t]*)```lua\n([\s\S]*?)^\1```/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const indent = m[1];
    const body = m[2]
      .split("\n")
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join("\n");
    if (body.startsWith(`-- lighttpd-lint: ${name}\n`)) return body;
  }
  return undefined;
}

const docs = fs.readFileSync(path.join(repoRoot, "docs/editors.md"), "utf8");
const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-nvim-snip-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Result {
  error?: string;
  filetype: string;
  iskeyword: string;
  timedOut: boolean;
  codes: string[];
  hover?: string;
  cword: string;
  completeStart: number;
  items: string[];
  formatted: string;
}

function runSnippet(lua: string): Promise<Result> {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const shim = path.join(bin, "lighttpd-lint");
  fs.writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`, { mode: 0o755 });
  const init = path.join(dir, "init.lua");
  fs.writeFileSync(init, lua + "\n" + fs.readFileSync(path.join(repoRoot, "test/nvim/check-snippet.lua"), "utf8"));
  const file = path.join(dir, "lighttpd", "lighttpd.conf");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'server.document-root = "/tmp"\nserver.modules=("mod_fastcgi")\nfastcgi.server = (".php" => (("socket" => "/tmp/php.sock")))\n');
  const out = path.join(dir, "out.json");
  fs.rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn("nvim", ["--headless", "--clean", "-u", init], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, LSP_TEST_FILE: file, LSP_TEST_OUT: out },
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
      reject(new Error(`nvim did not finish within 60 s: ${output}`));
    }, 60_000);
    child.on("exit", () => {
      clearTimeout(timer);
      if (!fs.existsSync(out)) return reject(new Error(`nvim wrote no result: ${output}`));
      resolve(JSON.parse(fs.readFileSync(out, "utf8")) as Result);
    });
  });
}

const SNIPPETS = [
  { name: "Neovim 0.9+", runs: (v: number[]) => v[0] > 0 || v[1] >= 9 },
  { name: "Neovim 0.7", runs: (v: number[]) => v[0] === 0 && v[1] >= 7 && v[1] <= 9 },
];

describe("Neovim snippets in the docs", () => {
  it("are in docs/editors.md, and README's 0.9+ snippet is the same text", () => {
    for (const s of SNIPPETS) expect(snippet(docs, s.name), s.name).toBeDefined();
    expect(snippet(readme, "Neovim 0.9+")).toBe(snippet(docs, "Neovim 0.9+"));
  });

  for (const s of SNIPPETS) {
    const runs = nvimVersion ? s.runs(nvimVersion) : false;
    const why = !nvimVersion ? "nvim not found on PATH" : `the installed Neovim is ${nvimVersion.join(".")}`;
    const test = runs || (requireNvim && !nvimVersion) ? it : it.skip;
    test(`${s.name} snippet: diagnostics, hover, dotted-key completion and formatting${runs ? "" : ` [skipped: ${why}]`}`, async () => {
      expect(nvimVersion, "nvim is not installed but REQUIRE_NVIM=1").toBeDefined();
      ensureBuilt();
      const r = await runSnippet(snippet(docs, s.name)!);
      expect(r.error).toBeUndefined();
      expect(r.filetype).toBe("lighttpd");
      expect(r.timedOut).toBe(false);
      expect(r.codes).toContain("socket-in-tmp");
      expect(r.hover).toContain("**server.document-root**");
      // `.` and `-` in iskeyword: the whole dotted key is the word being completed.
      expect(r.iskeyword.split(",")).toEqual(expect.arrayContaining([".", "-"]));
      expect(r.cword).toBe("server.docu");
      expect(r.completeStart).toBe(0);
      expect(r.items).toContain("server.document-root");
      expect(r.formatted).toBe('server.document-root = "/tmp"\nserver.modules = ("mod_fastcgi")\nfastcgi.server = (".php" => (("socket" => "/tmp/php.sock")))');
    }, 90_000);
  }
});
