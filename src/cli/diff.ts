/**
 * The unified diff of --fix-dry-run / --diff: real hunks with 3 lines of context each (jsdiff's
 * structuredPatch, the `diff` package), so that patch(1) and reviewers see only what changed.
 */
import { structuredPatch } from "diff";

export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return "";
  const patch = structuredPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 });
  const out: string[] = [`--- a/${name}\n`, `+++ b/${name}\n`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`);
    for (const line of h.lines) out.push(line + "\n");
  }
  return out.join("");
}
