/**
 * Findings readable at a glance: lists show the first part of a message and the rest is the
 * detail, shown in full by the JSON/SARIF message, `explain`, hover and the docs. Rules keep
 * writing one message; this only splits it, outside quotes and parentheses, at the first of:
 *   - a sentence end (". X"), a parenthetical (" (") or a dash (" — ") within 140 characters;
 *   - a ": " or "; " once the part before it says something (3 words outside quotes) and the part
 *     after it is not just the object it introduces (`include file not found: /x.conf (...)`);
 *   - for a long message without either, ", so " / ", but " / ", which ".
 */

const SHORT = 100;
const MAX_SUMMARY = 140;
const MIN_SUMMARY = 15;

export function splitMessage(message: string): { summary: string; detail?: string } {
  if (message.length <= SHORT) return { summary: message };
  const breaks = scan(message);
  const qualifies = (b: Break, i: number): boolean => {
    if (b.at < MIN_SUMMARY) return false;
    if (b.kind === "strong") return b.at <= MAX_SUMMARY;
    if (b.kind === "weak") return false;
    const next = breaks[i + 1]?.at ?? message.length;
    return unquotedWords(message.slice(0, b.at)) >= 3 && message.slice(b.resume, next).trim().includes(" ");
  };
  const pick = breaks.find(qualifies) ?? (message.length > 160 ? breaks.find((b) => b.kind === "weak" && b.at >= MIN_SUMMARY && b.at <= MAX_SUMMARY) : undefined);
  if (!pick) return { summary: message };
  return { summary: message.slice(0, pick.at).trimEnd(), detail: message.slice(pick.resume).trim() };
}

interface Break {
  kind: "strong" | "clause" | "weak";
  /** End of the summary. */
  at: number;
  /** Start of the detail. */
  resume: number;
}

function scan(message: string): Break[] {
  const out: Break[] = [];
  let quote = false;
  let depth = 0;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (c === '"') quote = !quote;
    if (quote) continue;
    if (depth === 0) {
      if (c === "." && message[i + 1] === " " && /[A-Z]/.test(message[i + 2] ?? "")) out.push({ kind: "strong", at: i + 1, resume: i + 2 });
      else if (c === " " && message[i + 1] === "(") out.push({ kind: "strong", at: i, resume: i + 1 });
      else if (c === " " && message.startsWith("— ", i + 1)) out.push({ kind: "strong", at: i, resume: i + 3 });
      else if ((c === ":" || c === ";") && message[i + 1] === " ") out.push({ kind: "clause", at: i, resume: i + 2 });
      else if (c === "," && /^, (so|but|which) /.test(message.slice(i))) out.push({ kind: "weak", at: i, resume: i + 2 });
    }
    if (c === "(" || c === "[") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
  }
  return out;
}

function unquotedWords(s: string): number {
  return s
    .replace(/"[^"]*"/g, " ")
    .split(/\s+/)
    .filter(Boolean).length;
}
