/**
 * `dump` refuses exactly what `lighttpd -p` refuses (issue 11): the refusal is derived from the
 * findings' effect (RuleMeta.effect), not from a list of rule ids. Each case is also checked
 * against the real `lighttpd -p` when it is installed.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lint, refusalRules, refusals } from "../src/engine/lint.js";
import { rules } from "../rules/index.js";
import { generateConfig } from "../bench/generate.mjs";
import { lighttpdAvailable, listSharedFiles, oracleCasesDir, requireLighttpd, runLighttpd } from "./helpers/lighttpd.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { bin, ensureBuilt, runCli, useTempDirs } from "./cli-helpers.js";

beforeAll(ensureBuilt);
const tmp = useTempDirs();

/** lighttpd -p's exit status, or undefined (skipped) without the binary; REQUIRE_LIGHTTPD=1 makes that a failure. */
function oracleStatus(file: string): number | null | undefined {
  if (lighttpdAvailable) return runLighttpd("-p", file).status;
  if (requireLighttpd) throw new Error("lighttpd is not installed but REQUIRE_LIGHTTPD=1");
  return undefined;
}

const HEAD = 'server.document-root = "/tmp"\n';

const refused: [string, string, RegExp][] = [
  ["an arrow typo", 'server.modules += ("mod_fastcgi")\nfastcgi.server = ( "/x" => ( ( "max-procs" -> 1 ) ) )\n', /\[arrow-typo\]/],
  ["a port that is not a number", 'server.port = "abc"\n', /\[value-type\]/],
  ["a boolean that is not one", 'server.follow-symlink = "maybe"\n', /\[value-type\]/],
];

const accepted: [string, string][] = [
  // Module keys are checked only when lighttpd starts (-tt), not by -p.
  ["a module key's bad value", 'server.modules += ("mod_fastcgi")\nfastcgi.debug = "x"\n'],
  // Truncated, not refused.
  ["a port out of range", "server.port = 99999\n"],
];

describe("dump refuses what lighttpd -p refuses", () => {
  it.each(refused)("%s: exit 1, no dump, the finding on stderr", (_name, body, finding) => {
    const d = tmp({ "x.conf": HEAD + body });
    const r = runCli(["dump", "--lighttpd-version", "1.4.69", "x.conf"], { cwd: d });
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(finding);
    expect(r.status).toBe(1);
    const oracle = oracleStatus(path.join(d, "x.conf"));
    if (oracle !== undefined) expect(oracle, "lighttpd -p refuses it too").not.toBe(0);
  });

  it.each(accepted)("%s: dumped, as lighttpd -p does", (_name, body) => {
    const d = tmp({ "x.conf": HEAD + body });
    const r = runCli(["dump", "--lighttpd-version", "1.4.69", "x.conf"], { cwd: d });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("server.document-root");
    const oracle = oracleStatus(path.join(d, "x.conf"));
    if (oracle !== undefined) expect(oracle, "lighttpd -p accepts it too").toBe(0);
  });
});

describe("dump runs only the rules that can refuse", () => {
  // Every fixture and oracle case: the refusals (and their messages, which name a
  // structural cause) are the same as with every rule.
  const files = [...loadFixtures().map((f) => f.file), ...listSharedFiles(oracleCasesDir)].filter((f) => f.endsWith(".conf"));
  const subset = refusalRules(rules);

  it("is a strict subset of the registry", () => {
    expect(subset.length).toBeGreaterThan(10);
    expect(subset.length).toBeLessThan(rules.length);
    expect(subset.map((r) => r.meta.id)).toContain("syntax-error");
    expect(subset.map((r) => r.meta.id)).not.toContain("rewrite-prefix-boundary");
  });

  it("refuses exactly what the full rule set refuses", () => {
    expect(files.length).toBeGreaterThan(60);
    let refusedFiles = 0;
    for (const file of files) {
      const options = { project: { rules: {}, lighttpdVersion: "1.4.69" }, cwd: path.dirname(file), env: {}, pid: 1 };
      const describe = (r: ReturnType<typeof lint>) => refusals(r.files).flatMap((f) => f.diagnostics.map((d) => `${d.file}:${d.start}-${d.end} ${d.ruleId} ${d.message}`));
      const all = describe(lint(file, { ...options, rules }));
      if (all.length) refusedFiles++;
      expect(describe(lint(file, { ...options, rules: subset })), file).toEqual(all);
    }
    expect(refusedFiles).toBeGreaterThan(10);
  }, 120_000);
});

/** Runs the CLI, closes its stdout after the first chunk (as `head -1` does); its exit status and stderr. */
async function readFirstChunk(args: string[], cwd: string, input?: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.on("error", () => {}); // it may stop reading once its output is closed
  child.stdin.end(input ?? "");
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.once("data", () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { status, stderr };
}

describe("output to a closed pipe", () => {
  it("dump stops quietly when the reader goes away (`dump big.conf | head -1`)", async () => {
    const d = tmp({ "big.conf": generateConfig(20000) });
    expect(await readFirstChunk(["dump", "--lighttpd-version", "1.4.69", "big.conf"], d)).toEqual({ status: 0, stderr: "" });
  }, 60_000);

  it("so does a command that writes through process.stdout (`fmt - < big.conf | head -1`)", async () => {
    // Its EPIPE handler is attached when process.stdout is first made (run-process.ts whenMade), not at start.
    const d = tmp({});
    expect(await readFirstChunk(["fmt", "-"], d, generateConfig(20000))).toEqual({ status: 0, stderr: "" });
  }, 60_000);

  it("a streamed JSON report stops quietly too (it used to end in an internal error)", async () => {
    // 30 files with 100 findings shown each: about 1.5 MB of JSON, far more than a pipe holds.
    const bad = Array.from({ length: 300 }, (_, i) => `server.port = 8$${i}`).join("\n") + "\n";
    const d = tmp(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${i}.conf`, bad])));
    expect(await readFirstChunk(["--no-config", "--format", "json", d], d)).toEqual({ status: 0, stderr: "" });
  }, 60_000);
});
