/**
 * The board's clock. Wall time is the system time plus an offset that
 * `setWallTime` (NTP, manual entry) sets and that is kept in the state
 * directory, so a board without a battery-backed RTC or without root still
 * shows the time it was told after a restart of the phone. With
 * `setSystemTime` the system clock itself is set (`date -u -s @S`, needs
 * root) and the offset goes back to zero. Monotonic time is process.hrtime
 * from the clock's creation; timers are real Node timers, cleared together
 * when the firmware stops.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Clock, TimerId } from '../contract';
import { writeFileAtomic } from '../../sim/devices/atomic-file';

export class LinuxClock implements Clock {
  private offsetMs = 0;
  private readonly start = process.hrtime.bigint();
  private readonly timers = new Map<TimerId, NodeJS.Timeout>();
  private nextId = 1;
  private readonly file: string;

  constructor(private readonly o: { stateDir: string; setSystemTime: boolean; log: (line: string) => void }) {
    this.file = path.join(o.stateDir, 'clock.json');
    try {
      const saved = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs)) this.offsetMs = saved.offsetMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') o.log(`clock: ${this.file} unreadable, wall clock = system time: ${(e as Error).message}`);
    }
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  setWallTime(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (this.o.setSystemTime) {
      const r = spawnSync('date', ['-u', '-s', `@${(ms / 1000).toFixed(3)}`], { encoding: 'utf8' });
      if (r.status === 0) {
        this.offsetMs = 0;
        this.save();
        return;
      }
      this.o.log(`clock: could not set the system clock (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}): keeping an offset`);
    }
    this.offsetMs = ms - Date.now();
    this.save();
  }

  monotonic(): number {
    return Number(process.hrtime.bigint() - this.start) / 1e6;
  }

  setTimer(delayMs: number, callback: () => void): TimerId {
    const id = this.nextId++;
    // Node caps a timeout at 2^31-1 ms (~24.8 days); longer ones are re-armed.
    const arm = (left: number) => {
      const step = Math.min(Math.max(0, left), 0x7fffffff);
      this.timers.set(id, setTimeout(() => {
        if (left > step) return arm(left - step);
        this.timers.delete(id);
        callback();
      }, step));
    };
    arm(delayMs);
    return id;
  }

  clearTimer(id: TimerId): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  /** Drop every timer (the firmware stops). */
  reset(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private save(): void {
    try {
      writeFileAtomic(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    } catch (e) {
      this.o.log(`clock: could not keep the wall clock offset in ${this.file}: ${(e as Error).message}`);
    }
  }
}
