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
 * password at all.
 *
 * Every checked attempt is two writes of one fixed-size record per prompt
 * (nvram), whatever its outcome:
 * 1. `begin`, BEFORE the password is checked: "attempt pending", with the
 *    count as it stands if this attempt fails. A power cut from here on
 *    cannot roll the count back: at boot a pending attempt is a failure.
 * 2. `succeeded` / `failed` / `abandoned`: the resolved state, same size.
 * So a right and a wrong guess cost the same flash operations, and cutting
 * the power at any of them tells an attacker nothing and saves no attempt.
 * A lock that was running when the phone restarted runs again in full.
 */
export const FREE_FAILURES = 2;
export const DELAY_FIRST_MS = 5_000;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_FIRST_MS = 5 * 60_000;
export const LOCK_MAX_MS = 60 * 60_000;
/** Size of every attempt record: both writes of every attempt are the same program operations. */
export const ATTEMPT_RECORD_BYTES = 32;

export type PromptKind = 'menu' | 'login';
export const PROMPT_KINDS: PromptKind[] = ['menu', 'login'];

/** Where the per-prompt attempt records live (a small nvram file each). Writes throw when flash refuses them. */
export interface AttemptRecordStore {
  read(prompt: PromptKind): string | undefined;
  write(prompt: PromptKind, record: string): void;
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

/** An attempt found pending at boot: the phone restarted between `begin` and its outcome. */
export interface InterruptedAttempt extends FailureOutcome {
  prompt: PromptKind;
}

interface PromptState {
  failures: number;
  locks: number;
  /** Monotonic ms until which attempts are refused. */
  until: number;
  locked: boolean;
  /** Pending on flash (found so at boot and not yet resolved). */
  pending: boolean;
}

/** An attempt between `begin` and its outcome: the state before it, and the state it records if it fails. */
interface InFlight {
  before: PromptState;
  ifFailed: PromptState;
  waitMs: number;
}

export class AttemptThrottle {
  private readonly state = new Map<PromptKind, PromptState>();
  private readonly inFlight = new Map<PromptKind, InFlight>();

  constructor(private readonly store: AttemptRecordStore, private readonly monotonic: () => number) {}

  admit(prompt: PromptKind): Admission {
    const s = this.load(prompt);
    const wait = s.until - this.monotonic();
    return wait > 0 ? { allowed: false, waitMs: wait, locked: s.locked } : { allowed: true };
  }

  /**
   * Record the attempt durably as a failure-to-be, before the password is
   * checked. Throws when the record cannot be written: the caller must then
   * refuse the attempt unchecked.
   */
  begin(prompt: PromptKind): void {
    if (this.inFlight.has(prompt)) this.failed(prompt);
    const before = this.load(prompt);
    const f = { before, ...afterFailure(before) };
    this.store.write(prompt, encode(f.ifFailed, true));
    this.inFlight.set(prompt, f);
  }

  /** An attempt of `prompt` was begun and has no outcome yet. */
  unresolved(prompt: PromptKind): boolean {
    return this.inFlight.has(prompt);
  }

  /** The password was right: the count starts again. */
  succeeded(prompt: PromptKind): void {
    this.resolve(prompt, { failures: 0, locks: 0, until: 0, locked: false, pending: false });
  }

  /** The password was wrong (or the user unknown): the failure `begin` recorded stands. */
  failed(prompt: PromptKind): FailureOutcome {
    if (!this.inFlight.has(prompt)) this.beginQuietly(prompt);
    const { ifFailed, waitMs } = this.inFlight.get(prompt) ?? afterFailure(this.load(prompt));
    ifFailed.until = this.monotonic() + waitMs;
    this.resolve(prompt, ifFailed);
    return { failures: ifFailed.failures, waitMs, locked: ifFailed.locked };
  }

  /** The password could not be checked (the profile could not be fetched): nothing counts. */
  abandoned(prompt: PromptKind): void {
    const f = this.inFlight.get(prompt);
    if (f) this.resolve(prompt, f.before);
  }

  /**
   * At boot: attempts the phone was checking when it lost power (or crashed)
   * are failures. Each is resolved on flash so it is reported once.
   */
  recover(): InterruptedAttempt[] {
    const out: InterruptedAttempt[] = [];
    for (const prompt of PROMPT_KINDS) {
      const s = this.load(prompt);
      if (!s.pending) continue;
      s.pending = false;
      this.writeQuietly(prompt, s);
      out.push({ prompt, failures: s.failures, waitMs: Math.max(0, s.until - this.monotonic()), locked: s.locked });
    }
    return out;
  }

  private beginQuietly(prompt: PromptKind): void {
    try {
      this.begin(prompt);
    } catch {
      // Unrecorded: the RAM state still throttles this boot.
    }
  }

  private resolve(prompt: PromptKind, next: PromptState): void {
    this.inFlight.delete(prompt);
    this.state.set(prompt, next);
    this.writeQuietly(prompt, next);
  }

  /** A resolving write that fails leaves the attempt pending on flash: the next boot counts it as a failure. */
  private writeQuietly(prompt: PromptKind, s: PromptState): void {
    try {
      this.store.write(prompt, encode(s, false));
    } catch {
      // See above: failing safe.
    }
  }

  private load(prompt: PromptKind): PromptState {
    let s = this.state.get(prompt);
    if (s) return s;
    s = { failures: 0, locks: 0, until: 0, locked: false, pending: false };
    const stored = this.store.read(prompt);
    const m = stored ? /^(\d+),(\d+),([01])(?:,([01]))?\s*$/.exec(stored) : null;
    if (m) {
      s.failures = Number(m[1]);
      s.locks = Number(m[2]);
      s.pending = m[4] === '1';
      // A lock running at power-off runs again in full (the monotonic clock restarted).
      if (m[3] === '1') {
        s.locked = true;
        s.until = this.monotonic() + lockMs(Math.max(0, s.locks - 1));
      }
    }
    this.state.set(prompt, s);
    return s;
  }
}

/** The state one more failure leads to, and how long the prompt then refuses attempts. */
function afterFailure(before: PromptState): { ifFailed: PromptState; waitMs: number } {
  const ifFailed = { ...before, failures: before.failures + 1, locked: false, pending: false };
  let waitMs = 0;
  if (ifFailed.failures >= LOCK_AFTER_FAILURES) {
    waitMs = lockMs(before.locks);
    ifFailed.locks++;
    ifFailed.locked = true;
  } else if (ifFailed.failures > FREE_FAILURES) {
    waitMs = DELAY_FIRST_MS * 2 ** (ifFailed.failures - FREE_FAILURES - 1);
  }
  return { ifFailed, waitMs };
}

/** Length of the lock that follows `locks` earlier ones. */
function lockMs(locks: number): number {
  return Math.min(LOCK_MAX_MS, LOCK_FIRST_MS * 2 ** Math.min(locks, 16));
}

/** `failures,locks,locked,pending`, space-padded to ATTEMPT_RECORD_BYTES (counts capped so it always fits). */
function encode(s: PromptState, pending: boolean): string {
  const text = `${Math.min(s.failures, 999_999_999)},${Math.min(s.locks, 999_999)},${s.locked ? 1 : 0},${pending ? 1 : 0}`;
  return text.padEnd(ATTEMPT_RECORD_BYTES, ' ');
}
