/**
 * override-after-use: a key or variable read before a later `:=` or `+=` changes it. configparser.y
 * copies a variable's value where it is read (`value ::= key`: configparser_get_variable), so
 * `var.y = server.port`, `$SERVER["socket"] == ":" + server.port` and
 * `include_shell "use-ipv6.pl " + server.port` keep the value of that moment; a later
 * `server.port := 8080` (Pi-hole's external.conf) changes only server.port itself, and
 * `lighttpd -p` prints the old value in every earlier use. A `+=` inside a block copies the
 * enclosing value the same way (configparser.y: the `+=` with no value in the block), so a later
 * `+=` in the enclosing scope does not reach the block.
 */
import type { Rule } from "../src/engine/types.js";
import type { AssignmentSite, Value } from "../src/eval/model.js";
import { formatValue } from "../src/eval/dump.js";

/** Whether a value has more than `limit` parts (lists nest and share parts: `var.a := (var.a, var.a)` doubles). */
function larger(value: Value, limit: number): boolean {
  let count = 0;
  const stack: Value[] = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (++count > limit) return true;
    if (v.type === "array") for (const item of v.items) stack.push(item.value);
  }
  return false;
}

/** A short text for a value in a message (printing a huge value would cost its whole size). */
function show(value: Value, version: string | undefined): string {
  if (value.type === "array" && larger(value, 200)) return `a list of more than 200 values`;
  const text = formatValue(value, 0, version)
    .replace(/\s*\n\s*/g, " ")
    .replace(/,\s*\)/g, " )");
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const rule: Rule = {
  meta: {
    id: "override-after-use",
    description: "A value read before a later := or += changes it: the earlier use keeps the old value",
    severity: "warning",
    fixable: false,
    effect: "misread",
  },
  check(context) {
    const config = context.config;
    const version = config.version;
    for (const read of config.reads ?? []) {
      const setting = read.setting;
      if (setting.predefined && setting.sites.length === 0) continue;
      // A read inside an assignment to the same key (`var.x := var.x + "/a"`) flows into the key
      // itself: what comes later is built from it, nothing keeps a stale copy.
      if (setting.sites.some((s: AssignmentSite) => s.file === read.file && s.node.start <= read.start && read.end <= s.node.end)) continue;
      // the assignments that ran after this read, leaving out the statement that contains it (`var.x := var.x + "/a"`)
      const later = setting.sites
        .slice(read.sitesBefore)
        .filter((s: AssignmentSite) => (s.operator === ":=" || s.operator === "+=") && !(s.file === read.file && s.node.start <= read.start && read.end <= s.node.end));
      if (later.length === 0) continue;
      if (setting.value.type === "unknown" || read.value.type === "unknown") continue;
      const before = show(read.value, version);
      const after = show(setting.value, version);
      if (before === after) continue;
      const first = later[0];
      const key = first.node.key;
      const what = read.inherited
        ? `this "+=" copies ${read.key} from the enclosing scope as ${before}, but ${key.image} ${first.operator} later changes it there (to ${after}): lighttpd copies the value into this block here, so the block keeps ${before} plus its own part`
        : `${read.key} is read here as ${before}, but ${key.image} ${first.operator} later changes it (to ${after}): lighttpd copies a value where it is read, so this use keeps ${before}`;
      context.report({
        message: `${what}. Move the ${first.operator} before this line, or set the value once`,
        file: read.file,
        start: read.start,
        end: read.end,
        related: later.map((s) => ({
          message: `${s.node.key.image} ${s.operator} here`,
          file: s.file,
          start: s.node.key.startOffset,
          end: s.node.key.startOffset + s.node.key.image.length,
        })),
      });
    }
  },
};

export default rule;
