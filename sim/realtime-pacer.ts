/**
 * Drives a simulated phone in real time. The phone's clock is virtual and only
 * moves in `advance(ms)`; an interactive session (browser UI, headless CLI)
 * needs it to move with the wall clock, so the pacer advances it by the real
 * time elapsed every `intervalMs`.
 *
 * The pacer owns the phone's timeline: ticks and user operations (key presses,
 * far-end actions, power) go through one queue, so an operation never runs in
 * the middle of a tick's `advance()` and vice versa.
 */

/** What the pacer needs of a phone. */
export interface PacedPhone {
  readonly state: 'running' | 'off' | 'crashed';
  advance(ms: number): Promise<void>;
}

export interface RealtimePacerOptions {
  /** Real ms between ticks (default 100). */
  intervalMs?: number;
  /** Largest virtual step per tick (default 5000): a longer real gap (host suspended, debugger pause) is not replayed, the phone skips this much. */
  maxStepMs?: number;
  /** Real clock, ms (injectable for tests). */
  now?: () => number;
  /** Called after every tick, for listeners that poll the phone (event stream, headless screen printer). */
  onTick?: () => void;
  /** An operation or tick failed; the pacer keeps running. Default: console.error. */
  onError?: (error: Error) => void;
}

export class RealtimePacer {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private last = 0;
  private ticking = false;
  private readonly intervalMs: number;
  private readonly maxStepMs: number;
  private readonly now: () => number;

  constructor(private readonly phone: PacedPhone, private readonly options: RealtimePacerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxStepMs = options.maxStepMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.last = this.now();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  /** Stop ticking and wait for the queued work to finish. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.catch(() => undefined);
  }

  /** Run `operation` on the phone between ticks; resolves with its result. */
  run<T>(operation: () => Promise<T> | T): Promise<T> {
    const result = this.queue.then(() => operation());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** One tick: advance the phone by the real time since the last tick (skipped while a tick is still queued). */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.run(async () => {
      // Whole milliseconds (the firmware sees integer times); the fraction carries over to the next tick.
      const now = this.now();
      const real = Math.max(0, Math.floor(now - this.last));
      this.last += real;
      const elapsed = Math.min(this.maxStepMs, real);
      if (this.phone.state === 'running' && elapsed > 0) await this.phone.advance(elapsed);
    })
      .catch((e: Error) => (this.options.onError ?? ((err: Error) => console.error(`pacer: ${err.message}`)))(e))
      .finally(() => {
        this.ticking = false;
        this.options.onTick?.();
      });
  }
}
