/**
 * Exponential backoff for talking to a server that failed: 30 s, 1 min,
 * 2 min, ... capped at 30 min, with a little jitter from the phone's MAC so a
 * fleet that lost its server together does not come back in lock step (and
 * one phone's schedule stays deterministic, as tests need).
 */
export const BACKOFF_FIRST_MS = 30_000;
export const BACKOFF_MAX_MS = 30 * 60_000;

export class RetryBackoff {
  private failures = 0;

  constructor(private readonly jitterSeed = 0, private readonly firstMs = BACKOFF_FIRST_MS, private readonly maxMs = BACKOFF_MAX_MS) {}

  /** Delay before the next attempt after one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.firstMs * Math.pow(2, this.failures));
    this.failures++;
    // Up to +10 %, fixed per phone.
    return Math.round(base * (1 + ((this.jitterSeed % 101) / 1000)));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

/** A number from a MAC address, for jitter. */
export function macSeed(mac: string): number {
  let n = 0;
  for (let i = 0; i < mac.length; i++) n = (n * 31 + mac.charCodeAt(i)) >>> 0;
  return n;
}
