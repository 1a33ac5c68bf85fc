/**
 * Power management: the restart counter and the reason of the last boot, kept
 * by the board's PMIC (outside the flash image; persisted to a side file when
 * the phone has a flash image path).
 */
import * as fs from 'fs';
import type { BootReason, Power } from '../../hal/contract';
import { writeFileAtomic } from './atomic-file';

export interface PowerRecord { bootCount: number; reason: BootReason; message: string }

export class VirtualPower implements Power {
  record: PowerRecord = { bootCount: 0, reason: 'power-on', message: '' };
  /** Set by `reboot()`; the host reboots the image once the current event returns. */
  rebootRequested: string | null = null;

  static load(path: string | undefined): VirtualPower {
    const p = new VirtualPower();
    if (path && fs.existsSync(path)) p.record = JSON.parse(fs.readFileSync(path, 'utf8'));
    return p;
  }

  save(path: string): void {
    writeFileAtomic(path, JSON.stringify(this.record));
  }

  /** Called by the host at every boot. */
  booting(reason: BootReason, message = ''): void {
    this.record = { bootCount: this.record.bootCount + 1, reason, message };
    this.rebootRequested = null;
  }

  reboot(reason: string): void {
    this.rebootRequested = reason;
  }
  bootCount(): number { return this.record.bootCount; }
  lastBootReason(): BootReason { return this.record.reason; }
  lastRebootMessage(): string { return this.record.message; }
}
