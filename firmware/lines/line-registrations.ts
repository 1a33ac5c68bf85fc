/**
 * The registration of each SIP line: the account configuration gives it is
 * handed to the HAL line, the line's state follows its events, and a refused
 * or lost registration is retried with exponential backoff (30 s doubling to
 * 30 min, reset on success) — the firmware retries, not the SIP stack, so
 * every host behaves alike and the screen can say when the next try is.
 */
import type { Line, RegistrationState, SipAccount } from '../../hal/contract';
import type { Timers } from '../kernel/timers';
import type { TimerId } from '../../hal/contract';
import { RetryBackoff } from '../provisioning/retry-backoff';
import { describeServer, sameAccount } from './sip-accounts';
import { t } from '../ui/i18n/messages';

export type LineState = RegistrationState | 'unconfigured';

export interface LineStatus {
  line: number;
  /** What the line key and idle screen call the line. */
  label: string;
  state: LineState;
  /** Why the last registration failed ('' otherwise). */
  reason: string;
  /** Monotonic ms of the next registration attempt after a failure, or null. */
  retryAt: number | null;
}

export interface RegistrationDeps {
  line: Pick<Line, 'register' | 'unregister'>;
  timers: Timers;
  monotonic(): number;
  log: { info(t: string): void; notice(t: string): void; warning(t: string): void; error(t: string): void };
  /** The state of some line changed (screens, LEDs). */
  changed(line: number): void;
  /** Jitter seed for the backoff (the MAC), so a fleet does not retry in step. */
  jitterSeed: number;
}

interface LineEntry {
  status: LineStatus;
  account: SipAccount | null;
  backoff: RetryBackoff;
  retryTimer: TimerId | null;
}

export class LineRegistrations {
  private readonly entries: LineEntry[] = [];

  constructor(private readonly d: RegistrationDeps, lineCount: number) {
    for (let x = 1; x <= lineCount; x++) {
      this.entries.push({
        status: { line: x, label: t('line.label', { n: x }), state: 'unconfigured', reason: '', retryAt: null },
        account: null,
        backoff: new RetryBackoff(d.jitterSeed),
        retryTimer: null,
      });
    }
  }

  /** Put configuration in force: register new or changed accounts, unregister removed ones. */
  configure(accounts: (SipAccount | null)[], labels: string[]): void {
    for (const e of this.entries) {
      const x = e.status.line;
      const account = accounts[x - 1] ?? null;
      const label = labels[x - 1] ?? t('line.label', { n: x });
      const labelChanged = e.status.label !== label;
      e.status.label = label;
      if (sameAccount(e.account, account)) {
        if (labelChanged) this.d.changed(x);
        continue;
      }
      const had = e.account !== null;
      this.cancelRetry(e);
      e.backoff.reset();
      e.account = account;
      if (!account) {
        this.d.log.notice(`line ${x}: no account configured: unregistered`);
        this.set(e, 'unconfigured', '');
        if (had) this.d.line.unregister(x).catch((err) => this.d.log.warning(`line ${x}: unregister failed (${messageOf(err)})`));
        continue;
      }
      this.d.log.notice(`line ${x}: registering with ${describeServer(account)}, expires ${account.server.expires} s`);
      this.attempt(e);
    }
  }

  /** A registration event of the HAL line. */
  onRegistration(x: number, state: RegistrationState, reason = ''): void {
    const e = this.entries[x - 1];
    if (!e || !e.account) return;
    if (state === 'registered') {
      if (e.status.state !== 'registered') this.d.log.notice(`line ${x}: registered`);
      e.backoff.reset();
      this.cancelRetry(e);
      this.set(e, 'registered', '');
      return;
    }
    if (state === 'registering') {
      if (e.status.state !== 'failed') this.set(e, 'registering', '');
      return;
    }
    // failed or lost (unregistered by the server or the stack): retry later.
    if (e.retryTimer !== null) return;
    const delay = e.backoff.next();
    const why = reason || (state === 'unregistered' ? 'registration lost' : 'no reason given');
    this.d.log.warning(`line ${x}: registration failed (${why}); retry ${e.backoff.attempts} in ${Math.round(delay / 1000)} s`);
    e.status.retryAt = this.d.monotonic() + delay;
    e.retryTimer = this.d.timers.after(delay, `line ${x} registration retry`, () => {
      e.retryTimer = null;
      e.status.retryAt = null;
      if (e.account) this.attempt(e);
    });
    this.set(e, 'failed', why);
  }

  status(): LineStatus[] {
    return this.entries.map((e) => ({ ...e.status }));
  }

  configured(x: number): boolean {
    return !!this.entries[x - 1]?.account;
  }

  private attempt(e: LineEntry): void {
    const x = e.status.line;
    const account = e.account!;
    if (e.status.state !== 'failed') this.set(e, 'registering', '');
    this.d.line.register(account).catch((err) => {
      // The host could not even send it (stack down, bad account): a failure like any other.
      if (e.account === account) this.onRegistration(x, 'failed', messageOf(err));
    });
  }

  private cancelRetry(e: LineEntry): void {
    if (e.retryTimer !== null) this.d.timers.cancel(e.retryTimer);
    e.retryTimer = null;
    e.status.retryAt = null;
  }

  private set(e: LineEntry, state: LineState, reason: string): void {
    const changed = e.status.state !== state || e.status.reason !== reason;
    e.status.state = state;
    e.status.reason = reason;
    if (changed) this.d.changed(e.status.line);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
