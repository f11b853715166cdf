/**
 * Writing fixed files safely: only if the file still has the bytes we read, through a temporary
 * file in the same directory and a rename (atomic on POSIX), keeping the file's mode (and, when
 * we run as root, its owner), and at the target of a symlink rather than replacing the link.
 */
import fs from "node:fs";
import path from "node:path";

export class StaleFileError extends Error {}

export function writeFileAtomic(file: string, data: Uint8Array, expectedCurrent?: Uint8Array): void {
  const target = fs.realpathSync(file);
  if (expectedCurrent) {
    const current = fs.readFileSync(target);
    if (!current.equals(Buffer.from(expectedCurrent.buffer, expectedCurrent.byteOffset, expectedCurrent.byteLength))) {
      throw new StaleFileError(`${file} changed on disk since it was read; not written (run again to fix the new version)`);
    }
  }
  const st = fs.statSync(target);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.lighttpd-lint-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: st.mode & 0o7777, flag: "wx" });
    if (process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) fs.chownSync(tmp, st.uid, st.gid);
    fs.chmodSync(tmp, st.mode & 0o7777); // after chown (which clears set-id bits); the umask may have narrowed the mode given to open()
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
