/**
 * The formatter changes no meaning: for every lighttpd binary present, `lighttpd -p` (the config as
 * lighttpd reads it) and the `-tt` verdict are identical before and after `fmt`, over the whole
 * shared corpus and over generated configs. Binaries: Debian's /usr/sbin/lighttpd, and the release
 * builds under ~/.cache/lighttpd-lint/lighttpd/<version>/sbin/lighttpd (absent ones are listed as
 * skipped, with the reason). Files with an include_shell statement are not given to lighttpd, not even
 * copied next to the others (an include could reach them): lighttpd would run their commands.
 */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatText } from "../../src/fmt/format.js";
import { tokenize } from "../../grammar/tokenizer.js";
import * as T from "../../grammar/tokens.js";
import { configText } from "../helpers/generators.js";
import { corpusDir, listSharedFiles, requireLighttpd } from "../helpers/lighttpd.js";

const RELEASES = ["1.4.59", "1.4.63", "1.4.69", "1.4.73", "1.4.74", "1.4.76", "1.4.79", "1.4.82", "1.4.85"];
const cacheDir = path.join(os.homedir(), ".cache/lighttpd-lint/lighttpd");

interface Binary {
  label: string;
  file: string;
  version: string;
}

function versionOf(file: string): string | undefined {
  const r = spawnSync(file, ["-v"], { encoding: "utf8", timeout: 5000 });
  return r.status === 0 ? /lighttpd\/(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}

const binaries: Binary[] = [];
const missing: string[] = [];
const debian = "/usr/sbin/lighttpd";
const debianVersion = fs.existsSync(debian) ? versionOf(debian) : undefined;
if (debianVersion) binaries.push({ label: `Debian ${debianVersion}`, file: debian, version: debianVersion });
else missing.push(`Debian's ${debian}`);
for (const v of RELEASES) {
  const file = path.join(cacheDir, v, "sbin/lighttpd");
  const got = fs.existsSync(file) ? versionOf(file) : undefined;
  if (got) binaries.push({ label: `release ${got}`, file, version: got });
  else missing.push(`release ${v} (${file})`);
}

const corpusFiles = listSharedFiles(corpusDir).filter((f) => !f.includes(`${path.sep}lighttpd2${path.sep}`));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "fmt-oracle-"));
const neutralCwd = fs.mkdtempSync(path.join(os.tmpdir(), "fmt-cwd-"));
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(neutralCwd, { recursive: true, force: true });
});

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** lighttpd's answer, with the root of the tree it ran in masked. */
function run(bin: string, mode: "-p" | "-tt", file: string, root: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(bin, [mode, "-f", file], { cwd: neutralCwd, encoding: "utf8", timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === "number" ? err.code : null) : 0;
      const mask = (s: string) =>
        s
          .split(root)
          .join("<root>")
          .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: /gm, "")
          // Where a refused config fails moves with the layout (line, column, and which token LEMON was
          // looking at when a value turned out invalid): the message itself must stay.
          .replace(/line: \d+ pos: \d+/g, "line: <n> pos: <n>")
          .replace(/parser failed somehow near here: .*/g, "parser failed somehow near here: <token>");
      resolve({ status, stdout: mask(stdout ?? ""), stderr: mask(stderr ?? "") });
    });
  });
}

/**
 * The two answers with both runs' process ids masked in both (var.PID is lighttpd's pid, and configs
 * build socket names from it); masking both in both keeps a number that happens to equal one pid
 * from making a difference.
 */
function maskPids(a: Outcome, b: Outcome): [Outcome, Outcome] {
  const pids = [a, b].map((o) => /var\.PID\s*=\s*(\d+)/.exec(o.stdout)?.[1]).filter((p): p is string => !!p);
  if (!pids.length) return [a, b];
  const re = new RegExp(`(?<![\\d.])(${pids.join("|")})(?!\\d)`, "g");
  const m = (o: Outcome): Outcome => ({ status: o.status, stdout: o.stdout.replace(re, "<pid>"), stderr: o.stderr.replace(re, "<pid>") });
  return [m(a), m(b)];
}

