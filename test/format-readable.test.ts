/** Stylish output readable at a glance: a short first clause, the enclosing conditions, the include chain. */
import { describe, expect, it } from "vitest";
import { enclosingConditions } from "../src/format/context.js";
import { splitMessage } from "../src/format/message.js";
import { lintText } from "../src/linter.js";
import { formatStylish } from "../src/format/stylish.js";
import type { FileResult } from "../src/engine/lint.js";

describe("splitMessage", () => {
  it("keeps short messages whole", () => {
    expect(splitMessage("unknown key sever.accesslog: lighttpd ignores it")).toEqual({ summary: "unknown key sever.accesslog: lighttpd ignores it" });
  });

  it("cuts long ones at the first clause that says something, outside quotes, keeping the rest as detail", () => {
    const m =
      'fastcgi.server ".php": socket "/tmp/php.sock" is in /tmp: any local user can create that name in the world-writable /tmp before lighttpd does and receive every request. Move it to /run/lighttpd';
    const s = splitMessage(m);
    expect(s.summary).toBe('fastcgi.server ".php": socket "/tmp/php.sock" is in /tmp');
    expect(`${s.summary}: ${s.detail}`).toBe(m);
  });

  it("does not cut between a colon and the object it introduces, nor inside quotes or parentheses", () => {
    const m =
      "include file not found: conf-enabled/90-javascript-alias.conf (relative include paths are resolved against the main config's directory /etc/x/, not the including file's)";
    expect(splitMessage(m).summary).toBe("include file not found: conf-enabled/90-javascript-alias.conf");
    const q = 'url.rewrite pattern "^/a: (b). C" also matches "/afoo" and "/a-old/...", not only "/a" and the paths below it, which is rarely meant';
    expect(splitMessage(q).summary.startsWith('url.rewrite pattern "^/a: (b). C" also matches')).toBe(true);
  });
});

describe("enclosingConditions", () => {
  it("lists the condition headers around an offset, outermost first, with else branches", () => {
    const text = '$HTTP["host"] == "a" {\n  $HTTP["url"] =~ "^/x" {\n    server.tag = "1"\n  }\n}\nelse $HTTP["host"] == "b" {\n  server.tag = "2"\n}\nserver.tag = "3"\n';
    const [a, b, c] = enclosingConditions(
      text,
      ['"1"', '"2"', '"3"'].map((s) => ({ start: text.indexOf(s) })),
    );
    expect(a).toEqual(['$HTTP["host"] == "a"', '$HTTP["url"] =~ "^/x"']);
    expect(b).toEqual(['else $HTTP["host"] == "b"']);
    expect(c).toEqual([]);
  });

  it("the engine puts them on each finding from its own parse, with the formatter's answer", () => {
    const text = 'server.tag = "0"\n$HTTP["host"] == "a" {\n  sever.tag = "1"\n  global { sever.tag = "x" }\n}\nelse {\n  sever.tag = "2"\n}\nsever.tag = "3"\n';
    const r = lintText(text, "/c/lighttpd.conf", { project: { lighttpdVersion: "1.4.69", rules: {} } });
    const found = r.files[0].diagnostics.filter((d) => d.ruleId === "unknown-key");
    expect(found.map((d) => d.conditions)).toEqual([['$HTTP["host"] == "a"'], ['$HTTP["host"] == "a"', "global"], ["else"], []]);
    // without them (a finding made outside a lint) the formatter parses the file for the same answer
    expect(
      enclosingConditions(
        text,
        found.map((d) => ({ start: d.start })),
      ),
    ).toEqual(found.map((d) => d.conditions));
  });
});

describe("stylish", () => {
  it("prints the short clause, the conditions under the finding and the include chain by the file name", () => {
    const main = 'include "inc.conf"\n';
    const inc = '$HTTP["host"] == "a" {\n  debug.log-request-handling = "enable"\n}\n';
    const message = "debug.log-request-handling is on: lighttpd writes request details to the error log for every request it concerns, which grows fast";
    const start = inc.indexOf('"enable"');
    const results: FileResult[] = [
      { filePath: "/c/lighttpd.conf", text: main, diagnostics: [], includeChain: [] },
      {
        filePath: "/c/inc.conf",
        text: inc,
        diagnostics: [{ ruleId: "debug-enabled", severity: "info", message, file: "/c/inc.conf", start, end: start + 8 }],
        includeChain: [{ file: "/c/lighttpd.conf", start: 0, end: 18 }],
      },
    ];
    const out = formatStylish(results, { color: false, cwd: "/c" });
    expect(out).toContain("inc.conf  (included from lighttpd.conf:1)");
    expect(out).toContain("info  debug.log-request-handling is on  debug-enabled");
    expect(out).not.toContain("grows fast");
    expect(out).toContain('    in $HTTP["host"] == "a"\n');
  });
});
