/** A minimal unified diff (line based, with 3 lines of context) for --fix-dry-run. */

export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return "";
  const a = before.split(/(?<=\n)/);
  const b = after.split(/(?<=\n)/);
  // Common prefix and suffix; fixes are local, so the middle is small.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ctx = 3;
  const start = Math.max(0, pre - ctx);
  const endA = Math.min(a.length, a.length - suf + ctx);
  const endB = Math.min(b.length, b.length - suf + ctx);
  const lines: string[] = [`--- a/${name}\n`, `+++ b/${name}\n`, `@@ -${start + 1},${endA - start} +${start + 1},${endB - start} @@\n`];
  const nl = (s: string) => (s.endsWith("\n") ? s : s + "\n\\ No newline at end of file\n");
  for (let i = start; i < pre; i++) lines.push(" " + nl(a[i]));
  for (let i = pre; i < a.length - suf; i++) lines.push("-" + nl(a[i]));
  for (let i = pre; i < b.length - suf; i++) lines.push("+" + nl(b[i]));
  for (let i = a.length - suf; i < endA; i++) lines.push(" " + nl(a[i]));
  return lines.join("");
}