/** Writes `files` (relative path -> text) twice: as given, and formatted for `version`. */
function writeTrees(name: string, files: Map<string, string>, version: string): { orig: string; fmt: string; formatted: string[]; refused: string[]; shell: string[] } {
  const orig = path.join(work, name, "orig");
  const fmt = path.join(work, name, "fmt");
  const formatted: string[] = [];
  const refused: string[] = [];
  const shell: string[] = [];
  for (const [rel, text] of files) {
    if (tokenize(text, version).all.some((t) => t.tokenType === T.IncludeShell)) {
      shell.push(rel);
      continue;
    }
    for (const root of [orig, fmt]) fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(orig, rel), text, "latin1");
    const r = formatText(text, { version });
    if (r.ok) {
      if (r.changed) formatted.push(rel);
      fs.writeFileSync(path.join(fmt, rel), r.text, "latin1");
    } else {
      refused.push(rel);
      fs.writeFileSync(path.join(fmt, rel), text, "latin1");
    }
  }
  return { orig, fmt, formatted, refused, shell };
}

/** Runs every file through lighttpd before and after, a few at a time. */
async function compareTrees(bin: Binary, trees: { orig: string; fmt: string }, rels: string[]): Promise<string[]> {
  const diffs: string[] = [];
  const report = (rel: string, mode: string, a: Outcome, b: Outcome) =>
    diffs.push(`${rel} ${mode}: exit ${a.status} -> ${b.status}\n${a.stdout}${a.stderr}\n---\n${b.stdout}${b.stderr}`.slice(0, 3000));
  const one = async (rel: string) => {
    const [a, b] = maskPids(...(await Promise.all([run(bin.file, "-p", path.join(trees.orig, rel), trees.orig), run(bin.file, "-p", path.join(trees.fmt, rel), trees.fmt)])));
    if (a.status !== b.status || a.stdout !== b.stdout || a.stderr !== b.stderr) report(rel, "-p", a, b);
    // -tt reads the config as -p does, then checks more: worth running only on what -p accepts.
    if (a.status !== 0 && b.status !== 0) return;
    const [c, d] = await Promise.all([run(bin.file, "-tt", path.join(trees.orig, rel), trees.orig), run(bin.file, "-tt", path.join(trees.fmt, rel), trees.fmt)]);
    if (c.status !== d.status) report(rel, "-tt", c, d);
  };
  let next = 0;
  const worker = async () => {
    while (next < rels.length) await one(rels[next++]);
  };
  await Promise.all([worker(), worker()]);
  return diffs.sort();
}

if (binaries.length === 0 && requireLighttpd) {
  describe("fmt oracle", () =>
    it("needs a lighttpd binary (REQUIRE_LIGHTTPD=1)", () => {
      throw new Error("no lighttpd binary found");
    }));
}
for (const m of missing)
  describe.skip(`fmt oracle: ${m} [skipped: binary not present]`, () => {
    it("absent", () => {});
  });

for (const bin of binaries) {
  describe(`fmt keeps lighttpd's reading (${bin.label})`, () => {
    it(`corpus: -p output and -tt verdict identical before and after (${corpusFiles.length} files)`, async () => {
      const files = new Map(corpusFiles.map((f) => [path.relative(corpusDir, f), fs.readFileSync(f).toString("latin1")]));
      const trees = writeTrees(`corpus-${bin.version}-${binaries.indexOf(bin)}`, files, bin.version);
      // The formatter must actually reformat most of the corpus, or this test proves nothing.
      expect(trees.formatted.length).toBeGreaterThan((corpusFiles.length - trees.shell.length) / 2);
      const diffs = await compareTrees(bin, trees, trees.formatted);
      expect(diffs).toEqual([]);
      console.log(
        `[fmt oracle ${bin.label}] corpus: ${trees.formatted.length} reformatted, ${files.size - trees.formatted.length - trees.refused.length - trees.shell.length} unchanged, ${trees.refused.length} left alone, ${trees.shell.length} not run (include_shell); lighttpd -p/-tt identical on all reformatted`,
      );
    }, 600_000);

    it("generated configs: -p output and -tt verdict identical before and after", async () => {
      const samples = fc.sample(configText(), { numRuns: Number(process.env.FMT_ORACLE_RUNS ?? 150), seed: 18 });
      const files = new Map(samples.map((s, k) => [`gen-${k}.conf`, s]));
      const trees = writeTrees(`gen-${bin.version}-${binaries.indexOf(bin)}`, files, bin.version);
      expect(trees.formatted.length).toBeGreaterThan(samples.length / 3);
      expect(await compareTrees(bin, trees, trees.formatted)).toEqual([]);
    }, 600_000);
  });
}
