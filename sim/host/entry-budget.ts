/**
 * The CPU allowance of one host→guest entry (boot, or one event: key, timer,
 * line event, network answer). Everything the firmware runs for that entry —
 * the handler and every promise job pumped after it — draws on the same
 * allowance, so work moved into a promise job is not free.
 *
 * Two measures, either one stops the firmware:
 * - interrupt polls (QuickJS polls about every 10,000 calls or backward
 *   jumps): deterministic, the budget of ordinary firmware code;
 * - guest CPU time (process CPU time minus the time spent in host functions):
 *   the backstop for work the poll counter hardly sees, such as native
 *   string and array methods over large inputs, where 2,000 polls took 3 s.
 *   Reading process CPU time is a system call (twice per host call it had
 *   cost more than a month of an office phone's firmware timers), so host
 *   calls are timed on the monotonic clock and the entry's CPU time is
 *   shared out in proportion: guest CPU = CPU × (wall − host wall) / wall,
 *   which holds on a loaded machine too.
 *
 * A trip is recorded here because QuickJS's "interrupted" error can be caught
 * by the firmware (an async function's rejection handled by `.catch`): the
 * engine reports a recorded trip as a fault whatever the firmware did with
 * the error.
 */
import type { FirmwareFault } from './event-gate';

export interface BudgetTrip {
  kind: Extract<FirmwareFault['kind'], 'cpu-budget' | 'memory-budget'>;
  message: string;
}

const CPU_CHECK_POLLS = 16;

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export class EntryBudget {
  private polls = 0;
  private pollLimit = 0;
  private cpuLimitMicros = 0;
  private scope = 'per event';
  private startedMicros = 0;
  private startedAt = 0;
  /** Wall time spent in host calls this entry (ms). */
  private hostMs = 0;
  private hostDepth = 0;
  private hostEnteredAt = 0;
  /** Why the firmware was stopped during this entry (null: it was not). */
  trip: BudgetTrip | null = null;

  /** Begin a new entry with this allowance (`scope` names it in messages: "per event", "at boot"). */
  start(pollLimit: number, cpuLimitMs: number, scope = 'per event'): void {
    this.scope = scope;
    this.polls = 0;
    this.pollLimit = pollLimit;
    this.cpuLimitMicros = cpuLimitMs * 1000;
    this.startedMicros = cpuMicros();
    this.startedAt = performance.now();
    this.hostMs = 0;
    this.hostDepth = 0;
    this.trip = null;
  }

  get pollCount(): number {
    return this.polls;
  }

  /** CPU time the firmware itself used in this entry so far. */
  guestMs(): number {
    const cpuMs = (cpuMicros() - this.startedMicros) / 1000;
    const wallMs = performance.now() - this.startedAt;
    return wallMs > 0 ? cpuMs * Math.max(0, wallMs - this.hostMs) / wallMs : 0;
  }

  /** Count one interrupt poll; true when the allowance is spent (the firmware must stop). */
  poll(): boolean {
    if (this.trip) return true;
    this.polls++;
    if (this.polls > this.pollLimit) {
      this.tripCpu(`${this.polls} interrupt polls (its board allows ${this.pollLimit} ${this.scope})`);
      return true;
    }
    // CPU time is a system call: read it every CPU_CHECK_POLLS polls (~160,000 bytecode operations).
    if (this.polls % CPU_CHECK_POLLS !== 0) return false;
    const ms = this.guestMs();
    if (ms > this.cpuLimitMicros / 1000) {
      this.tripCpu(`${Math.round(ms)} ms of CPU time (its board allows ${this.cpuLimitMicros / 1000} ms ${this.scope})`);
      return true;
    }
    return false;
  }

  /** The engine measured more memory than the board allows: stop the firmware. */
  tripMemory(used: number, budget: number): void {
    this.trip ??= { kind: 'memory-budget', message: `memory budget exceeded: the firmware used ${used} bytes, its board allows ${budget}` };
  }

  /** Run a host function: its time is the host's, not the firmware's. */
  hostCall<T>(fn: () => T): T {
    if (this.hostDepth++ === 0) this.hostEnteredAt = performance.now();
    try {
      return fn();
    } finally {
      if (--this.hostDepth === 0) this.hostMs += performance.now() - this.hostEnteredAt;
    }
  }

  private tripCpu(what: string): void {
    this.trip = { kind: 'cpu-budget', message: `cpu budget exceeded: the firmware was interrupted after ${what}` };
  }
}
