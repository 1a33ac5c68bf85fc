/**
 * The board's power device: the boot count and boot reason kept in the state
 * directory across reboots (boot-record.ts decides the reason), and reboot
 * requests. `reboot()` only records the request: the runner acts on it after
 * the current event returns (records it, stops cleanly, runs the board's
 * reboot command), as the contract says.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BootReason, Power } from '../contract';
import { writeFileAtomic } from '../../sim/devices/atomic-file';
import { nextBootRecord, parseBootRecord, type BootRecord, type KernelView } from './boot-record';

export interface PowerPaths {
  stateDir: string;
  /** Default /proc/sys/kernel/random/boot_id. */
  bootIdFile?: string;
  /** Default /sys/class/watchdog/watchdog0/bootstatus. */
  watchdogBootstatusFile?: string;
  /** The board file's `power.bootReasonFile`. */
  bootReasonFile?: string;
}

export class LinuxPower implements Power {
  /** Set by `reboot()`; the runner acts on it after the current event. */
  rebootRequested: string | null = null;
  private record: BootRecord;
  private readonly file: string;

  /** Read the previous run's record and the kernel's view, decide this boot's reason and record the boot (running). */
  constructor(private readonly paths: PowerPaths, private readonly log: (line: string) => void) {
    this.file = path.join(paths.stateDir, 'boot.json');
    this.record = nextBootRecord(this.previous(), this.kernelView());
    this.save();
  }

  reboot(reason: string): void {
    this.rebootRequested = reason;
  }
  bootCount(): number { return this.record.bootCount; }
  lastBootReason(): BootReason { return this.record.reason; }
  lastRebootMessage(): string { return this.record.message; }

  /** The firmware restarts inside the running process (engine crash, reboot without an OS reboot). */
  booting(reason: BootReason, message = ''): void {
    this.record = { ...this.record, bootCount: this.record.bootCount + 1, reason, message, running: true };
    delete this.record.rebootRequested;
    this.rebootRequested = null;
    this.save();
  }

  /** Before the reboot command runs: the next boot reads `reboot` and this reason. */
  recordReboot(reason: string): void {
    this.record = { ...this.record, running: false, rebootRequested: reason };
    this.save();
  }

  /** A clean stop (SIGTERM, Ctrl-C): the next start is a power-on, not a crash. */
  recordCleanStop(): void {
    if (this.record.rebootRequested !== undefined) return;
    this.record = { ...this.record, running: false };
    this.save();
  }

  private previous(): BootRecord | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`power: ${this.file} unreadable (${(e as Error).message}): boot count starts again`);
      return null;
    }
    try {
      const r = parseBootRecord(text);
      if (!r) this.log(`power: ${this.file} is not a boot record: boot count starts again`);
      return r;
    } catch (e) {
      this.log(`power: ${this.file} is not JSON (${(e as Error).message}): boot count starts again`);
      return null;
    }
  }

  private kernelView(): KernelView {
    const read = (file: string | undefined) => {
      if (!file) return undefined;
      try {
        return fs.readFileSync(file, 'utf8').trim();
      } catch {
        return undefined;
      }
    };
    const bootstatus = Number(read(this.paths.watchdogBootstatusFile ?? '/sys/class/watchdog/watchdog0/bootstatus') ?? 0);
    const boardReason = read(this.paths.bootReasonFile);
    return {
      bootId: read(this.paths.bootIdFile ?? '/proc/sys/kernel/random/boot_id') ?? 'unknown',
      watchdogBootstatus: Number.isInteger(bootstatus) ? bootstatus : 0,
      ...(boardReason !== undefined ? { boardReason } : {}),
    };
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, JSON.stringify(this.record));
    } catch (e) {
      this.log(`power: could not keep the boot record in ${this.file}: ${(e as Error).message}`);
    }
  }
}
