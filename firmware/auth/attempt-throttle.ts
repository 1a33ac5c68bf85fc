/**
 * Brute-force protection of password prompts (docs/security.md, "Password
 * prompts"). Per prompt (`menu`: admin/user password prompts; `login`: the
 * user-profile login screen), counted in consecutive failures:
 *
 * - failures 1–2: the next attempt is accepted at once;
 * - after the 3rd and 4th failure: the prompt refuses attempts for 5 s, then 10 s;
 * - after the 5th failure: the prompt is locked for 5 minutes; every failure
 *   after a lock locks it again for twice as long (at most 60 minutes);
 * - a correct password resets the count.
 *
 * Attempts refused while waiting or locked are not checked against the
 * password at all. The counts live in device settings (nvram), so a reboot
 * or a power cut does not give an attacker a fresh set of attempts: a lock
 * that was running when the phone restarted runs again in full.
 */
export const FREE_FAILURES = 2;
export const DELAY_FIRST_MS = 5_000;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_FIRST_MS = 5 * 60_000;
export const LOCK_MAX_MS = 60 * 60_000;

export type PromptKind = 'menu' | 'login';

export interface ThrottleStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  remove(name: string): void;
}

export type Admission = { allowed: true } | { allowed: false; waitMs: number; locked: boolean };

/** What a recorded failure led to. */
export interface FailureOutcome {
  failures: number;
  /** > 0: the prompt now refuses attempts for this long. */
  waitMs: number;
  /** The failure started a lock (log it). */
  locked: boolean;
}

interface PromptState {
  failures: number;
  locks: number;
  /** Monotonic ms until which attempts are refused. */
  until: number;
  locked: boolean;
}

export class AttemptThrottle {
  private readonly state = new Map<PromptKind, PromptState>();

  constructor(private readonly store: ThrottleStore, private readonly monotonic: () => number) {}

  admit(prompt: PromptKind): Admission {
    const s = this.load(prompt);
    const wait = s.until - this.monotonic();
    return wait > 0 ? { allowed: false, waitMs: wait, locked: s.locked } : { allowed: true };
  }

  failed(prompt: PromptKind): FailureOutcome {
    const s = this.load(prompt);
    s.failures++;
    let waitMs = 0;
    let locked = false;
    if (s.failures >= LOCK_AFTER_FAILURES) {
      waitMs = Math.min(LOCK_MAX_MS, LOCK_FIRST_MS * 2 ** s.locks);
      s.locks++;
      locked = true;
    } else if (s.failures > FREE_FAILURES) {
      waitMs = DELAY_FIRST_MS * 2 ** (s.failures - FREE_FAILURES - 1);
    }
    s.until = this.monotonic() + waitMs;
    s.locked = locked;
    this.save(prompt, s);
    return { failures: s.failures, waitMs, locked };
  }

  succeeded(prompt: PromptKind): void {
    const s = this.load(prompt);
    if (s.failures === 0 && s.locks === 0) return;
    this.state.set(prompt, { failures: 0, locks: 0, until: 0, locked: false });
    try {
      this.store.remove(key(prompt));
    } catch {
      // nvram full: the count stays in flash, the RAM state is already reset.
    }
  }

  private load(prompt: PromptKind): PromptState {
    let s = this.state.get(prompt);
    if (s) return s;
    s = { failures: 0, locks: 0, until: 0, locked: false };
    const stored = this.store.get(key(prompt));
    const m = stored ? /^(\d+),(\d+),([01])$/.exec(stored) : null;
    if (m) {
      s.failures = Number(m[1]);
      s.locks = Number(m[2]);
      // A lock running at power-off runs again in full (the monotonic clock restarted).
      if (m[3] === '1') {
        s.locked = true;
        s.until = this.monotonic() + Math.min(LOCK_MAX_MS, LOCK_FIRST_MS * 2 ** Math.max(0, s.locks - 1));
      }
    }
    this.state.set(prompt, s);
    return s;
  }

  private save(prompt: PromptKind, s: PromptState): void {
    try {
      this.store.set(key(prompt), `${s.failures},${s.locks},${s.locked ? 1 : 0}`);
    } catch {
      // nvram full or failing: the RAM state still throttles this boot.
    }
  }
}

function key(prompt: PromptKind): string {
  return `auth.throttle.${prompt}`;
}
