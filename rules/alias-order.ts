/**
 * alias-order: mod_alias takes the first key (in array order) that is a prefix of the URL, so a
 * key listed after a shorter key it starts with can never match. lighttpd refuses to start when it
 * notices ("alias.url: `%s' will never match as `%s' matched first", mod_alias_check_order), but
 * its check only compares neighbouring entries: other shadowed keys are silently dead.
 */
import type { Rule } from "../src/engine/types.js";
import type { ArrayNode } from "../src/ast/nodes.js";
import type { ArrayItem } from "../src/eval/model.js";
import { hasUnknown, moveElementBefore, settingRange, settingsNamed, sourceText } from "../src/engine/config-query.js";

/** mod_alias_check_order's own test (1.4.69): stops at the first following key that does not share the prefix. */
function lighttpdNotices(items: ArrayItem[], j: number, k: number): boolean {
  const prefix = items[j].key!;
  for (let m = j + 1; m < items.length; m++) {
    const key = items[m].key ?? "";
    if (key.length < prefix.length || !key.startsWith(prefix)) return false;
    if (m === k) return true;
  }
  return false;
}

function containingArray(item: ArrayItem, text: string | undefined, arrays: ArrayNode[]): ArrayNode | undefined {
  if (!text || !item.element) return undefined;
  return arrays.find((a) => a.elements.includes(item.element!));
}

const rule: Rule = {
  meta: {
    id: "alias-order",
    description: "An alias.url key that can never match because an earlier key is its prefix",
    severity: "error",
    fixable: "fix",
    effect: "ignored",
  },
  check(context) {
    const { config } = context;
    for (const { setting } of settingsNamed(config, "alias.url")) {
      if (setting.value.type !== "array" || hasUnknown(setting.value)) continue;
      const items = setting.value.items;
      // The arrays written in this setting's assignments (to move elements within one of them).
      const arrays: ArrayNode[] = [];
      for (const site of setting.sites) for (const op of site.node.value?.operands ?? []) if (op.kind === "array") arrays.push(op);
      for (let k = 1; k < items.length; k++) {
        const key = items[k].key;
        if (key === undefined) continue;
        const j = items.findIndex((it, idx) => idx < k && it.key !== undefined && key.startsWith(it.key));
        if (j < 0) continue;
        const earlier = items[j];
        const where = items[k].keyOrigin ?? settingRange(setting);
        const fatal = lighttpdNotices(items, j, k);
        const message = fatal
          ? `alias.url "${key}" can never match: the earlier key "${earlier.key}" is its prefix and matches first. lighttpd refuses to start ("alias.url: \`${key}' will never match as \`${earlier.key}' matched first"). List the longer key first`
          : `alias.url "${key}" can never match: the earlier key "${earlier.key}" is its prefix and matches first (lighttpd does not notice this at startup). List the longer key first`;
        let fix;
        const file = items[k].file;
        const text = file ? sourceText(config, file) : undefined;
        const array = containingArray(items[k], text, arrays);
        if (text && array && earlier.element && array.elements.includes(earlier.element) && file === earlier.file && file === where.file) {
          const edits = moveElementBefore(text, array, items[k].element!, earlier.element);
          if (edits) fix = { description: `move "${key}" before "${earlier.key}"`, edits };
        }
        context.report({
          message,
          file: where.file,
          start: where.start,
          end: where.end,
          fix,
          related: earlier.keyOrigin ? [{ message: `"${earlier.key}" matches first`, ...earlier.keyOrigin }] : undefined,
        });
      }
    }
  },
};

export default rule;
