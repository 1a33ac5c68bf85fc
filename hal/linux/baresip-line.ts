/**
 * The Linux board's SIP line: the HAL `Line` implemented by driving baresip
 * over its ctrl_tcp interface (netstring-framed JSON). Commands go out as
 * `{command, params, token}` and are matched to `{response, ok, data, token}`;
 * baresip's call events become HAL line events.
 *
 * baresip 1.0 acts on "the current call": a per-call command first selects
 * the call with `callfind <id>`, and command pairs are serialised so no other
 * command slips in between. An outgoing call's id is first seen on its first
 * call event (CALL_RINGING, CALL_ESTABLISHED or CALL_CLOSED): `dial` resolves
 * then. Not offered by baresip's ctrl_tcp: attended transfer and 302
 * forwarding (those commands reject with `unsupported`).
 *
 * Registration: `register` creates a user agent with `uanew` (one per line,
 * told apart by its AOR in REGISTER_OK / REGISTER_FAIL events); a failed
 * registration deletes that user agent (`uafind` + `uadel`) so that libre
 * does not retry on its own schedule: the firmware retries with its backoff.
 * Calls go out on the lowest registered line (`uafind` before `dial`).
 */
import { connect, type Socket } from 'net';
import type { CallEndCause, Line, LineEvent, SipAccount } from '../contract';
import { baresipAccountLine } from './baresip-account';
import { encodeNetstring, NetstringDecoder } from './netstring';
import { boundAddress, boundParty } from '../../firmware/calls/party-bounds';

export interface BaresipLineOptions {
  host?: string;
  port: number;
  log?: (line: string) => void;
  /** How long a command or a dial's first event may take. */
  timeoutMs?: number;
}

interface BaresipMessage {
  event?: boolean;
  response?: boolean;
  type?: string;
  class?: string;
  direction?: string;
  peeruri?: string;
  peerdisplayname?: string;
  accountaor?: string;
  id?: string;
  param?: string;
  ok?: boolean;
  data?: string;
  token?: string;
}

interface CallInfo {
  direction: 'incoming' | 'outgoing';
  established: boolean;
  /** What the phone did to end it, which decides the end cause. */
  endedBy?: 'reject' | 'hangup';
}

