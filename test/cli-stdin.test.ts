/**
 * Standard input from a pipe its parent left non-blocking, as Node's and libuv's spawn give it (how
 * editors start `lighttpd-lint fmt -` or a `--stdin` lint): a read answers EAGAIN until the data
 * comes. The CLI waits for it (src/util/read-file.ts readStdin); fs.readFileSync(0) failed there.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bin, ensureBuilt, tempDir } from "./cli-helpers.js";

ensureBuilt();

/** Runs the CLI with a stdin pipe written only after `delayMs`, in two parts; its status and output. */
async function runWithLateInput(args: string[], input: string, delayMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: tempDir(), stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdin.on("error", () => {}); // a child that failed early closes its end
  const half = Math.floor(input.length / 2);
  setTimeout(() => child.stdin.write(input.slice(0, half)), delayMs);
  setTimeout(() => child.stdin.end(input.slice(half)), 2 * delayMs);
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { status, stdout, stderr };
}

describe("a non-blocking stdin whose data comes later", () => {
  it("fmt - formats it", async () => {
    const r = await runWithLateInput(["fmt", "-"], 'server.port=80\nserver.modules=("mod_access")\n', 300);
    expect(r).toEqual({ status: 0, stdout: 'server.port = 80\nserver.modules = ("mod_access")\n', stderr: "" });
  }, 30_000);

  it("--stdin lints it", async () => {
    const r = await runWithLateInput(
      ["--stdin", "--no-config", "--format", "json", "--lighttpd-version", "1.4.69"],
      'server.port = 80\nserver.document-root = "/srv"\nsever.tag = "x"\n',
      300,
    );
    expect(r.stderr).toBe("");
    const ids = (JSON.parse(r.stdout) as { diagnostics: { ruleId: string }[] }[])[0].diagnostics.map((d) => d.ruleId);
    expect(ids).toContain("unknown-key");
    expect(r.status).toBe(0); // warnings only
  }, 30_000);

  it("convert - reads it", async () => {
    const r = await runWithLateInput(["convert", "--from", "nginx", "-"], "server { listen 8080; root /srv/www; }\n", 300);
    expect(r.stderr).toMatch(/3 mapped/); // the mapping report
    expect(r.stdout).toMatch(/server\.document-root :?= "\/srv\/www"/);
    expect(r.status).toBe(0);
  }, 30_000);
});
