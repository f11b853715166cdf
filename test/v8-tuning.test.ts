/** The CLI's garbage-collector tuning is applied only to V8 releases known to have the flag. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tuneForLargeInput, LARGE_INPUT_BYTES, namesLargeFile, wantsLargeInputTuning } from "../src/cli/v8-tuning.js";

describe("tuneForLargeInput", () => {
  it("sets the flag on this Node's V8 when it is one of the known releases", () => {
    const major = Number(process.versions.v8.split(".")[0]);
    expect(tuneForLargeInput()).toBe(major >= 10 && major <= 13);
  });

  it("leaves unknown V8 releases alone (a flag they lack would print an error)", () => {
    expect(tuneForLargeInput("9.4.146.26")).toBe(false);
    expect(tuneForLargeInput("14.1.0.0")).toBe(false);
    expect(tuneForLargeInput("not a version")).toBe(false);
  });
});

describe("namesLargeFile", () => {
  it("is true only for a regular file of LARGE_INPUT_BYTES or more named as an argument", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighttpd-lint-young-"));
    const small = path.join(dir, "small.conf");
    const large = path.join(dir, "large.conf");
    fs.writeFileSync(small, "server.port = 80\n");
    fs.writeFileSync(large, Buffer.alloc(LARGE_INPUT_BYTES, 0x23));
    expect(namesLargeFile([small])).toBe(false);
    expect(namesLargeFile(["--format", "json", small, dir])).toBe(false);
    expect(namesLargeFile(["dump", large])).toBe(true);
    expect(namesLargeFile([`--config=${large}`])).toBe(false);
    expect(namesLargeFile([path.join(dir, "missing.conf")])).toBe(false);
    // --fix and --diff lint again and again and drop what they made: not for them
    expect(wantsLargeInputTuning([large])).toBe(true);
    expect(wantsLargeInputTuning(["dump", large])).toBe(true);
    for (const flag of ["--fix", "--diff", "--fix-dry-run", "--fix=true"]) expect(wantsLargeInputTuning([flag, large])).toBe(false);
    expect(wantsLargeInputTuning(["--fix", small])).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
