/**
 * dumpConfig's output format, checked against a `lighttpd -p` output recorded from lighttpd 1.4.69
 * (so it runs without the binary): alignment, one-line and multi-line lists, nested lists,
 * regex simplification, else chains, `# block N`, and the two values config_insert() rewrites.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { evaluate } from "../src/eval/evaluate.js";
import { dumpConfig, formatValue, writeDump } from "../src/eval/dump.js";
import { generateConfig } from "../bench/generate.mjs";

const CONFIG = `a = ("x", 1, "q\\"q")
b = ("1", "2", "3", "4", "5", "6")
c = ("k" => "v", "long-key" => ("n" => 1))
d = (("a"), "b")
server.tag = "line1
line2"
mimetype.assign = (".JS" => "application/javascript")
$HTTP["url"] =~ "^/a" {
  e = 1
  $HTTP["host"] == "x" { }
} else $HTTP["url"] =~ "\\.php$" {
} else {
  f = 2
}
$HTTP["url"] == "/a" { } else { $HTTP["host"] == "x" { g = 1 } }
$HTTP["url"] == "/b" { } else { $HTTP["host"] == "x" { h = 1 } }
`;

// Recorded with: lighttpd -p -f fmt.conf (cwd and pid replaced).
const EXPECTED = `config {
    var.CWD         = "/CWD"
    var.PID         = 7
    var.a           = ("x", 1, "q\\"q")
    var.b           = (
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    )
    var.c           = (
        "k"        => "v",
        "long-key" => (
            "n" => 1,
        ),
    )
    var.d           = (
        ("a"),
        "b",
    )
    server.tag      = "line1
 line2"
    mimetype.assign = (
        ".JS" => "text/javascript",
    )


    $HTTP["url"] =^ "/a" {
        # block 1
        var.e = 1


        $HTTP["host"] == "x" {
            # block 2

        } # end of $HTTP["host"] == "x"
    } # end of $HTTP["url"] =^ "/a"
    else $HTTP["url"] =$ ".php" {
        # block 3

    } # end of $HTTP["url"] =$ ".php"
    else {
        # block 4
        var.f = 2

    } # end of else

    $HTTP["url"] == "/a" {
        # block 5

    } # end of $HTTP["url"] == "/a"
    else {
        # block 6


        $HTTP["host"] == "x" {
            # block 7
            var.g = 1
            var.h = 1

        } # end of $HTTP["host"] == "x"
    } # end of else

    $HTTP["url"] == "/b" {
        # block 8

    } # end of $HTTP["url"] == "/b"
    else {
        # block 9

    } # end of else
}
`;

it("prints exactly what lighttpd -p prints", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-dump-format-"));
  try {
    const file = path.join(dir, "fmt.conf");
    fs.writeFileSync(file, CONFIG);
    const config = evaluate(file, { version: "1.4.69", cwd: "/CWD", pid: 7, env: {} });
    expect(config.diagnostics).toEqual([]);
    expect(dumpConfig(config)).toBe(EXPECTED);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("formats single values", () => {
  // Only '"' is escaped; a backslash is printed as it is.
  expect(formatValue({ type: "string", value: String.raw`a"b\c` })).toBe(String.raw`"a\"b\c"`);
  expect(formatValue({ type: "integer", value: -5 })).toBe("-5");
  expect(formatValue({ type: "array", items: [] })).toBe("()");
  // An empty key is still a key: the list is printed one element per line.
  expect(formatValue({ type: "array", items: [{ key: "", value: { type: "integer", value: 1 } }] })).toBe('(\n    "" => 1,\n)');
});

it("streams a large dump in bounded chunks that add up to the whole text", () => {
  // 3000 generated lines print about 180 KB: several chunks, each a bounded piece of the text.
  const text = generateConfig(3000);
  const file = "/virtual/big.conf";
  const bytes = Buffer.from(text);
  const config = evaluate(file, { version: "1.4.69", cwd: "/CWD", pid: 7, env: {}, readFile: (f) => (f === file ? bytes : undefined) });
  const chunks: string[] = [];
  writeDump(config, (c) => void chunks.push(c));
  const whole = dumpConfig(config);
  expect(chunks.join("")).toBe(whole);
  expect(chunks.length).toBeGreaterThan(2);
  for (const c of chunks) expect(c.length).toBeLessThan(70 * 1024);
  expect(whole.split("\n").filter((l) => l.includes('=> "/r0.php?site=')).length).toBeGreaterThan(10);
});
