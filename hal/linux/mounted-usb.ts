/**
 * USB mass storage on the board: present when something is mounted at the
 * board file's mount point (a line of /proc/mounts; the board's automounter
 * or udev rule mounts the stick), free space from statfs, each file written
 * atomically (temporary file, fsync, rename, fsync of the directory) so a
 * stick pulled mid-write holds the old file or the new one.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Usb } from '../contract';
import { syncDirectory, writeNewFileSynced } from './durable-file';

export class MountedUsb implements Usb {
  private readonly mountPoint: string;

  constructor(private readonly o: { mountPoint: string; procMounts?: string }) {
    this.mountPoint = path.resolve(o.mountPoint);
  }

  present(): boolean {
    let mounts: string;
    try {
      mounts = fs.readFileSync(this.o.procMounts ?? '/proc/mounts', 'utf8');
    } catch {
      return false;
    }
    return mounts.split('\n').some((line) => unescapeMountField(line.split(' ')[1] ?? '') === this.mountPoint);
  }

  freeBytes(): number {
    if (!this.present()) return 0;
    try {
      const s = fs.statfsSync(this.mountPoint);
      return s.bavail * s.bsize;
    } catch {
      return 0;
    }
  }

  writeFile(name: string, bytes: Uint8Array): void {
    if (!this.present()) throw new Error(`absent: nothing mounted at ${this.mountPoint}`);
    if (name !== path.basename(name) || name === '' || name.startsWith('.')) throw new Error(`invalid file name "${name}"`);
    const target = path.join(this.mountPoint, name);
    const existing = fs.statSync(target, { throwIfNoEntry: false })?.size ?? 0;
    const free = this.freeBytes();
    if (bytes.length - existing > free) throw new Error(`full: ${name} needs ${bytes.length} bytes, ${free} free`);
    const temp = path.join(this.mountPoint, `.${name}.tmp`);
    try {
      fs.rmSync(temp, { force: true });
      writeNewFileSynced(temp, bytes);
      fs.renameSync(temp, target);
      syncDirectory(this.mountPoint);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new Error(`full: ${name}: ${(e as Error).message}`);
      if (code === 'ENOENT' || code === 'EIO' || code === 'ENODEV') throw new Error(`absent: ${name}: ${(e as Error).message}`);
      throw e;
    }
  }
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
