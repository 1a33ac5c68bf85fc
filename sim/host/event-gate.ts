/**
 * Serialises entries into the firmware. The firmware is single-threaded: an
 * event (key, timer, line event, network answer) that arrives while the
 * firmware is running is queued and delivered after the current entry
 * returns, never re-entrantly. After every entry the engine pumps pending
 * guest jobs (promise reactions).
 */
export interface FirmwareFault {
  kind: 'firmware-exception' | 'memory-budget' | 'stack-budget' | 'cpu-budget' | 'power-cut';
  message: string;
  /** Stack with guest frames mapped to .ts lines where a source map allows. */
  stack: string;
}

export class EventGate {
  private queue: { label: string; fn: () => void }[] = [];
  private inside = false;

  constructor(
    /** Runs one entry and reports a fault instead of throwing. */
    private readonly enter: (label: string, fn: () => void) => void,
    /** Called after each entry: pump guest jobs, check power and reboot requests. */
    private readonly afterEntry: () => void,
  ) {}

  get busy(): boolean {
    return this.inside;
  }

  /** Deliver now, or after the current entry if the firmware is running. */
  deliver(label: string, fn: () => void): void {
    this.queue.push({ label, fn });
    if (!this.inside) this.drain();
  }

  /** Drop undelivered events (power off). */
  clear(): void {
    this.queue = [];
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.inside = true;
      try {
        this.enter(next.label, next.fn);
      } finally {
        this.inside = false;
      }
      this.afterEntry();
    }
  }
}
