/** host-condition's regex readers: when a pattern can only match upper case, or cannot match a ":port". */
import { describe, expect, it } from "vitest";
import { endAnchoredWithoutPort, requiredUppercase, socketPort } from "../rules/host-condition.js";

describe("requiredUppercase", () => {
  const cases: [string, string | undefined][] = [
    ["^www\\.Example\\.com$", "E"],
    ["SERVERNAME", "S"],
    ["^(www\\.)?Example\\.org$", "E"],
    ["^www\\.example\\.com$", undefined],
    ["^[A-Z]+\\.example", undefined], // a class
    ["^\\w+\\.example\\.D", "D"],
    ["^\\W\\D\\S", undefined], // escapes
    ["^(Www\\.)?example", undefined], // inside a group
    ["^wwW?\\.example", undefined], // optional
    ["^X{0,1}example", undefined],
    ["(?i)Example", undefined], // inline option
    ["Example|example", undefined], // alternatives
    ["\\QExample\\E", undefined],
    ["\\x{41}bc", undefined],
    ["[]A]bc", undefined], // "]" first in the class is literal
    ["[^]A]Bc", "B"],
  ];
  for (const [pattern, expected] of cases) it(`${pattern} -> ${String(expected)}`, () => expect(requiredUppercase(pattern)).toBe(expected));
});

describe("endAnchoredWithoutPort", () => {
  const cases: [string, boolean][] = [
    ["^www\\.example\\.com$", true],
    ["example\\.org$", true],
    ["^host1$", true],
    ["^www\\.(.*)$", false],
    ["^static\\..*$", false],
    ["^dynamic\\.local(\\:[0-9]*)?$", false],
    ["^example\\.com(:[0-9]+)?$", false],
    ["^example\\.com", false],
    ["^[a-z]+\\d$", false], // \d could be the port's last digit
    ["^a\\\\b$", true], // an escaped backslash, then a literal b
    ["^a|b$", false],
    ["^a\\$", false],
  ];
  for (const [pattern, expected] of cases) it(`${pattern} -> ${expected}`, () => expect(endAnchoredWithoutPort(pattern)).toBe(expected));
});

describe("socketPort", () => {
  const cases: [string, number | undefined][] = [
    [":8080", 8080],
    ["0.0.0.0:81", 81],
    ["[::]:8443", 8443],
    ["[::1]", undefined],
    ["/run/lighttpd.sock", undefined],
    ["127.0.0.1", undefined],
  ];
  for (const [value, expected] of cases) it(`${value} -> ${String(expected)}`, () => expect(socketPort(value)).toBe(expected));
});
