/**
 * Running a pattern taken from a config (which may be hostile) against a string, with a time
 * bound: a catastrophic pattern such as `^(a+)+$` cannot hang the linter. Returns undefined when the
 * pattern cannot be run (invalid in JavaScript) or takes too long, so callers treat it as unknown.
 */
import vm from "node:vm";

const script = new vm.Script("new RegExp(pattern).test(input)");

export function safeRegexTest(pattern: string, input: string, timeoutMs = 50): boolean | undefined {
  try {
    return script.runInNewContext({ pattern, input }, { timeout: timeoutMs }) === true;
  } catch {
    return undefined;
  }
}
