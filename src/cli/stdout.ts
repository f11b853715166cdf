/** Writing a report or a dump to standard output, synchronously and in chunks. */
import fs from "node:fs";

/** The reader of standard output went away (`lighttpd-lint ... | head`): main() stops quietly. */
export class OutputClosed extends Error {}

/**
 * Synchronous chunks to stdout: the output keeps its order and its memory stays one chunk (a full
 * pipe blocks the writer instead of queueing the rest of the output in memory). A closed pipe
 * (EPIPE) throws OutputClosed.
 */
export function writeStdout(chunk: string): void {
  let buf = Buffer.from(chunk, "utf8");
  while (buf.length > 0) {
    try {
      const n = fs.writeSync(1, buf);
      buf = buf.subarray(n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new OutputClosed("standard output was closed");
      if (code !== "EAGAIN") throw e;
      // A full pipe: wait for the reader. 1 ms, not more: a 55 MB parse tree fills a 64 KiB pipe ~900 times (5 ms: +2 s).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Whether standard output is a terminal, without making process.stdout for a pipe or a file (see
 * run-process.ts whenMade): only a character device can be one.
 */
export function stdoutIsTerminal(): boolean {
  try {
    if (!fs.fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stdout.isTTY === true;
}
