/**
 * Writing fixed files safely: only if the file still has the bytes we read, through a temporary
 * file in the same directory and a rename (atomic on POSIX), keeping the file's mode, and at the
 * target of a symlink rather than replacing the link.
 */
import fs from "node:fs";
import path from "node:path";

export class StaleFileError extends Error {}

export function writeFileAtomic(file: string, data: Uint8Array, expectedCurrent?: Uint8Array): void {
  const target = fs.realpathSync(file);
  const current = fs.readFileSync(target);
  if (expectedCurrent && !Buffer.from(current).equals(Buffer.from(expectedCurrent))) {
    throw new StaleFileError(`${file} changed on disk since it was read; not written`);
  }
  const { mode } = fs.statSync(target);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.lighttpd-lint-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: mode & 0o7777 });
    fs.chmodSync(tmp, mode & 0o7777);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
