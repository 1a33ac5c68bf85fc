/** USB mass storage: a host folder plays the stick; absent when no folder is given. */
import * as fs from 'fs';
import * as path from 'path';
import type { Usb } from '../../hal/contract';

export class FolderUsb implements Usb {
  constructor(private readonly dir: string | null, private readonly capacityBytes = 64 * 1024 * 1024) {}

  present(): boolean {
    return this.dir !== null && fs.existsSync(this.dir);
  }

  freeBytes(): number {
    if (!this.present()) return 0;
    return Math.max(0, this.capacityBytes - this.usedBytes());
  }

  writeFile(name: string, bytes: Uint8Array): void {
    if (!this.present()) throw new Error('absent: no USB drive');
    if (name !== path.basename(name) || name === '' || name.startsWith('.')) throw new Error(`invalid file name "${name}"`);
    const target = path.join(this.dir!, name);
    const existing = fs.existsSync(target) ? fs.statSync(target).size : 0;
    if (bytes.length - existing > this.freeBytes()) throw new Error(`full: ${name} needs ${bytes.length} bytes, ${this.freeBytes()} free`);
    fs.writeFileSync(target, bytes);
  }

  private usedBytes(): number {
    return fs.readdirSync(this.dir!).reduce((n, f) => n + fs.statSync(path.join(this.dir!, f)).size, 0);
  }
}
