/**
 * `lighttpd-lint fmt` (src/fmt): the layout it produces, what it keeps byte for byte, what it
 * refuses, and the command line. That lighttpd reads the output the same is proven against the
 * real binaries in test/oracle/fmt.test.ts; idempotence on random configs in test/property/.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatText, type FormatOptions } from "../src/fmt/format.js";
import { tokenize } from "../grammar/tokenizer.js";
import * as T from "../grammar/tokens.js";
import { corpusDir, listSharedFiles } from "./helpers/lighttpd.js";
import { ensureBuilt, runCli, tempDir, useTempDirs } from "./cli-helpers.js";

const fmt = (text: string, o: Partial<FormatOptions> = {}): string => {
  const r = formatText(text, { version: "1.4.69", ...o });
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

/** The significant tokens but commas, and the comments: what formatting must never change. */
function essence(text: string, version = "1.4.69"): { tokens: string[]; comments: string[] } {
  const { all } = tokenize(text, version);
  return {
    tokens: all.filter((t) => !t.tokenType.trivia && t.tokenType !== T.Comma && t.tokenType !== T.Eol).map((t) => t.image),
    comments: all.filter((t) => t.tokenType === T.Comment).map((t) => t.image.trimEnd()),
  };
}

describe("layout", () => {
  it("indents blocks by 4 spaces, puts else on its own line, splits statements after '{'", () => {
    expect(fmt('$HTTP["host"]=="a" { x = 1\n} else $HTTP [ "host" ]  =~  "b" {\ny="2" }\nelse {\n}\n')).toBe(
      '$HTTP["host"] == "a" {\n    x = 1\n}\nelse $HTTP["host"] =~ "b" {\n    y = "2"\n}\nelse {\n}\n',
    );
  });

  it("keeps a short one-line list on one line and splits a long one, one element per line with a trailing comma", () => {
    expect(fmt('index-file.names = ( "index.php" ,"index.html",)\n')).toBe('index-file.names = ("index.php", "index.html")\n');
    const long = `server.modules = (${Array.from({ length: 12 }, (_, k) => `"mod_m${k}"`).join(", ")})\n`;
    expect(fmt(long)).toBe(`server.modules = (\n${Array.from({ length: 12 }, (_, k) => `    "mod_m${k}",\n`).join("")})\n`);
  });

  it("keeps a list written over several lines split, nested lists indented", () => {
    expect(fmt('fastcgi.server = ( ".php" =>\n ( "localhost" => ( "socket" => "/run/php.sock", "bin-path" => "/usr/bin/php-cgi" ) ) )\n')).toBe(
      'fastcgi.server = (\n    ".php" => ("localhost" => ("socket" => "/run/php.sock", "bin-path" => "/usr/bin/php-cgi")),\n)\n',
    );
    expect(fmt('a = (\n"x" => (\n"y" => 1 ) )\n')).toBe('a = (\n    "x" => (\n        "y" => 1,\n    ),\n)\n');
  });

  it("adds a trailing comma only for releases whose grammar has `aelements ::= aelements COMMA`", () => {
    expect(fmt('a = (\n"x",\n"y")\n', { version: "1.4.59" })).toBe('a = (\n    "x",\n    "y",\n)\n');
    expect(fmt('a = (\n"x",\n"y")\n', { version: "1.4.55" })).toBe('a = (\n    "x",\n    "y"\n)\n');
    // An existing trailing comma stays whatever the target.
    expect(fmt('a = (\n"x",\n"y",)\n', { version: "1.4.55" })).toBe('a = (\n    "x",\n    "y",\n)\n');
  });

  it("aligns '=>' only when asked", () => {
    const src = 'a = (\n"x" => 1,\n"longer" => 2,\n)\n';
    expect(fmt(src)).toBe('a = (\n    "x" => 1,\n    "longer" => 2,\n)\n');
    expect(fmt(src, { alignArrows: true })).toBe('a = (\n    "x"      => 1,\n    "longer" => 2,\n)\n');
  });

  it("honours indent, line ends (CRLF) and the blank-line cap", () => {
    expect(fmt("a = 1\r\n\r\n\r\n\r\nb = 2\r\n", { indent: 2 })).toBe("a = 1\r\n\r\nb = 2\r\n");
    expect(fmt("a = 1\n\n\n\nb = 2\n", { maxBlankLines: 2 })).toBe("a = 1\n\n\nb = 2\n");
    expect(fmt("global {\na = 1\n}\n", { indent: 2 })).toBe("global {\n  a = 1\n}\n");
  });
});

