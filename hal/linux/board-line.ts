/**
 * The board's SIP line: BaresipLine once baresip's ctrl_tcp answers, and a
 * line that says why it is not there until then. The phone must reach idle
 * without baresip (it may start later, or be misconfigured): while it cannot
 * be reached, line 1 is reported `failed` with the reason (the idle screen
 * shows "Line 1: failed: baresip not reachable at ..."), a registration is
 * answered with the same failure (the firmware retries with its backoff) and
 * call commands reject `io:`. Connecting is retried every RETRY_MS, and again
 * after a lost connection; each change is logged once, not at every retry.
 * Once connected, line 1 is reported `unregistered` (no longer failed) until
 * a registration says more.
 */
import type { Line, LineEvent, SipAccount } from '../contract';
import { BaresipLine } from './baresip-line';

export const RETRY_MS = 10000;

export class BoardLine implements Line {
  private line: BaresipLine | null = null;
  private handler: ((e: LineEvent) => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Why baresip is not usable now; null once connected. */
  private unreachable: string | null = null;
  private readonly where: string;

  constructor(private readonly o: { host: string; port: number; log: (line: string) => void; connectTimeoutMs?: number; retryMs?: number }) {
    this.where = `${o.host}:${o.port}`;
  }

  /** Start connecting; resolves after the first attempt (connected or not). */
  start(): Promise<void> {
    return this.connect();
  }

  close(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.line?.close();
    this.line = null;
  }

  /** Forget the firmware's handler (the firmware restarts in-process). */
  detach(): void {
    this.handler = null;
  }

  onEvent(handler: (event: LineEvent) => void): void {
    this.handler = handler;
    // A firmware that subscribes while baresip is away hears it at once.
    if (this.unreachable) handler({ type: 'registration', state: 'failed', reason: this.unreachable });
  }

  register(account: SipAccount): Promise<void> {
    if (this.line) return this.line.register(account);
    this.handler?.({ type: 'registration', line: account.line, state: 'failed', reason: this.unreachable ?? 'baresip not connected' });
    return Promise.resolve();
  }

  unregister(line: number): Promise<void> {
    if (this.line) return this.line.unregister(line);
    this.handler?.({ type: 'registration', line, state: 'unregistered' });
    return Promise.resolve();
  }

  dial(target: string): Promise<string> { return this.use((l) => l.dial(target)); }
  answer(callId: string): Promise<void> { return this.use((l) => l.answer(callId)); }
  reject(callId: string): Promise<void> { return this.use((l) => l.reject(callId)); }
  hangup(callId: string): Promise<void> { return this.use((l) => l.hangup(callId)); }
  hold(callId: string, on: boolean): Promise<void> { return this.use((l) => l.hold(callId, on)); }
  transfer(callId: string, target: string): Promise<void> { return this.use((l) => l.transfer(callId, target)); }
  attendedTransfer(): Promise<void> { return this.use((l) => l.attendedTransfer()); }
  forward(): Promise<void> { return this.use((l) => l.forward()); }

  private use<T>(fn: (line: BaresipLine) => Promise<T>): Promise<T> {
    if (!this.line) return Promise.reject(new Error(`io: ${this.unreachable ?? 'baresip not connected'}`));
    return fn(this.line);
  }

  private async connect(): Promise<void> {
    this.retry = null;
    if (this.stopped) return;
    try {
      const line = await BaresipLine.connect({ host: this.o.host, port: this.o.port, log: this.o.log, timeoutMs: this.o.connectTimeoutMs ?? 2000 });
      if (this.stopped) {
        line.close();
        return;
      }
      this.line = line;
      const wasReported = this.unreachable !== null;
      this.unreachable = null;
      this.o.log(`line: connected to baresip ctrl_tcp at ${this.where}`);
      line.onEvent((e) => this.handler?.(e));
      // Line 1 no longer "failed": not registered until baresip says otherwise (its own account) or the firmware's retry registers it.
      if (wasReported) this.handler?.({ type: 'registration', state: 'unregistered' });
      line.onLost((why) => {
        this.line = null;
        this.becameUnreachable(`baresip connection lost (${why})`);
      });
    } catch (e) {
      this.becameUnreachable(`baresip not reachable at ${this.where}`, (e as Error).message);
    }
  }

  private becameUnreachable(reason: string, detail?: string): void {
    if (this.stopped) return;
    if (this.unreachable !== reason) {
      this.o.log(`line: ${reason}${detail ? ` (${detail})` : ''}; line 1 shown as failed, retrying every ${Math.round((this.o.retryMs ?? RETRY_MS) / 1000)} s`);
      this.unreachable = reason;
      this.handler?.({ type: 'registration', state: 'failed', reason });
    }
    this.retry = setTimeout(() => void this.connect(), this.o.retryMs ?? RETRY_MS);
    this.retry.unref();
  }
}
