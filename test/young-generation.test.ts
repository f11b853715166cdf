/** The CLI's garbage-collector tuning is applied only to V8 releases known to have the flag. */
import { describe, expect, it } from "vitest";
import { keepYoungGenerationSmall } from "../src/cli/young-generation.js";

describe("keepYoungGenerationSmall", () => {
  it("sets the flag on this Node's V8 when it is one of the known releases", () => {
    const major = Number(process.versions.v8.split(".")[0]);
    expect(keepYoungGenerationSmall()).toBe(major >= 10 && major <= 13);
  });

  it("leaves unknown V8 releases alone (a flag they lack would print an error)", () => {
    expect(keepYoungGenerationSmall("9.4.146.26")).toBe(false);
    expect(keepYoungGenerationSmall("14.1.0.0")).toBe(false);
    expect(keepYoungGenerationSmall("not a version")).toBe(false);
  });
});
