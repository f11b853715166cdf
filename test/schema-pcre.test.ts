/** The PCRE2 checker (src/schema/pcre.ts): known answers, and agreement with the real lighttpd. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { capturesAtLeast, checkPcre, normalizeUrlPattern } from "../src/schema/pcre.js";
import { corpusDir, describeWithLighttpd, runLighttpd } from "./helpers/lighttpd.js";

describe("PCRE2 errors JavaScript would accept", () => {
  const cases: [string, RegExp][] = [
    ["[\\w-.]+", /invalid range in character class/],
    ["[a-\\d]", /invalid range/],
    ["\\i", /unrecognized character follows \\/],
    ["\\u0041", /does not support/],
    ["(?<=a+)b", /lookbehind assertion is not fixed length/],
    ["(a)\\2", /non-existent subpattern/],
    ["\\k<x>", /non-existent subpattern/],
    ["[]", /missing terminating \]/],
    ["[[:foo:]]", /unknown POSIX class name/],
    ["[:alpha:]", /only within a class/],
    ["(?z)", /unrecognized character after \(\?/],
    ["a{1}{2}", /quantifier does not follow a repeatable item/],
    ["x{2,1}", /numbers out of order/],
    ["(?<n>a)(?<n>b)", /same name/],
    [`${"(".repeat(251)}a${")".repeat(251)}`, /parentheses are too deeply nested/],
  ];
  it.each(cases)("%s is refused", (pattern, message) => {
    const r = checkPcre(pattern);
    expect(r.valid).toBe(false);
    expect(r.message).toMatch(message);
  });

  it("gives PCRE2's offset", () => {
    expect(checkPcre("[\\w-.]+").offset).toBe(3);
    expect(checkPcre("^/(abc").message).toMatch(/missing closing parenthesis/);
  });
});

describe("PCRE2 syntax JavaScript lacks is accepted", () => {
  const ok = [
    "a++",
    "a?+",
    "(?>a)",
    "(?i)A",
    "(?i:a)b",
    "(?-i)a",
    "(?P<n>a)(?P=n)",
    "(?'n'a)\\k'n'",
    "\\Qa.(b\\E",
    "\\Aab\\z",
    "x\\Z",
    "[[:alpha:]_-]",
    "[[:^digit:]]",
    "\\x{41}",
    "\\o{101}",
    "\\e\\a\\cA",
    "\\h\\R\\N\\K",
    "(?#comment)a",
    "(?<=ab|c)x",
    "(?<=a{2})b",
    "[]a]",
    "a{,3}",
    "\\N{U+41}",
  ];
  it.each(ok)("%s", (pattern) => expect(checkPcre(pattern)).toMatchObject({ valid: true }));

  it("calls what it cannot model valid", () => {
    for (const p of ["(?R)", "(a)(?1)", "(*SKIP)(*F)|a", "\\p{Foo}", "(?x) a # c"]) expect(checkPcre(p).valid, p).toBe(true);
  });
});

describe("captures", () => {
  it("counts capturing groups like PCRE2_INFO_CAPTURECOUNT", () => {
    expect(checkPcre("(a)(?:b)(?<n>c)(?=d)").captures).toBe(2);
    expect(checkPcre("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)").captures).toBe(10);
    expect(checkPcre("\\(a\\)[(]").captures).toBe(0);
  });
});

describe("capturesAtLeast (a lower bound on the groups, without checkPcre)", () => {
  it("counts plain groups and is unsure where syntax may hide or number them", () => {
    expect(capturesAtLeast("^/r0/([a-z0-9]+)/?$", 1)).toBe(true);
    expect(capturesAtLeast("^/r0/([a-z0-9]+)/?$", 2)).toBe(false);
    expect(capturesAtLeast("(a)(b)", 2)).toBe(true);
    expect(capturesAtLeast("x", 0)).toBe(true);
    // Not groups: escaped, in a class (a `]` first is literal; [:name:] inside), (?:...).
    for (const p of ["\\(a\\)", "[(]", "[]()]", "[^](]", "[[:alpha:](]", "(?:a)", "\\\\\\(a"]) expect(capturesAtLeast(p, 1), p).toBe(false);
    expect(capturesAtLeast("\\\\(a)", 1)).toBe(true); // an escaped backslash, then a group
    // Unsure: \Q..\E, \c, comments, flags, named or verb groups.
    for (const p of ["\\Q(\\E(a)", "\\c((a)", "(?#(a)(b)", "(?x)#(\n(a)", "(?<n>a)(b)", "(*UTF)(a)"]) expect(capturesAtLeast(p, 1), p).toBe(false);
  });

  it("never claims more groups than PCRE2 counts (generated patterns)", () => {
    const alphabet = [
      "(",
      ")",
      "(?:",
      "(?<n>",
      "(?#",
      "(?x)",
      "(*UTF)",
      "[",
      "]",
      "[^",
      "[:alpha:]",
      "\\",
      "\\Q",
      "\\E",
      "\\c",
      "#",
      "\n",
      "a",
      "|",
      "*",
      "+",
      "?",
      "{2}",
      "^",
      "$",
      ".",
      "%28",
      "é",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }), (parts) => {
        const p = parts.join("");
        const r = checkPcre(normalizeUrlPattern(p));
        if (!r.valid || r.captures === undefined) return;
        expect(capturesAtLeast(p, r.captures + 1), p).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("URL normalization of rewrite patterns", () => {
  it("percent-encodes non-ASCII bytes and upper-cases %xx", () => {
    expect(normalizeUrlPattern("[ä-ö]")).toBe("[%C3%A4-%C3%B6]");
    expect(normalizeUrlPattern("^/a%2fb")).toBe("^/a%2Fb");
    expect(checkPcre(normalizeUrlPattern("[ä-ö]")).valid).toBe(false);
    expect(checkPcre("[ä-ö]").valid).toBe(true);
  });
});

/** Tricky patterns whose verdicts were checked against lighttpd 1.4.69 / PCRE2 10.42. */
const EDGE: string[] = [
  // PCRE2's PARENS_NEST_LIMIT: 250 nested groups compile, 251 do not.
  `^${"(?:".repeat(250)}a${")".repeat(250)}`,
  `^${"(?:".repeat(251)}a${")".repeat(251)}`,
  `${"(".repeat(200)}${"(?=".repeat(51)}a${")".repeat(251)}`,
  "[\\w-.]+",
  "[\\w-]",
  "\\i",
  "\\y",
  "\\l",
  "\\u0041",
  "\\L",
  "(?<=a+)b",
  "(?<=ab|c)x",
  "(a)\\2",
  "[]",
  "[]a]",
  "[[:alpha:]]",
  "[[:foo:]]",
  "[:alpha:]",
  "a{,3}",
  "a++",
  "(?>a)",
  "(?i)A",
  "(?P<n>a)(?P=n)",
  "\\Qa.b\\E",
  "x{2,1}",
  "\\x{41}",
  "\\p{Lu}",
  "(?z)",
  "\\8",
  "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)",
  "\\N",
  "\\K",
  "\\R",
  "\\h",
  "a{1}{2}",
  "**",
  "(?#c)a",
  "\\c",
  "\\cA",
  "\\o{101}",
  "\\g1",
  "(a)\\g{-1}",
  "\\k<x>",
  "(?<x>a)\\k<x>",
  "\\_",
  "\\-",
  "\\/",
  "[\\-]",
  "\\%",
  "a|*",
  "(?",
  ")",
  "(",
  "\\E",
  "[a-\\d]",
  "[\\d-z]",
  "^/(?!api/)(.*)$",
  "^/(.*?)\\.html$",
  "(?i)^/Admin",
  "^/a(?i:b)c",
  "^/foo(?-i)bar",
  "(?<=/)x",
  "(?<!\\.)php$",
  "(?<=a|bc)d",
  "(?<=(a|bc))d",
  "(?<=a{2})b",
  "(?<=a{1,2})b",
  "(?<=\\d{3})x",
  "[z-a]",
  "[a-z0-9_-]",
  "[-a]",
  "[a-]",
  "[^]a]",
  "[^]",
  "a{2}+",
  "a?+",
  "a*?",
  "\\d++",
  "(?|(a)|(b))\\1",
  "(*UTF)a",
  "(*SKIP)(*F)|a",
  "(?R)",
  "(a)(?1)",
  "\\p{Greek}",
  "\\pL",
  "\\X",
  "\\C",
  "\\G",
  "\\A/x\\z",
  "x\\Z",
  "[\\b]",
  "[\\B]",
  "\\B",
  "[\\N]",
  "(?<n>a)(?<n>b)",
  "(?'n'a)\\k'n'",
  "(?P<n>a)\\g{n}",
  "\\g{n}",
  "\\9",
  "(a)\\10",
  "\\012",
  "\\0",
  "[\\0-\\x1f]",
  "\\x",
  "\\x4",
  "\\xZZ",
  "[[:^alpha:]]",
  "[[.a.]]",
  "[[=a=]]",
  "[a[:digit:]-z]",
  "[[:digit:]-z]",
  "a{65536}",
  "a{1,65535}",
  "{",
  "}",
  "]",
  "a{",
  "a{1",
  "a{1,",
  "a{x}",
  "x{1}{2}",
  "^*",
  "$+",
  "\\b+",
  "(?=a)*",
  "(?:)",
  "()",
  "(|)",
  "a||b",
  "\\Q\\E",
  "\\Qab",
  "[\\Q]\\E]",
  "[a\\Q-\\Ez]",
  "\\e\\a\\f",
  "[\\e-\\a]",
  "(?m)^a$",
  "(?s).",
  "(?x) a b # c",
  "(?U)a+",
  "(?J)(?<n>a)|(?<n>b)",
  "(?^)a",
  "(?i-x)a",
  "(?-)a",
  "(?^i:a)",
  "(?&n)(?<n>a)",
  "(*pla:a)b",
  "(?C1)a",
  "(?P>n)(?P<n>a)",
  "\\u{41}",
  "\\N{U+41}",
  "[\\u]",
  "\\F",
  "[\\s-\\w]",
  "[\\s-]",
  "[-\\s]",
  "[%--]",
  "[--/]",
  "[\\--/]",
  "[!--]",
  "[]-a]",
  "[^-a]",
  "\\/+$",
  "^/~([^/]+)(/.*)?$",
  "^/(a|b|c|d|e|f|g|h|i|j)$",
  "(?:a)(?:b)(c)",
  "(?<=^|/)x",
  "(?<=\\b)x",
  "(?<=[ab])c",
  "(?<=\\Qab\\E)c",
  "(?<=a(?=b))c",
  "(?<=(?i)ab)c",
  "(?<=(?:ab|cd))e",
  "(?<=(?:ab|c))e",
  "(?<=ab?)c",
  "(?<=a.)c",
  "(?<=\\.)c",
  "\u00e4+",
  "(?<=\u00e4)b",
  "[\u00e4-\u00f6]",
  "[\u00f6-\u00e4]",
];

