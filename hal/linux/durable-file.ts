/** Writes that survive a power cut on the board: file contents and the directory entry both reach the disk. */
import * as fs from 'fs';

/** Create `file` (it must not exist) with `bytes`, fsynced before it is closed. */
export function writeNewFileSynced(file: string, bytes: Uint8Array, mode?: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory, so a rename or unlink in it is on the disk. */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
