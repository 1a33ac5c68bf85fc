/**
 * Virtual SIP line with a scriptable far end. The phone side implements the
 * HAL `Line`; the far end (`FarEnd`) is what tests, scenarios and the browser
 * UI drive: ring the phone, answer, be busy, forward, hang up, send NOTIFY.
 * Delays run on the virtual clock.
 */
import type { CallEndCause, Line, LineEvent, Party, SipAccount } from '../../hal/contract';
import type { FarEnd, FarEndBehaviour, FarEndCall } from '../phone-api';
import type { VirtualClock } from './clock';
import { VirtualRegistrar } from './registrar';
import type { NetworkMember, VirtualSipNetwork } from './sip-network';

/** One line trace entry: an event the line sent the phone, or a request the phone made of its line. */
export interface LineTrace {
  direction: 'to-phone' | 'from-phone';
  /** Event type (`incoming`, `ended`, …) or request (`dial`, `hold`, …). */
  what: string;
  callId?: string;
  /** The rest, as text: target, cause, state. */
  detail: string;
}

interface CallState extends FarEndCall {
  party: Party;
  timers: number[];
}

export class VirtualLine implements Line {
  private handler: ((e: LineEvent) => void) | null = null;
  private readonly callStates = new Map<string, CallState>();
  private behaviours: FarEndBehaviour[] = [];
  private log: LineEvent[] = [];
  private nextId = 1;
  /** Registration refresh timer of each line the firmware registered. */
  private readonly refreshTimers = new Map<number, number>();
  readonly registrar = new VirtualRegistrar();
  /** Set when the phone is on a virtual SIP network with other phones (sim/devices/sip-network.ts). */
  private network: { net: VirtualSipNetwork; member: NetworkMember } | null = null;
  private readonly traceListeners: ((t: LineTrace) => void)[] = [];

  /** The other side of the wire, for tests, scenarios and the browser UI. */
  readonly farEnd: FarEnd;

  constructor(private readonly clock: VirtualClock, private readonly localAddress: string) {
    this.farEnd = {
      ring: (from, name) => this.ring(from, name),
      answer: (callId) => this.answerOutgoing(callId),
      hangup: (callId) => this.hangupRemote(callId),
      transfer: (callId, target, name) => this.transferRemote(callId, target, name),
      end: (callId, cause, sipCode) => this.end(this.live(callId), cause, sipCode),
      notify: (event, params) => this.notify(event, params),
      script: (behaviours) => this.script(behaviours),
      scripted: () => this.behaviours.map((b) => ({ ...b })),
      calls: () => this.calls(),
      sent: () => this.sent(),
      registrar: this.registrar,
    };
  }

  // ── phone side (HAL Line) ──

  onEvent(handler: (event: LineEvent) => void): void {
    this.handler = handler;
    this.emit({ type: 'registration', state: 'registered' });
  }

  /** Registering takes one tick of virtual time; a bound line refreshes before it expires (as a SIP stack does). */
  async register(account: SipAccount): Promise<void> {
    this.traced('register', undefined, `line ${account.line} ${account.address}`);
    this.stopRefresh(account.line);
    this.clock.setTimer(0, () => {
      this.emit({ type: 'registration', line: account.line, state: 'registering' });
      this.registerNow(account, false);
    });
  }

  async unregister(line: number): Promise<void> {
    this.traced('unregister', undefined, `line ${line}`);
    this.stopRefresh(line);
    this.registrar.unregister(line);
    this.clock.setTimer(0, () => this.emit({ type: 'registration', line, state: 'unregistered' }));
  }

  async dial(target: string): Promise<string> {
    this.traced('dial', undefined, target);
    if (!target.trim()) throw new Error('dial: empty target');
    const call = this.newCall('outgoing', { address: target, name: '' });
    this.later(call, 0, () => this.emit({ type: 'ringing', callId: call.callId }));
    // Another phone of the network takes the call; the scripted far end takes the rest.
    if (this.network?.net.dialed(this.network.member, call.callId, target)) return call.callId;
    const b = this.behaviours.find((x) => x.target === target) ?? this.behaviours.find((x) => x.target === '*');
    if (b) this.later(call, b.afterMs ?? 0, () => this.perform(call, b));
    return call.callId;
  }

  async answer(callId: string): Promise<void> {
    this.traced('answer', callId, '');
    const call = this.live(callId);
    if (call.direction !== 'incoming' || call.state !== 'ringing') throw new Error(`answer: call ${callId} is not ringing in`);
    call.state = 'connected';
    this.emit({ type: 'connected', callId, remote: call.party });
    this.network?.net.answered(this.network.member, callId);
  }

  async reject(callId: string, sipCode = 486): Promise<void> {
    this.traced('reject', callId, String(sipCode));
    const call = this.live(callId);
    this.end(call, 'rejected', sipCode);
  }

