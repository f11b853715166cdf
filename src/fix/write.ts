/**
 * Writing fixed files safely: only if the file still has the bytes we read; at the target of a
 * symlink rather than replacing the link; keeping mode, owner and hard links:
 * - usually through a temporary file in the same directory and a rename (atomic on POSIX), with
 *   the file's mode and (as root) its owner copied over;
 * - in place (same inode) when a rename would lose something: the file has other hard links, or
 *   belongs to another user and we are not root (the new inode would be ours);
 * - never a read-only file (no write bit): that is refused with a message, not forced.
 */
import fs from "node:fs";
import path from "node:path";

export class StaleFileError extends Error {}
/** The file is not written on purpose (read-only, ...); the message says why. */
export class RefusedWriteError extends Error {}

export function writeFileAtomic(file: string, data: Uint8Array, expectedCurrent?: Uint8Array): void {
  const target = fs.realpathSync(file);
  if (expectedCurrent) {
    const current = fs.readFileSync(target);
    if (!current.equals(Buffer.from(expectedCurrent.buffer, expectedCurrent.byteOffset, expectedCurrent.byteLength))) {
      throw new StaleFileError(`${file} changed on disk since it was read; not written (run again to fix the new version)`);
    }
  }
  const st = fs.statSync(target);
  if ((st.mode & 0o222) === 0)
    throw new RefusedWriteError(
      `${file} is read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, "0")}): not changed; make it writable to let --fix change it, or apply the fix by hand (--diff shows it)`,
    );
  const root = process.getuid?.() === 0;
  const foreignOwner = !root && (st.uid !== process.getuid?.() || st.gid !== process.getgid?.());
  if (st.nlink > 1 || foreignOwner) {
    writeInPlace(file, target, data);
    return;
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.lighttpd-lint-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: st.mode & 0o7777, flag: "wx" });
    if (root && (st.uid !== 0 || st.gid !== 0)) fs.chownSync(tmp, st.uid, st.gid);
    fs.chmodSync(tmp, st.mode & 0o7777); // after chown (which clears set-id bits); the umask may have narrowed the mode given to open()
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === "EACCES") return writeInPlace(file, target, data); // a directory we may not create files in
    throw e;
  }
}

/** Same inode: truncate and write. Keeps every hard link, the owner and the mode. */
function writeInPlace(file: string, target: string, data: Uint8Array): void {
  let fd: number;
  try {
    fd = fs.openSync(target, "r+");
  } catch (e) {
    throw new RefusedWriteError(`${file} is not writable for this user (${(e as NodeJS.ErrnoException).code}): not changed`);
  }
  try {
    fs.ftruncateSync(fd, 0);
    let off = 0;
    while (off < data.byteLength) off += fs.writeSync(fd, data, off, data.byteLength - off, off);
  } finally {
    fs.closeSync(fd);
  }
}
