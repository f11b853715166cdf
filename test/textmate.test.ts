/**
 * The TextMate grammar (editors/vscode/syntaxes/lighttpd.tmLanguage.json) run by vscode-textmate
 * with the Oniguruma engine VS Code uses: every line of the corpus tokenizes, and at every key spot
 * our own tokenizer finds (keys, strings, regexes in conditions, comments, operators, includes,
 * condition objects, numbers) the grammar gives the expected scope.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as oniguruma from "vscode-oniguruma";
import * as vsctm from "vscode-textmate";
import type { Token } from "../grammar/tokens.js";
import * as T from "../grammar/tokens.js";
import { walkNodes } from "../src/lsp/locate.js";
import { parseConfig } from "../src/parse/parse.js";
import { valueToken } from "../src/ast/nodes.js";
import { corpusDir, listSharedFiles, repoRoot } from "./helpers/lighttpd.js";

const require = createRequire(import.meta.url);
const grammarPath = path.join(repoRoot, "editors/vscode/syntaxes/lighttpd.tmLanguage.json");
let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: (scope) => Promise.resolve(scope === "source.lighttpd" ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  grammar = (await registry.loadGrammar("source.lighttpd"))!;
});

/** Scopes of every character: lines[line][column] = scope list. */
function scopesOf(text: string): string[][][] {
  let stack = vsctm.INITIAL;
  const out: string[][][] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const r = grammar.tokenizeLine(line, stack, 1000);
    expect(r.stoppedEarly).toBe(false);
    const cols: string[][] = [];
    for (const t of r.tokens) for (let c = t.startIndex; c < t.endIndex; c++) cols[c] = t.scopes;
    out.push(cols);
    stack = r.ruleStack;
  }
  return out;
}

/** The scope prefix each kind of token must carry (undefined: not checked). */
function expected(t: Token, roles: Map<Token, string>, firstOnLine: boolean): string | RegExp | undefined {
  const role = roles.get(t);
  if (role) return role === "key" ? (firstOnLine ? /^(support\.type\.property-name|variable\.other\.readwrite)\./ : undefined) : role;
  switch (t.tokenType) {
    case T.Comment:
      return "comment.line.number-sign";
    case T.StringLit:
      return "string.quoted.double";
    case T.IntegerLit:
      return "constant.numeric.integer";
    case T.SrvVarName:
      return "variable.language.condition";
    case T.Include:
    case T.IncludeShell:
      return "keyword.control.import";
    case T.ArrayAssign:
      return "keyword.operator.arrow";
    case T.Eq:
    case T.Ne:
    case T.Prefix:
    case T.Suffix:
      return "keyword.operator.comparison";
    case T.Match:
    case T.NoMatch:
      return "keyword.operator.comparison.regexp";
    case T.Else:
      return "keyword.control.conditional";
    default:
      return undefined;
  }
}

function check(text: string): { checked: number; wrong: string[] } {
  // The newest syntax: the grammar highlights `elif`, `else if` for every release.
  const parse = parseConfig(text, { version: "1.4.85" });
  const roles = new Map<Token, string>();
  walkNodes(parse.tree, (n) => {
    if (n.kind === "assignment") roles.set(n.key, "key");
    // A regex built with `+` ("^" + var.x): its strings may be scoped either way.
    if (n.kind === "condition" && n.value && (n.op?.tokenType === T.Match || n.op?.tokenType === T.NoMatch))
      walkNodes(n.value, (m) => {
        if (m.kind === "string") roles.set(valueToken(m), n.value!.operands.length === 1 ? "string.regexp" : "string");
      });
  });
  const scopes = scopesOf(text);
  let checked = 0;
  const wrong: string[] = [];
  let lastLine = 0;
  for (const t of parse.tokens) {
    if (t.tokenType === T.WhiteSpace || t.tokenType === T.Newline || t.tokenType === T.Eol) continue;
    const firstOnLine = t.startLine !== lastLine;
    lastLine = t.endLine!;
    if (t.startLine !== t.endLine || t.image === "") continue;
    const want = expected(t, roles, firstOnLine);
    if (!want) continue;
    const at = scopes[t.startLine! - 1]?.[t.startColumn! - 1] ?? [];
    const ok = at.some((s) => (typeof want === "string" ? s.startsWith(want + ".") || s === want : want.test(s)));
    checked++;
    if (!ok) wrong.push(`${t.startLine}:${t.startColumn} ${JSON.stringify(t.image.slice(0, 30))}: want ${want}, got ${at.join(" ")}`);
  }
  return { checked, wrong };
}

describe("TextMate grammar", () => {
  it("scopes the key spots of a config", () => {
    const text =
      '# c\nserver.port = 80\nvar.x = "a" + var.y\n$HTTP["host"] =~ "^w\\"x" {\n  url.rewrite = ( "^/a" => "/b" ) # t\n}\nelse $HTTP["url"] == "/" {\n}\ninclude "a.conf"\ninclude_shell "cat b"\nglobal {\n}\n';
    const s = scopesOf(text);
    const lines = text.split("\n");
    const col = (line: number, needle: string) => lines[line].indexOf(needle);
    expect(s[1][0]).toContain("support.type.property-name.lighttpd");
    expect(s[2][0]).toContain("variable.other.readwrite.lighttpd");
    expect(s[2][col(2, "var.y")]).toContain("variable.other.lighttpd");
    expect(s[3][1]).toContain("variable.language.condition.lighttpd");
    expect(s[3][col(3, "^w")]).toContain("string.regexp.lighttpd");
    expect(s[3][col(3, "\\")]).toContain("constant.character.escape.lighttpd");
    expect(s[4][col(4, "=>")]).toContain("keyword.operator.arrow.lighttpd");
    expect(s[4][col(4, "#")]).toContain("comment.line.number-sign.lighttpd");
    expect(s[8][0]).toContain("keyword.control.import.lighttpd");
    expect(s[9][0]).toContain("keyword.control.import.lighttpd");
    expect(s[9][col(9, "cat")]).toContain("string.quoted.double.lighttpd");
    expect(s[10][0]).toContain("keyword.control.global.lighttpd");
    expect(check(text).wrong).toEqual([]);
  });

  const files = listSharedFiles(corpusDir).filter((f) => !f.includes(`${path.sep}lighttpd2${path.sep}`));
  it.skipIf(files.length === 0)(`tokenizes every line of the corpus with the expected scopes at key spots (${files.length} files)`, () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const f of files) {
      const r = check(fs.readFileSync(f).toString("latin1"));
      checked += r.checked;
      wrong.push(...r.wrong.map((w) => `${path.relative(corpusDir, f)}:${w}`));
    }
    expect(wrong.slice(0, 30)).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });
});