  async hangup(callId: string): Promise<void> {
    this.traced('hangup', callId, '');
    const call = this.live(callId);
    this.end(call, call.state === 'ringing' && call.direction === 'outgoing' ? 'cancelled' : 'local-hangup');
  }

  async hold(callId: string, on: boolean): Promise<void> {
    this.traced(on ? 'hold' : 'resume', callId, '');
    const call = this.live(callId);
    if (call.state !== 'connected' && call.state !== 'held') throw new Error(`hold: call ${callId} is not connected`);
    call.state = on ? 'held' : 'connected';
    this.emit(on ? { type: 'held', callId, byRemote: false } : { type: 'resumed', callId, byRemote: false });
    this.network?.net.held(this.network.member, callId, on);
  }

  async transfer(callId: string, target: string): Promise<void> {
    this.traced('transfer', callId, target);
    const call = this.live(callId);
    this.network?.net.transferred(this.network.member, callId, target);
    this.emit({ type: 'transferred', callId, target });
    this.end(call, 'transferred');
  }

  async attendedTransfer(callId: string, consultCallId: string): Promise<void> {
    this.traced('attendedTransfer', callId, `with ${consultCallId}`);
    const call = this.live(callId);
    const consult = this.live(consultCallId);
    this.network?.net.attended(this.network.member, callId, consultCallId);
    this.emit({ type: 'transferred', callId, target: consult.party.address });
    this.end(call, 'transferred');
    this.end(consult, 'transferred');
  }

  async forward(callId: string, target: string): Promise<void> {
    this.traced('forward', callId, target);
    const call = this.live(callId);
    if (call.direction !== 'incoming' || call.state !== 'ringing') throw new Error(`forward: call ${callId} is not ringing in`);
    this.network?.net.forwarded(this.network.member, callId, target);
    this.emit({ type: 'forwarded', callId, target });
    this.end(call, 'forwarded', 302);
  }

  // ── far end (tests, scenarios, browser UI) ──

  ring(from: string, name = ''): string {
    const call = this.newCall('incoming', { address: from, name });
    this.emit({ type: 'incoming', callId: call.callId, remote: call.party, local: this.localAddress });
    return call.callId;
  }

  answerOutgoing(callId: string): void {
    const call = this.live(callId);
    call.state = 'connected';
    this.emit({ type: 'connected', callId, remote: call.party });
  }

  hangupRemote(callId: string): void {
    const call = this.live(callId);
    this.end(call, call.direction === 'incoming' && call.state === 'ringing' ? 'cancelled' : 'remote-hangup');
  }

  transferRemote(callId: string, target: string, name = ''): void {
    const call = this.live(callId);
    if (call.state !== 'connected' && call.state !== 'held') throw new Error(`transfer: call ${callId} is not connected`);
    call.party = { address: target, name };
    call.remote = target;
    call.state = 'connected';
    this.emit({ type: 'transferred', callId, target });
    this.emit({ type: 'connected', callId, remote: call.party });
  }

  notify(event: string, params: Record<string, string> = {}): void {
    this.emit({ type: 'notify', event, params });
  }

  script(behaviours: FarEndBehaviour[]): void {
    this.behaviours = [...behaviours];
  }

  calls(): FarEndCall[] {
    return [...this.callStates.values()].map(({ callId, direction, remote, state }) => ({ callId, direction, remote, state }));
  }

  sent(): LineEvent[] {
    return [...this.log];
  }

  detach(): void {
    this.handler = null;
    // The phone went away (power, reboot): its calls end at the other phones too.
    if (this.network) for (const c of this.callStates.values()) if (c.state !== 'ended') this.network.net.ended(this.network.member, c.callId, 'local-hangup');
    for (const line of [...this.refreshTimers.keys()]) this.stopRefresh(line);
    for (const c of this.callStates.values()) for (const t of c.timers) this.clock.clearTimer(t);
    this.callStates.clear();
  }

  // ── the other phone's side, relayed by the SIP network ──

  attachNetwork(net: VirtualSipNetwork, member: NetworkMember): void {
    this.network = { net, member };
  }

  isLive(callId: string): boolean {
    const call = this.callStates.get(callId);
    return call !== undefined && call.state !== 'ended';
  }

  /** Another phone calls this one. */
  peerRing(from: Party): string {
    return this.ring(from.address, from.name);
  }

  /** The other phone answered (or, after a transfer, the new party did). */
  peerAnswered(callId: string, party: Party): void {
    const call = this.callStates.get(callId);
    if (!call || call.state === 'ended') return;
    call.party = party;
    call.remote = party.address;
    call.state = 'connected';
    this.emit({ type: 'connected', callId, remote: party });
  }

  peerEnded(callId: string, cause: CallEndCause, sipCode?: number): void {
    const call = this.callStates.get(callId);
    if (call) this.end(call, call.direction === 'incoming' && call.state === 'ringing' && cause === 'remote-hangup' ? 'cancelled' : cause, sipCode);
  }

