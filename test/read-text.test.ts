/**
 * A file the evaluator reads as text (EvaluateOptions.readText: the language server's open buffers)
 * is read exactly as its UTF-8 bytes would be: same text, same findings, binary data and lone
 * surrogates included.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../src/eval/evaluate.js";
import { encodeText } from "../src/parse/source.js";

const MAIN = "/cfg/lighttpd.conf";
const options = { version: "1.4.69", cwd: "/cfg", env: {}, pid: 1 };

function viaText(text: string) {
  return evaluate(MAIN, { ...options, readText: (f) => (f === MAIN ? text : undefined), readFile: () => undefined });
}

function viaBytes(text: string) {
  return evaluate(MAIN, { ...options, readFile: (f) => (f === MAIN ? encodeText(text) : undefined) });
}

describe("a file read as text", () => {
  const texts = {
    plain: 'server.port = 80\nx.a = ("k" => "v")\n',
    "non-ASCII": 'server.tag = "café ☕"\n',
    "a lone surrogate": 'server.tag = "\ud800"\n',
    "a NUL": "server.port = 80\n\0rest\n",
    "control bytes": "\u0001\u0002\u0003\u0004".repeat(100),
    "many NULs after 8 KiB of text": `${"# comment\n".repeat(900)}${"\0".repeat(20)}`,
  };
  for (const [name, text] of Object.entries(texts)) {
    it(`is read as its bytes are: ${name}`, () => {
      const a = viaText(text);
      const b = viaBytes(text);
      expect(a.diagnostics).toEqual(b.diagnostics);
      expect([...a.files.values()].map((f) => [f.path, f.text, f.encoding])).toEqual([...b.files.values()].map((f) => [f.path, f.text, f.encoding]));
    });
  }

  it("counts as existing for include and an include of it reads its text", () => {
    const inc = "/cfg/inc.conf";
    const config = evaluate(MAIN, {
      ...options,
      readText: (f) => (f === MAIN ? 'include "inc.conf"\n' : f === inc ? "server.port = 81\n" : undefined),
      readFile: () => undefined,
    });
    expect(config.diagnostics.filter((d) => d.ruleId === "include-not-found")).toEqual([]);
    expect(config.files.get(inc)?.text).toBe("server.port = 81\n");
  });
});
