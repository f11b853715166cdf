/**
 * The one way lighttpd-lint reads a file whose name a config (or a repository) controls.
 *
 * Why: an included path can name /dev/zero (endless), a FIFO or /dev/stdin (blocks forever; in
 * the language server stdin is its own LSP pipe), a directory, or a 1 GiB sparse file. The file is
 * opened with O_NONBLOCK (opening a FIFO never waits for a writer), fstat()ed, and refused unless it
 * is a regular file below the size limit; then at most the limit is read, even if it grows.
 *
 * lighttpd does the same checks in fdevent_load_file() (fdevent.c): fstat(), refuse st_size >=
 * 32 MiB with EOVERFLOW ("Value too large"), then read st_size bytes, so a device or FIFO (st_size 0)
 * reads as empty and a directory fails with EISDIR.
 */
import fs from "node:fs";

/** lighttpd refuses config files of 32 MiB or more (fdevent_load_file: EOVERFLOW). */
export const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

export type RefusedReason = "not-regular" | "too-large";

/** Thrown by `readBounded` (and by `readFile` options that use it) for a file it will not read. */
export class FileRefused extends Error {
  constructor(
    readonly file: string,
    readonly reason: RefusedReason,
    /** What fstat() says it is: "directory", "character device", "FIFO", ... */
    readonly kind: string,
    /** fstat()'s st_size (for "too-large": how large). */
    readonly size: number,
  ) {
    super(reason === "too-large" ? `${file} has ${size} bytes (limit ${MAX_CONFIG_BYTES})` : `${file} is a ${kind}, not a regular file`);
  }
}

export function fileKind(st: fs.Stats): string {
  if (st.isFile()) return "regular file";
  if (st.isDirectory()) return "directory";
  if (st.isCharacterDevice()) return "character device";
  if (st.isBlockDevice()) return "block device";
  if (st.isFIFO()) return "FIFO (named pipe)";
  if (st.isSocket()) return "socket";
  return "special file";
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** For a caller that reads only what it trusts (src/util/user-cache.ts). */
export interface ReadBoundedOptions {
  /** Refuse a symbolic link (O_NOFOLLOW: checked on the file opened, no window to swap one in). */
  noFollow?: boolean;
  /** Whether to read the file opened, from its fstat(); refused, readBounded throws. */
  accept?: (st: fs.Stats) => boolean;
}

/**
 * The bytes of a regular file of less than `limit` bytes. Throws `FileRefused` for anything else,
 * and the usual fs errors (ENOENT, EACCES, ELOOP, ...) when it cannot be opened.
 */
export function readBounded(file: string, limit: number = MAX_CONFIG_BYTES, options: ReadBoundedOptions = {}): Buffer {
  const fd = fs.openSync(file, options.noFollow ? OPEN_FLAGS | (fs.constants.O_NOFOLLOW ?? 0) : OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FileRefused(file, "not-regular", fileKind(st), st.size);
    if (options.accept && !options.accept(st)) throw new Error(`${file}: refused by the caller`);
    if (st.size >= limit) throw new FileRefused(file, "too-large", "regular file", st.size);
    // Read at most `limit` bytes: a file that grows while we read cannot make us read more.
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = Math.min(Math.max(st.size + 1, 4096), limit);
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(chunkSize, limit - total + 1));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total >= limit) throw new FileRefused(file, "too-large", "regular file", total);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** `readBounded` as text; undefined when the file cannot be read or is refused. */
export function readBoundedText(file: string, limit: number = MAX_CONFIG_BYTES, encoding: BufferEncoding = "utf8"): string | undefined {
  try {
    return readBounded(file, limit).toString(encoding);
  } catch {
    return undefined;
  }
}

/** `readBounded`, but undefined for a file that does not exist or cannot be opened (a `FileRefused` still throws). */
export function readIfExists(file: string, limit: number = MAX_CONFIG_BYTES): Buffer | undefined {
  try {
    return readBounded(file, limit);
  } catch (e) {
    if (e instanceof FileRefused) throw e;
    return undefined;
  }
}

/** The default `readFile` of the engine: bounded, undefined when missing, `FileRefused` thrown for the evaluator to report. */
export const defaultReadFile = (file: string): Uint8Array | undefined => readIfExists(file);

/**
 * Standard input, whole: at most `limit` bytes (more throws an Error with code EFBIG). A stdin its
 * parent left non-blocking (a pipe from Node's or libuv's spawn: how editors start a formatter)
 * answers EAGAIN until the data comes; this waits for it, where fs.readFileSync(0) throws.
 */
export function readStdin(limit: number = MAX_CONFIG_BYTES): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(65536);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1); // no data yet: wait a little, do not spin
        continue;
      }
      if (code === "EOF") break; // Windows: the writer closed the pipe
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw Object.assign(new Error(`standard input has more than ${limit} bytes`), { code: "EFBIG" });
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}
