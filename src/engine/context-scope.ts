/**
 * Which blocks can apply to the same request. lighttpd merges a module's settings per request by
 * walking every block in config order and taking the values of each block whose condition holds
 * (e.g. mod_auth.c mod_auth_patch_config, mod_rewrite.c mod_rewrite_patch_config): a later block
 * overrides an earlier one. Rules that ask "which value is in effect here" need to know which other
 * blocks may also hold for a request that reaches this one.
 */
import type { Context } from "../eval/model.js";
import { contextChain } from "./config-query.js";

/** `ancestor` is `ctx` or one of the blocks around it (it holds whenever `ctx` holds). */
export function encloses(ancestor: Context, ctx: Context): boolean {
  for (let c: Context | undefined = ctx; c; c = c.parent) if (c === ancestor) return true;
  return false;
}

/** Two branches of one `else` chain: at most one of them holds. */
function sameElseChain(a: Context, b: Context): boolean {
  for (let c = a.prev; c; c = c.prev) if (c === b) return true;
  for (let c = a.next; c; c = c.next) if (c === b) return true;
  return false;
}

/**
 * Two conditions on one field that no value satisfies both: `==` with different values, or (on the
 * url path) `==` / `=^` whose strings are not prefixes of one another. `op` and `normalized` are
 * what lighttpd compares after its own simplification (`=~ "^/a/"` is `=^ "/a/"` from 1.4.65).
 */
function contradict(a: Context, b: Context): boolean {
  const x = a.condition;
  const y = b.condition;
  if (!x || !y || x.unknown || y.unknown || a.isElse || b.isElse) return false;
  if (x.object.toUpperCase() !== y.object.toUpperCase() || x.field.toLowerCase() !== y.field.toLowerCase()) return false;
  const field = x.field.toLowerCase();
  const vx = x.normalized ?? x.value;
  const vy = y.normalized ?? y.value;
  if (x.op === "==" && y.op === "==") return field === "host" ? vx.toLowerCase() !== vy.toLowerCase() : vx !== vy;
  if (field !== "url" || !(x.op === "==" || x.op === "=^") || !(y.op === "==" || y.op === "=^")) return false;
  // A path that starts with both strings exists exactly when one of them starts with the other
  // (and a `==` path must itself start with the other's prefix).
  if (x.op === "==") return !vx.startsWith(vy);
  if (y.op === "==") return !vy.startsWith(vx);
  return !vx.startsWith(vy) && !vy.startsWith(vx);
}

/**
 * True only when no request can satisfy both blocks: their chains hold two conditions that contradict
 * (see above), or two different branches of one `else` chain. Anything else may overlap.
 */
export function exclusive(a: Context, b: Context): boolean {
  const ca = contextChain(a);
  const cb = contextChain(b);
  for (const x of ca) {
    for (const y of cb) {
      if (x === y) continue;
      if (sameElseChain(x, y) || contradict(x, y)) return true;
    }
  }
  return false;
}
