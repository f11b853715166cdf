/**
 * Text from configs and file names reaches terminals and CI logs. Control characters in it could
 * forge workflow commands (a newline followed by `::error …`) or drive the terminal (ESC), so every
 * path and message a formatter prints goes through here: C0/C1 controls and DEL become visible escapes.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|\n|\r|\t/g;

function escape(ch: string): string {
  switch (ch) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    default:
      return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  }
}

/** `s` with every control character shown as an escape; unchanged when it has none. */
export function printable(s: string): string {
  return s.replace(CONTROL, escape);
}

// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

/**
 * JSON text safe for a terminal: JSON.stringify escapes C0 controls but leaves DEL, the C1 controls
 * (U+009B is a one-byte CSI on some terminals) and the line separators raw; this escapes them as
 * \uXXXX, which decodes to the same value.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