  peerHeld(callId: string, on: boolean): void {
    if (this.isLive(callId)) this.emit(on ? { type: 'held', callId, byRemote: true } : { type: 'resumed', callId, byRemote: true });
  }

  /** The other phone transferred this call (REFER): `target` is the new party, ringing or connected next. */
  peerTransferring(callId: string, target: string): void {
    if (this.isLive(callId)) this.emit({ type: 'transferred', callId, target });
  }

  /** Connected to a new party after a transfer. */
  peerReconnected(callId: string, party: Party, announce = true): void {
    if (!this.isLive(callId)) return;
    if (announce) this.emit({ type: 'transferred', callId, target: party.address });
    this.peerAnswered(callId, party);
  }

  /** The phone this call rang forwarded it (302): it rings `target` now. */
  peerForwarded(callId: string, target: string): void {
    const call = this.callStates.get(callId);
    if (!call || call.state === 'ended') return;
    this.emit({ type: 'forwarded', callId, target });
    call.party = { address: target, name: '' };
    call.remote = target;
  }

  // ── internals ──

  private registerNow(account: SipAccount, refresh: boolean): void {
    this.refreshTimers.delete(account.line);
    const failure = this.registrar.register(account);
    if (failure) {
      this.emit({ type: 'registration', line: account.line, state: 'failed', reason: failure });
      return;
    }
    if (!refresh) this.emit({ type: 'registration', line: account.line, state: 'registered' });
    // Re-register before the binding expires: 60 s early, or at half time for short periods.
    const expires = account.server.expires;
    const refreshInS = expires > 120 ? expires - 60 : expires / 2;
    this.refreshTimers.set(account.line, this.clock.setTimer(refreshInS * 1000, () => this.registerNow(account, true)));
  }

  private stopRefresh(line: number): void {
    const t = this.refreshTimers.get(line);
    if (t !== undefined) this.clock.clearTimer(t);
    this.refreshTimers.delete(line);
  }

  private perform(call: CallState, b: FarEndBehaviour): void {
    if (call.state === 'ended') return;
    switch (b.action) {
      case 'answer':
        call.state = 'connected';
        this.emit({ type: 'connected', callId: call.callId, remote: call.party });
        if (b.hangupAfterMs !== undefined) this.later(call, b.hangupAfterMs, () => this.end(call, 'remote-hangup'));
        return;
      case 'busy':
        return this.end(call, 'busy', 486);
      case 'reject':
        return this.end(call, 'rejected', 603);
      case 'no-answer':
        return this.end(call, 'no-answer', 408);
      case 'forward':
        this.emit({ type: 'forwarded', callId: call.callId, target: b.forwardTo ?? '' });
        call.party = { address: b.forwardTo ?? call.party.address, name: '' };
        return;
    }
  }

  private newCall(direction: 'incoming' | 'outgoing', party: Party): CallState {
    const call: CallState = { callId: `call-${this.nextId++}`, direction, remote: party.address, party, state: 'ringing', timers: [] };
    this.callStates.set(call.callId, call);
    return call;
  }

  private live(callId: string): CallState {
    const call = this.callStates.get(callId);
    if (!call || call.state === 'ended') throw new Error(`no live call ${callId}`);
    return call;
  }

  private end(call: CallState, cause: Extract<LineEvent, { type: 'ended' }>['cause'], sipCode?: number): void {
    if (call.state === 'ended') return;
    call.state = 'ended';
    for (const t of call.timers) this.clock.clearTimer(t);
    this.emit({ type: 'ended', callId: call.callId, cause, ...(sipCode ? { sipCode } : {}) });
    // A bridged call: the other phone hears it (a no-op once the network unlinked the call).
    this.network?.net.ended(this.network.member, call.callId, cause, sipCode);
  }

  private later(call: CallState, ms: number, fn: () => void): void {
    call.timers.push(this.clock.setTimer(ms, fn));
  }

  /** Told of every event to the phone and every request from it (the browser UI's line trace). */
  onTrace(listener: (t: LineTrace) => void): () => void {
    this.traceListeners.push(listener);
    return () => this.traceListeners.splice(this.traceListeners.indexOf(listener), 1);
  }

  private traced(what: string, callId: string | undefined, detail: string): void {
    for (const l of this.traceListeners) l({ direction: 'from-phone', what, ...(callId ? { callId } : {}), detail });
  }

  private emit(event: LineEvent): void {
    if (this.traceListeners.length) {
      const { type, callId, ...rest } = event as LineEvent & { callId?: string };
      const detail = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
      for (const l of this.traceListeners) l({ direction: 'to-phone', what: type, ...(callId ? { callId } : {}), detail });
    }
    this.log.push(event);
    this.handler?.(event);
  }
}