export class BaresipLine implements Line {
  private handler: ((e: LineEvent) => void) | null = null;
  private readonly decoder = new NetstringDecoder();
  private readonly pending = new Map<string, { resolve: (data: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly calls = new Map<string, CallInfo>();
  private readonly dialWaiters: { resolve: (id: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private nextToken = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** AOR of each line's user agent. */
  private readonly accounts = new Map<number, string>();
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;
  private lostListener: ((why: string) => void) | null = null;

  private constructor(private readonly socket: Socket, options: BaresipLineOptions) {
    this.log = options.log ?? (() => {});
    this.timeoutMs = options.timeoutMs ?? 10000;
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => this.lost('connection to baresip closed'));
    socket.on('error', (e) => this.log(`baresip ctrl_tcp: ${e.message}`));
  }

  /** Connect to baresip's ctrl_tcp (retrying while it starts, up to `timeoutMs`). */
  static async connect(options: BaresipLineOptions): Promise<BaresipLine> {
    const host = options.host ?? '127.0.0.1';
    const deadline = Date.now() + (options.timeoutMs ?? 10000);
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(options.port, host, () => resolve(s));
          s.once('error', reject);
        });
        return new BaresipLine(socket, options);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`refused: baresip ctrl_tcp at ${host}:${options.port}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Called once when the connection to baresip ends without `close()` (the board's line reconnects). */
  onLost(listener: (why: string) => void): void {
    this.lostListener = listener;
  }

  // ── HAL Line ──

  onEvent(handler: (event: LineEvent) => void): void {
    this.handler = handler;
  }

  register(account: SipAccount): Promise<void> {
    let entry: { aor: string; line: string };
    try {
      entry = baresipAccountLine(account);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.serial(async () => {
      await this.deleteUa(account.line);
      this.accounts.set(account.line, entry.aor);
      this.emit({ type: 'registration', line: account.line, state: 'registering' });
      try {
        await this.command('uanew', entry.line);
      } catch (e) {
        this.accounts.delete(account.line);
        throw e;
      }
    });
  }

  unregister(line: number): Promise<void> {
    return this.serial(async () => {
      await this.deleteUa(line);
      this.emit({ type: 'registration', line, state: 'unregistered' });
    });
  }

  /** The line numbers of the user agents the firmware registered, with their AORs. */
  registeredAccounts(): Map<number, string> {
    return new Map(this.accounts);
  }

  dial(target: string): Promise<string> {
    if (!target.trim()) return Promise.reject(new Error('dial: empty target'));
    return this.serial(async () => {
      const first = [...this.accounts.keys()].sort((a, b) => a - b)[0];
      if (first !== undefined) await this.command('uafind', this.accounts.get(first));
      const id = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.dialWaiters.splice(this.dialWaiters.findIndex((w) => w.timer === timer), 1);
          reject(new Error(`timeout: no call event from baresip for dial ${target}`));
        }, this.timeoutMs);
        this.dialWaiters.push({ resolve, reject, timer });
      });
      try {
        await this.command('dial', target);
      } catch (e) {
        const w = this.dialWaiters.pop();
        if (w) clearTimeout(w.timer);
        throw e;
      }
      return id;
    });
  }

  answer(callId: string): Promise<void> {
    return this.onCall(callId, 'accept');
  }

  reject(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (call) call.endedBy = 'reject';
    return this.onCall(callId, 'hangup');
  }

  hangup(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (call) call.endedBy = 'hangup';
    return this.onCall(callId, 'hangup');
  }

  hold(callId: string, on: boolean): Promise<void> {
    return this.onCall(callId, on ? 'hold' : 'resume').then(() => this.emit(on ? { type: 'held', callId, byRemote: false } : { type: 'resumed', callId, byRemote: false }));
  }

  transfer(callId: string, target: string): Promise<void> {
    return this.onCall(callId, 'transfer', target);
  }

  attendedTransfer(): Promise<void> {
    return Promise.reject(new Error('unsupported: attended transfer is not offered by baresip ctrl_tcp'));
  }

  forward(): Promise<void> {
    return Promise.reject(new Error('unsupported: redirecting an incoming call is not offered by baresip ctrl_tcp'));
  }

  // ── internals ──

  /** Delete the line's user agent, if it has one (inside `serial`). */
  private async deleteUa(line: number): Promise<void> {
    const aor = this.accounts.get(line);
    if (!aor) return;
    this.accounts.delete(line);
    try {
      await this.command('uafind', aor);
      await this.command('uadel');
    } catch (e) {
      this.log(`baresip: deleting the user agent of line ${line} failed: ${(e as Error).message}`);
    }
  }

  private lineOf(aor: string | undefined): number | undefined {
    if (!aor) return undefined;
    for (const [line, a] of this.accounts) if (a === aor) return line;
    return undefined;
  }

  private registrationEvent(m: BaresipMessage): void {
    const line = this.lineOf(m.accountaor);
    const at = line !== undefined ? { line } : {};
    if (m.type === 'REGISTER_OK') return this.emit({ type: 'registration', ...at, state: 'registered' });
    if (m.type === 'REGISTER_FAIL') {
      // Stop libre's own retries: the firmware retries with its backoff.
      if (line !== undefined) void this.serial(() => this.deleteUa(line));
      return this.emit({ type: 'registration', ...at, state: 'failed', reason: (m.param ?? '').trim() });
    }
    // UNREGISTERING of a user agent the adapter deleted itself is not news (its line was already told).
    if (m.type === 'UNREGISTERING' && line !== undefined) return this.emit({ type: 'registration', line, state: 'unregistered' });
  }

  /** Select the call, then run the command, with nothing in between. */
  private onCall(callId: string, command: string, params?: string): Promise<void> {
    if (!this.calls.has(callId)) return Promise.reject(new Error(`no call ${callId}`));
    return this.serial(async () => {
      await this.command('callfind', callId);
      await this.command(command, params);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private command(command: string, params?: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error('io: baresip connection closed'));
    const token = String(this.nextToken++);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new Error(`timeout: baresip did not answer ${command}`));
      }, this.timeoutMs);
      this.pending.set(token, { resolve, reject, timer });
      this.socket.write(encodeNetstring(JSON.stringify({ command, ...(params !== undefined ? { params } : {}), token })));
    });
  }

  private receive(chunk: Buffer): void {
    let payloads: string[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (e) {
      this.log(`baresip ctrl_tcp: ${(e as Error).message}: connection dropped`);
      this.socket.destroy();
      return;
    }
    for (const text of payloads) {
      let m: BaresipMessage;
      try {
        m = JSON.parse(text) as BaresipMessage;
      } catch {
        this.log(`baresip ctrl_tcp: not JSON, ignored: ${text.slice(0, 80)}`);
        continue;
      }
      if (typeof m !== 'object' || m === null) {
        this.log(`baresip ctrl_tcp: not a JSON object, ignored: ${text.slice(0, 80)}`);
        continue;
      }
      if (m.response) this.answered(m);
      else if (m.event) this.event(m);
    }
  }

  private answered(m: BaresipMessage): void {
    const p = m.token ? this.pending.get(m.token) : undefined;
    if (!p) return;
    this.pending.delete(m.token!);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.data ?? '');
    else p.reject(new Error(`io: baresip refused: ${(m.data ?? '').trim() || 'no reason'}`));
  }

  /** The peer as the firmware may take it: peer URI and display name cut to the contract's limits, each cut logged (sizes only, no party data). */
  private remote(id: string, m: BaresipMessage): { address: string; name: string } {
    const b = boundParty(m.peeruri ?? '', m.peerdisplayname ?? '');
    for (const c of b.cuts) this.log(`baresip: call ${id}: peer ${c}`);
    return { address: b.address, name: b.name };
  }

  private bounded(id: string, address: string): string {
    const cuts: string[] = [];
    const out = boundAddress(address, cuts);
    for (const c of cuts) this.log(`baresip: call ${id}: ${c}`);
    return out;
  }

  private event(m: BaresipMessage): void {
    if (m.type === 'REGISTER_OK' || m.type === 'REGISTER_FAIL' || m.type === 'UNREGISTERING') return this.registrationEvent(m);
    if (m.class !== 'call' || !m.id) return;
    const id = m.id;
    let call = this.calls.get(id);
    if (!call) {
      if (m.type === 'CALL_INCOMING') {
        call = { direction: 'incoming', established: false };
        this.calls.set(id, call);
        return this.emit({ type: 'incoming', callId: id, remote: this.remote(id, m), local: this.bounded(id, m.accountaor ?? '') });
      }
      if (m.direction !== 'outgoing') return;
      call = { direction: 'outgoing', established: false };
      this.calls.set(id, call);
      const waiter = this.dialWaiters.shift();
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(id);
      } else this.log(`baresip: outgoing call ${id} nobody dialled`);
    }
    switch (m.type) {
      case 'CALL_RINGING': case 'CALL_PROGRESS':
        return this.emit({ type: 'ringing', callId: id });
      case 'CALL_ESTABLISHED':
        call.established = true;
        return this.emit({ type: 'connected', callId: id, remote: this.remote(id, m) });
      case 'CALL_TRANSFER':
        return this.emit({ type: 'transferred', callId: id, target: this.bounded(id, m.param ?? '') });
      case 'CALL_CLOSED': {
        this.calls.delete(id);
        const { cause, sipCode } = endCause(call, m.param ?? '');
        return this.emit({ type: 'ended', callId: id, cause, ...(sipCode ? { sipCode } : {}) });
      }
    }
  }

  private lost(why: string): void {
    const unexpected = !this.closed;
    if (unexpected) this.log(`baresip ctrl_tcp: ${why}`);
    this.closed = true;
    for (const [token, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`io: ${why}`));
      this.pending.delete(token);
    }
    for (const w of this.dialWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error(`io: ${why}`));
    }
    for (const id of [...this.calls.keys()]) {
      this.calls.delete(id);
      this.emit({ type: 'ended', callId: id, cause: 'error' });
    }
    if (unexpected) this.lostListener?.(why);
  }

  private emit(e: LineEvent): void {
    try {
      this.handler?.(e);
    } catch (err) {
      this.log(`line event handler failed: ${(err as Error).message}`);
    }
  }
}

/** CALL_CLOSED's reason text (a SIP status line, or baresip's "Connection reset by ...") as a HAL end cause. */
export function endCause(call: CallInfo, reason: string): { cause: CallEndCause; sipCode?: number } {
  const code = /^(\d{3})\b/.exec(reason.trim());
  const sipCode = code ? Number(code[1]) : undefined;
  if (call.endedBy === 'reject') return { cause: 'rejected', sipCode };
  if (call.endedBy === 'hangup') return { cause: call.established || call.direction === 'incoming' ? 'local-hangup' : 'cancelled', sipCode };
  if (sipCode !== undefined) {
    const byCode: Record<number, CallEndCause> = { 486: 'busy', 600: 'busy', 603: 'rejected', 403: 'rejected', 408: 'no-answer', 480: 'no-answer', 487: 'cancelled', 302: 'forwarded' };
    return { cause: byCode[sipCode] ?? (sipCode >= 300 ? 'error' : 'remote-hangup'), sipCode };
  }
  if (/reset by user/i.test(reason)) return { cause: 'local-hangup' };
  if (!call.established) return { cause: call.direction === 'incoming' ? 'cancelled' : 'error' };
  return { cause: 'remote-hangup' };
}
