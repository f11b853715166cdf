/**
 * condition-nesting skips the stack simulation for files whose blocks and lists nest shallowly
 * (cannotOverflow). The bound must hold for every shape: with small stack limits, generated nested
 * configs that the simulation finds overflowing must never be ones the bound calls safe.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cannotOverflow, parserStackOverflow } from "../rules/condition-nesting.js";
import { parseConfig } from "../src/parse/parse.js";

const runs = Number(process.env.FUZZ_RUNS ?? 300);

/** A value nested `lists` levels deep (keyed or not), or a `+` chain. */
const value = (lists: number, keyed: boolean, plus: number): string => {
  let v = '"v"';
  for (let i = 0; i < plus; i++) v += ` + "p${i}"`;
  for (let i = 0; i < lists; i++) v = keyed ? `( "k${i}" => ${v}, "z" )` : `( "a", ${v} )`;
  return v;
};

type Shape = { kind: "plain" | "elseCond" | "elseCondNextLine" | "else" | "global"; listInCondition: number };

const shape = fc.record({
  kind: fc.constantFrom("plain", "elseCond", "elseCondNextLine", "else", "global"),
  listInCondition: fc.integer({ min: 0, max: 2 }),
}) as fc.Arbitrary<Shape>;

/** Blocks of the given shapes around an assignment of a nested value. */
function nestedText(shapes: Shape[], lists: number, keyed: boolean, plus: number): string {
  let open = "";
  let close = "";
  shapes.forEach((s, i) => {
    const cond = `$HTTP["url"] =~ ${s.listInCondition ? value(s.listInCondition, false, 0) : `"^/${i}"`}`;
    if (s.kind === "plain") open += `${cond} {\n`;
    else if (s.kind === "elseCond") open += `$HTTP["host"] == "a${i}" { } else ${cond} {\n`;
    else if (s.kind === "elseCondNextLine") open += `$HTTP["host"] == "a${i}" { }\nelse ${cond} {\n`;
    else if (s.kind === "else") open += `$HTTP["host"] == "a${i}" { }\nelse {\n`;
    else open += "global {\n";
    close = `}\n${close}`;
  });
  return `${open}var.x = ${value(lists, keyed, plus)}\n${close}`;
}

describe("condition-nesting: the shallow-file bound", () => {
  it(`never calls a file safe that overflows a smaller stack (${runs} runs)`, () => {
    let overflows = 0;
    fc.assert(
      fc.property(
        fc.array(shape, { maxLength: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 4, max: 60 }),
        (shapes, lists, keyed, plus, limit) => {
          const parse = parseConfig(nestedText(shapes, lists, keyed, plus), { version: "1.4.69" });
          if (parserStackOverflow(parse.tree.body, limit)) {
            overflows++;
            expect(cannotOverflow(parse.nesting, limit)).toBe(false);
          }
        },
      ),
      { numRuns: runs },
    );
    // The property was tested on overflowing files, not only on safe ones.
    expect(overflows).toBeGreaterThan(runs / 10);
  });

  it("walks the files that can overflow lighttpd's real stack (16 else $COND blocks)", () => {
    const parse = parseConfig(
      nestedText(
        Array.from({ length: 16 }, () => ({ kind: "elseCond", listInCondition: 0 })),
        0,
        false,
        0,
      ),
      { version: "1.4.69" },
    );
    expect(cannotOverflow(parse.nesting)).toBe(false);
    expect(parserStackOverflow(parse.tree.body)).toBeDefined();
  });
});
