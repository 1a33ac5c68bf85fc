/**
 * Replaces a host file so that a crash of the simulator at any point leaves
 * the old file or the new one, never a torn mix: the bytes go to `<file>.tmp`,
 * are fsynced, and the temporary file is renamed over the old one (rename is
 * atomic on POSIX file systems); the directory is fsynced so the rename
 * itself survives a power cut of the host. Used for a `--flash` image and its
 * side files (keystore, power record): a torn keystore makes the image
 * unreadable.
 *
 * A `<file>.tmp` left by an earlier crash is never read, only replaced.
 */
import * as fs from 'fs';
import * as path from 'path';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const temp = `${file}.tmp`;
  // A stale temporary file may have other permissions: a fresh one gets `mode` (secrets: 0o600) from its creation.
  fs.rmSync(temp, { force: true });
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDirectory(path.dirname(path.resolve(file)));
}

function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
