/**
 * Drives a simulated phone in real time. The phone's clock is virtual and only
 * moves in `advance(ms)`; an interactive session (browser UI, headless CLI)
 * needs it to move with the wall clock, so the pacer advances it by the real
 * time elapsed every `intervalMs`.
 *
 * Time control: `pause()` stops the clock (the phone's timers wait), `resume()`
 * runs it again, `setSpeed(n)` runs it n times faster than the wall clock
 * (×10, ×100: a day of polling in minutes), `advanceBy(ms)` jumps at once.
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

/** Fastest clock: at ×1000 one tick is 100 s of phone time, still timer by timer. */
export const MAX_SPEED = 1000;

export class RealtimePacer {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private last = 0;
  private ticking = false;
  private readonly intervalMs: number;
  private readonly maxStepMs: number;
  private readonly now: () => number;
  private clockSpeed = 1;
  private clockPaused = false;

  constructor(private readonly phone: PacedPhone, private readonly options: RealtimePacerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxStepMs = options.maxStepMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** How many virtual ms pass per real ms while running. */
  get speed(): number {
    return this.clockSpeed;
  }

  /** True while the clock is paused (the pacer still runs operations). */
  get paused(): boolean {
    return this.clockPaused;
  }

  /** Set how much faster than the wall clock the phone's clock runs: 1 (real time) to MAX_SPEED. */
  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED) throw new Error(`speed must be more than 0 and at most ${MAX_SPEED}, got ${speed}`);
    this.clockSpeed = speed;
  }

  /** Resolves once a tick already under way has finished: from then on the clock stands still. */
  pause(): Promise<void> {
    this.clockPaused = true;
    return this.run(() => undefined);
  }

  resume(): void {
    this.clockPaused = false;
  }

  /** Move the phone's clock on by `ms` at once (between ticks), paused or not. */
  advanceBy(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new Error(`cannot advance by ${ms} ms`));
    return this.run(async () => {
      if (this.phone.state === 'running') await this.phone.advance(Math.round(ms));
    });
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
      // Paused: the real time passes unused, so running again does not jump.
      const elapsed = this.clockPaused ? 0 : Math.min(this.maxStepMs * this.clockSpeed, Math.round(real * this.clockSpeed));
      if (this.phone.state === 'running' && elapsed > 0) await this.phone.advance(elapsed);
    })
      .catch((e: Error) => (this.options.onError ?? ((err: Error) => console.error(`pacer: ${err.message}`)))(e))
      .finally(() => {
        this.ticking = false;
        this.options.onTick?.();
      });
  }
}
