/**
 * Fixtures carry their expected findings: `# expect: id[, id]` at the end of the offending line,
 * or `# expect-next-line: id` alone on the line before. An optional first line
 * `# fixture: { ...settings }` sets lint settings (lighttpdVersion, socketDir, fixSuggestions, snippet).
 */
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./lighttpd.js";

export const fixturesDir = path.join(repoRoot, "fixtures");

export interface FixtureSettings {
  lighttpdVersion?: string;
  socketDir?: string;
  fixSuggestions?: boolean;
  snippet?: boolean;
  checkFs?: boolean;
  /** lighttpd -tt cannot check this fixture (e.g. it needs root or files that do not exist). */
  skipOracle?: string;
}

export interface Fixture {
  ruleId: string;
  name: string;
  file: string;
  fixedFile?: string;
  text: string;
  settings: FixtureSettings;
  /** "line:ruleId" for every expected finding. */
  expected: string[];
  good: boolean;
}

const EXPECT = /#\s*expect:\s*([a-z0-9, -]+?)\s*$/;
const EXPECT_NEXT = /^\s*#\s*expect-next-line:\s*([a-z0-9, -]+?)\s*$/;

export function parseMarks(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    const next = EXPECT_NEXT.exec(line);
    if (next) {
      for (const id of next[1].split(/[,\s]+/).filter(Boolean)) out.push(`${i + 2}:${id}`);
      return;
    }
    const m = EXPECT.exec(line);
    if (m) for (const id of m[1].split(/[,\s]+/).filter(Boolean)) out.push(`${i + 1}:${id}`);
  });
  return out.sort();
}

export function loadFixtures(): Fixture[] {
  if (!fs.existsSync(fixturesDir)) return [];
  const out: Fixture[] = [];
  for (const ruleId of fs.readdirSync(fixturesDir).sort()) {
    const dir = path.join(fixturesDir, ruleId);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith(".conf") || name.endsWith(".fixed.conf")) continue;
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, "latin1");
      const header = /^#\s*fixture:\s*(\{.*\})\s*$/m.exec(text.split(/\r?\n/)[0] ?? "");
      const fixed = file.replace(/\.conf$/, ".fixed.conf");
      out.push({
        ruleId,
        name,
        file,
        fixedFile: fs.existsSync(fixed) ? fixed : undefined,
        text,
        settings: header ? JSON.parse(header[1]) : {},
        expected: parseMarks(text),
        good: name.startsWith("good"),
      });
    }
  }
  return out;
}
