/**
 * alias-trailing-slash: mod_alias replaces the matched key with the target verbatim
 * (mod_alias.c mod_alias_remap). "/media" => "/srv/media/" turns /media/a into /srv/media//a and
 * /media../x into /srv/media/../x (lighttpd answers 403 to that one); "/media/" => "/srv/media"
 * turns /media/a into /srv/mediaa.
 */
import type { Rule } from "../src/engine/types.js";
import { hasUnknown, itemValueRange, lastLeaf, literalEdit, settingsNamed, stringOf } from "../src/engine/config-query.js";

const rule: Rule = {
  meta: {
    id: "alias-trailing-slash",
    description: "An alias.url key and target that disagree on the trailing slash: wrong paths or traversal",
    severity: "warning",
    fixable: "fix",
    effect: "risk",
  },
  check(context) {
    const { config } = context;
    for (const { setting } of settingsNamed(config, "alias.url")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        const key = item.key;
        const target = stringOf(item.value);
        if (!key || !target || hasUnknown(item.value)) continue;
        const keySlash = key.endsWith("/");
        const targetSlash = target.endsWith("/");
        if (keySlash === targetSlash) continue;
        const where = item.keyOrigin ?? itemValueRange(item);
        if (!where) continue;
        const message = keySlash
          ? `alias.url "${key}" => "${target}": the key ends with "/" but the target does not, so ${key}a.html maps to ${target}a.html. Add "/" to the target`
          : `alias.url "${key}" => "${target}": the target ends with "/" but the key does not, so the alias also matches ${key}X (mapped to ${target}X) and ${key}../ would climb out of ${target} (lighttpd answers 403 to that one form; other paths still map to unintended places). Remove the target's trailing "/"`;
        // Edit the target's last literal, when it is written in this alias entry.
        const leaf = lastLeaf(item.value);
        let fix;
        if (leaf && leaf.value.length > 0 && leaf.origin?.file === where.file && item.element && leaf.origin.start >= item.element.start && leaf.origin.end <= item.element.end) {
          const n = leaf.value.length;
          const edit = keySlash ? literalEdit(config, leaf, n, n, "/") : literalEdit(config, leaf, n - 1, n, "");
          if (edit && !(targetSlash && target === "/")) {
            fix = { description: keySlash ? 'add "/" to the target' : 'remove the trailing "/" from the target', edits: [{ range: edit.range, text: edit.text }] };
          }
        }
        context.report({ message, file: where.file, start: where.start, end: where.end, fix });
      }
    }
  },
};

export default rule;
