/**
 * The VS Code extension (editors/vscode) packages with `vsce package` (offline), and the .vsix holds
 * the manifest, the grammar, the language configuration, the client and its runtime dependency.
 * Needs `npm ci` in editors/vscode (done by .ci/run); without it the test is skipped with that reason,
 * and fails under REQUIRE_VSCE=1.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/lighttpd.js";

const extDir = path.join(repoRoot, "editors/vscode");
const vsce = path.join(extDir, "node_modules/.bin/vsce");
const available = fs.existsSync(vsce) && fs.existsSync(path.join(extDir, "node_modules/vscode-languageclient"));

/** File names in a zip archive, from its central directory. */
function zipEntries(buf: Buffer): string[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip file");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory");
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString("utf8", at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const suite = available ? describe : process.env.REQUIRE_VSCE === "1" ? describe : describe.skip;
const title = available || process.env.REQUIRE_VSCE === "1" ? "VS Code extension" : "VS Code extension [skipped: run `npm ci` in editors/vscode first]";

suite(title, () => {
  it("vsce package builds a .vsix with the grammar, language configuration and language client", () => {
    expect(available, "editors/vscode/node_modules is missing: run `npm ci` there (REQUIRE_VSCE=1)").toBe(true);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vsix-")), "lighttpd-lint.vsix");
    try {
      const r = spawnSync(vsce, ["package", "--skip-license", "--out", out], { cwd: extDir, encoding: "utf8", timeout: 180_000 });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const names = zipEntries(fs.readFileSync(out));
      for (const f of [
        "extension/package.json",
        "extension/extension.js",
        "extension/language-configuration.json",
        "extension/syntaxes/lighttpd.tmLanguage.json",
        "extension/node_modules/vscode-languageclient/package.json",
      ]) {
        expect(names).toContain(f);
      }
      // The packaged grammar is the one the TextMate test checks.
      const manifest = JSON.parse(fs.readFileSync(path.join(extDir, "package.json"), "utf8"));
      expect(manifest.contributes.grammars[0]).toMatchObject({ language: "lighttpd", scopeName: "source.lighttpd" });
      expect(names.some((n) => n.includes("@vscode/vsce"))).toBe(false); // dev dependencies stay out
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  }, 200_000);
});
