/**
 * Deterministic virtual clock. Monotonic time only moves in `advance(ms)`,
 * which fires due timers in order of due time (then of creation), so a
 * 30-day scenario runs in seconds and always the same way.
 */
import type { Clock, TimerId } from '../../hal/contract';

interface Timer { id: TimerId; due: number; seq: number; callback: () => void }

export class VirtualClock implements Clock {
  private mono = 0;
  private wallAtMonoZero: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private seq = 0;

  constructor(startWallMs: number) {
    this.wallAtMonoZero = startWallMs;
  }

  now(): number {
    return this.wallAtMonoZero + this.mono;
  }

  setWallTime(ms: number): void {
    this.wallAtMonoZero = ms - this.mono;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimer(delayMs: number, callback: () => void): TimerId {
    const id = this.nextId++;
    this.timers.push({ id, due: this.mono + Math.max(0, delayMs), seq: this.seq++, callback });
    return id;
  }

  clearTimer(id: TimerId): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the earliest timer, or null. */
  nextDue(): number | null {
    const t = this.earliest();
    return t ? t.due : null;
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due, in order.
   * `fire` runs each callback (the host wraps it to pump the guest).
   */
  advance(ms: number, fire: (callback: () => void) => void = (cb) => cb()): number {
    const target = this.mono + Math.max(0, ms);
    let fired = 0;
    for (;;) {
      const t = this.earliest();
      if (!t || t.due > target) break;
      this.timers.splice(this.timers.indexOf(t), 1);
      this.mono = Math.max(this.mono, t.due);
      fired++;
      fire(t.callback);
    }
    this.mono = target;
    return fired;
  }

  /** Drop every timer (power off). */
  reset(): void {
    this.timers = [];
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }
}
