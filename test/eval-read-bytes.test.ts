/**
 * A file's bytes are dropped before it is parsed (src/eval/evaluate.ts readDecoded): held by a frame
 * that goes on to parse, a large config's buffer survived the parse's young-generation collections,
 * was promoted, and stayed (outside V8's heap) until a full collection, often the end of the run:
 * 5 MB of a 5 MB lint's peak memory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { expect, it } from "vitest";
import { evaluate } from "../src/eval/evaluate.js";

/** What the parse of each file finds held in array buffers (after a full collection), beyond what was before. */
function heldWhileParsing(files: Record<string, string>): number[] {
  v8.setFlagsFromString("--expose-gc");
  // Freed buffers are otherwise swept on a background thread after the collection: on a busy machine
  // memoryUsage() would still count some (this test failed once in five under load without it).
  v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
  const gc = vm.runInNewContext("gc") as () => void;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-read-bytes-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const during: number[] = [];
    const config = evaluate(path.join(dir, "lighttpd.conf"), {
      version: "1.4.69",
      cwd: dir,
      parse: () => {
        gc();
        during.push(process.memoryUsage().arrayBuffers - before);
        return undefined; // the evaluator parses as usual
      },
    });
    expect(config.contexts.length).toBeGreaterThan(0);
    return during;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SIZE = 4 << 20;
const padding = `# ${"x".repeat(60)}\n`.repeat(Math.ceil(SIZE / 63));

it("no longer holds a large main config's bytes while it is parsed", () => {
  const [main] = heldWhileParsing({ "lighttpd.conf": `server.port = 80\n${padding}` });
  expect(main).toBeLessThan(SIZE / 4);
});

it("no longer holds a large include's bytes while it is parsed", () => {
  const during = heldWhileParsing({ "lighttpd.conf": 'server.port = 80\ninclude "big.conf"\n', "big.conf": `server.tag = "x"\n${padding}` });
  expect(during).toHaveLength(2);
  expect(during[1]).toBeLessThan(SIZE / 4);
});