/** Every condition regex and rewrite/redirect pattern in the corpus. */
function corpusPatterns(): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const t = fs.readFileSync(p, "latin1");
        for (const m of t.matchAll(/[=!]~\s*"((?:[^"\\]|\\.)*)"/g)) out.add(m[1].replace(/\\"/g, '"'));
        for (const m of t.matchAll(/url\.(?:rewrite[a-z-]*|redirect)\s*[+:]?=\s*\(([\s\S]*?)\n\s*\)/g)) {
          for (const k of m[1].matchAll(/"((?:[^"\\]|\\.)*)"\s*=>/g)) out.add(k[1].replace(/\\"/g, '"'));
        }
      }
    }
  };
  walk(path.join(corpusDir, "upstream"));
  walk(path.join(corpusDir, "wild"));
  return [...out].filter((p) => !p.endsWith("\\"));
}

describeWithLighttpd("agreement with lighttpd -tt (url.rewrite-once keys)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-pcre-"));
  const verdict = (pattern: string): boolean => {
    const file = path.join(dir, "p.conf");
    const escaped = pattern.replace(/"/g, '\\"');
    fs.writeFileSync(file, `server.document-root = "/tmp"\nserver.modules = ( "mod_rewrite" )\nurl.rewrite-once = ( "${escaped}" => "/x" )\n`);
    return runLighttpd("-tt", file).status === 0;
  };
  const patterns = [...EDGE, ...corpusPatterns()];
  it(`agrees on ${patterns.length} patterns (edge cases and the corpus)`, () => {
    expect(patterns.length).toBeGreaterThan(150);
    const disagreements: string[] = [];
    for (const p of patterns) {
      const ours = checkPcre(normalizeUrlPattern(p)).valid;
      if (ours !== verdict(p)) disagreements.push(`${JSON.stringify(p)}: lint says ${ours ? "valid" : "invalid"}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(disagreements).toEqual([]);
  }, 120_000);
});
