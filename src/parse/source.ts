/** Reading config bytes into text, and mapping offsets to lines and columns. */

export interface SourceText {
  text: string;
  /** How the bytes were decoded; latin1 keeps every byte of a file that is not valid UTF-8. */
  encoding: "utf8" | "latin1";
  /** Byte offset of the first invalid UTF-8 sequence, when there is one. */
  invalidUtf8At?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // keep a BOM: lighttpd rejects it

/**
 * Texts whose bytes were made here (`encodeText`): decoding those bytes gives the text back without
 * decoding (the language server lints open buffers through bytes, on every keystroke).
 */
const encoded = new WeakMap<Uint8Array, string>();

/** The UTF-8 bytes of a text; `decodeSource` of them returns this very text. */
export function encodeText(text: string): Uint8Array {
  const bytes = Buffer.from(text, "utf8");
  encoded.set(bytes, text);
  return bytes;
}

export function decodeSource(bytes: Uint8Array): SourceText {
  const known = encoded.get(bytes);
  // A lone surrogate is replaced when encoding: such a text does not come back unchanged (Node 18
  // cannot tell cheaply: it decodes).
  if (known !== undefined && (known as { isWellFormed?: () => boolean }).isWellFormed?.() === true) return { text: known, encoding: "utf8" };
  try {
    return { text: utf8.decode(bytes), encoding: "utf8" };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), encoding: "latin1", invalidUtf8At: firstInvalidUtf8(bytes) };
  }
}

export function encodeSource(text: string, encoding: "utf8" | "latin1"): Buffer {
  return Buffer.from(text, encoding);
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Binary data rather than a config: many NUL bytes, or mostly control bytes, in the first 8 KiB.
 * (A single NUL is a config problem of its own, reported by nul-byte, not binary data.)
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  if (n === 0) return false;
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 0) nul++;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return nul > 8 || control / n > 0.1;
}

export { MAX_CONFIG_BYTES } from "../util/read-file.js";
