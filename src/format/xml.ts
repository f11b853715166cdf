/** XML text and attribute values: escaped, and without the control characters XML 1.0 forbids. */
import { printable } from "./printable.js";

export function xmlEscape(s: string): string {
  return printable(s)
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
    .replace(/[\ud800-\udfff\ufffe\uffff]/gu, (c) => (c.length === 2 ? c : "\ufffd"));
}