describe("what it keeps", () => {
  it("keeps every comment on its statement, and blank lines (capped, never removed)", () => {
    const src =
      'a = ( # open\n  "x", # on x\n  # before y\n\n\n  "y" # on y\n  # at the end\n) # after\n\n\n# own line\n$HTTP["host"] == "h" { # on the block\n  b = 1 # on b\n\n} # end\n';
    expect(fmt(src)).toBe(
      'a = ( # open\n    "x", # on x\n    # before y\n\n    "y", # on y\n    # at the end\n) # after\n\n# own line\n$HTTP["host"] == "h" { # on the block\n    b = 1 # on b\n\n} # end\n',
    );
  });

  it("keeps strings, regexes, numbers and include arguments byte for byte", () => {
    const src = 'url.rewrite-once = ( "^/(.*)\\\\.(js|css)$"=>"/x?$1\\"" )\ninclude   "conf.d/*.conf"\ninclude_shell "cat  /x"\nserver.port=080\nvar.s = "a" +  var.t+"  b  "\n';
    const out = fmt(src);
    expect(essence(out)).toEqual(essence(src));
    expect(out).toBe(
      'url.rewrite-once = ("^/(.*)\\\\.(js|css)$" => "/x?$1\\"")\ninclude "conf.d/*.conf"\ninclude_shell "cat  /x"\nserver.port = 080\nvar.s = "a" + var.t + "  b  "\n',
    );
  });

  it("keeps a comment inside a list element in place, the element going on below it", () => {
    const src = 'fastcgi.server = ( ".php" => # PHP\n ( "localhost" => ( "socket" => "/run/php.sock" ) ), "x" # c1\n # c2\n , "y" )\n';
    const out = fmt(src);
    expect(out).toBe('fastcgi.server = (\n    ".php" => # PHP\n        ("localhost" => ("socket" => "/run/php.sock")),\n    "x", # c1\n    # c2\n    "y",\n)\n');
    expect(essence(out)).toEqual(essence(src));
    expect(fmt(out)).toBe(out);
  });

  it("leaves a '# lighttpd-lint-fmt: off' region as written, up to '# lighttpd-lint-fmt: on'", () => {
    const src =
      'a=1\n# lighttpd-lint-fmt: off\nb  =  (  "x",\n         "y")\n  c=2\n  # lighttpd-lint-fmt: on\nd=3\n$HTTP["url"]=~"x" {\n# lighttpd-lint-fmt: off\n  e  = 1\n}\nf=4\n';
    expect(fmt(src)).toBe(
      'a = 1\n# lighttpd-lint-fmt: off\nb  =  (  "x",\n         "y")\n  c=2\n# lighttpd-lint-fmt: on\nd = 3\n$HTTP["url"] =~ "x" {\n    # lighttpd-lint-fmt: off\n  e  = 1\n}\nf = 4\n',
    );
  });
});

describe("what it refuses", () => {
  const refused = (text: string, version = "1.4.69") => {
    const r = formatText(text, { version });
    expect(r.ok).toBe(false);
    return r.ok ? "" : r.reason;
  };
  it("a syntax error", () => expect(refused('a = (\n"x"\n')).toMatch(/syntax error/));
  it("a stray token lighttpd silently drops (the missing comma)", () => expect(refused('a = ("x" "y")\n')).toMatch(/stray token/));
  it("a comma outside a list", () => expect(refused('a = "x",\n')).toMatch(/outside a list/));
  it("'if' before '$' in 1.4.74+", () => expect(refused('if $HTTP["host"] == "x" {\n}\n', "1.4.74")).toMatch(/'if'/));
});

describe("on the corpus (no binary needed)", () => {
  const files = listSharedFiles(corpusDir).filter((f) => !f.includes(`${path.sep}lighttpd2${path.sep}`));
  it.skipIf(files.length === 0)(`is idempotent and keeps tokens and comments (${files.length} files)`, () => {
    let formatted = 0;
    for (const f of files) {
      const text = fs.readFileSync(f).toString("latin1");
      const r = formatText(text, { version: "1.4.69" });
      if (!r.ok) continue;
      formatted++;
      expect(essence(r.text), f).toEqual(essence(text));
      const again = formatText(r.text, { version: "1.4.69" });
      expect(again.ok && again.text, f).toBe(r.text);
    }
    expect(formatted).toBeGreaterThan(files.length * 0.9);
  });
});

describe("lighttpd-lint fmt (CLI)", () => {
  beforeAll(ensureBuilt);
  useTempDirs();
  const UGLY = 'a=( "x" ,"y" )\n$HTTP["host"]=="h" {\nb=1\n}\n';
  const PRETTY = 'a = ("x", "y")\n$HTTP["host"] == "h" {\n    b = 1\n}\n';

  it("rewrites files and directories in place, and a second run changes nothing", () => {
    const dir = tempDir({ "lighttpd.conf": UGLY, "conf.d/x.conf": UGLY, "notes.txt": UGLY });
    const r = runCli(["fmt", dir]);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "lighttpd.conf"), "utf8")).toBe(PRETTY);
    expect(fs.readFileSync(path.join(dir, "conf.d/x.conf"), "utf8")).toBe(PRETTY);
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe(UGLY);
    expect(runCli(["fmt", "--check", dir]).status).toBe(0);
  });

  it("--check exits 1 when a file would change and writes nothing; --diff prints a unified diff", () => {
    const dir = tempDir({ "a.conf": UGLY });
    const file = path.join(dir, "a.conf");
    const c = runCli(["fmt", "--check", file]);
    expect(c.status).toBe(1);
    expect(c.stderr).toContain("would be reformatted");
    const d = runCli(["fmt", "--diff", file]);
    expect(d.status).toBe(0);
    expect(d.stdout).toContain('\n-a=( "x" ,"y" )\n');
    expect(d.stdout).toContain('\n+a = ("x", "y")\n');
    expect(fs.readFileSync(file, "utf8")).toBe(UGLY);
  });

  it("formats stdin to stdout ('-'), and passes a refused input through unchanged with a message", () => {
    const r = runCli(["fmt", "-"], { input: UGLY });
    expect(r.stdout).toBe(PRETTY);
    expect(r.status).toBe(0);
    const bad = 'a = ("x" "y")\n';
    const b = runCli(["fmt", "--lighttpd-version", "1.4.69"], { input: bad });
    expect(b.stdout).toBe(bad);
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/<stdin>:1:10: left alone: .*stray token/);
  });
});
