/** Timers on the HAL clock, with guarded callbacks and periodic helpers. */
import type { Clock, TimerId } from '../../hal/contract';
import type { Guard } from './guard';

export class Timers {
  private live = new Set<TimerId>();

  constructor(private readonly clock: Clock, private readonly guard: Guard) {}

  after(ms: number, label: string, fn: () => void): TimerId {
    const run = this.guard(label, fn);
    const id = this.clock.setTimer(ms, () => {
      this.live.delete(id);
      run();
    });
    this.live.add(id);
    return id;
  }

  /** Repeats every `ms` until cancelled; returns a cancel function. A tick that throws is logged and the next one still comes. */
  every(ms: number, label: string, fn: () => void): () => void {
    let id: TimerId | null = null;
    let cancelled = false;
    const run = this.guard(label, fn);
    const tick = () => {
      if (cancelled) return;
      run();
      if (!cancelled) id = this.after(ms, label, tick);
    };
    id = this.after(ms, label, tick);
    return () => {
      cancelled = true;
      if (id !== null) this.cancel(id);
    };
  }

  cancel(id: TimerId): void {
    if (this.live.delete(id)) this.clock.clearTimer(id);
  }

  pending(): number {
    return this.live.size;
  }
}
