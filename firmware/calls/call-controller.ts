/**
 * The call state machine: fed by HAL line events and by the screens (keypad),
 * it drives the line (dial, answer, reject, hold, transfer, forward, hang up)
 * and tells the recorder and the CDR what happened to each call.
 *
 * Outgoing: dialing → ringing → connected ⇄ held → ended.
 * Incoming: incoming → connected ⇄ held → ended (or rejected, forwarded,
 * cancelled by the caller, answered elsewhere while ringing).
 * A call placed while another is held is a consultation call: it can
 * complete an attended transfer or join the held call into a conference.
 */
import type { Line, LineEvent, Party } from '../../hal/contract';
import { isoDuration, startTimeOf, type CallRecord, type Disposition } from './call-record';
import type { CallListRecorder, RecordHandle } from './call-list-recorder';
import type { CdrStore } from './cdr-store';
import { RING_ALWAYS, type IncomingCallPolicy, type PartyNameLookup } from './incoming-call-policy';
import { party } from '../kernel/party';
import { boundAddress, boundParty } from './party-bounds';

export type CallState = 'dialing' | 'ringing' | 'incoming' | 'connected' | 'held' | 'ended';

export interface Call {
  /** Local id, stable from the first key press (the line's id arrives later for outgoing calls). */
  key: number;
  callId: string | null;
  direction: 'In' | 'Out';
  state: CallState;
  remote: Party;
  record: CallRecord;
  handle: RecordHandle;
  startedAt: number;
  connectedAt: number | null;
  /** Key of the held call this consultation call was placed from. */
  consultFor?: number;
  conference: boolean;
  /** What the phone did to end it (reject, forward, transfer), which wins over the line's end cause. */
  localEnd?: Disposition;
  /** The far end transferred this call to another party. */
  transferredByRemote: boolean;
  emergency: boolean;
}

export interface CallControllerDeps {
  line: Line;
  now(): number;
  monotonic(): number;
  recorder: CallListRecorder;
  cdr: Pick<CdrStore, 'add'>;
  policy?: () => IncomingCallPolicy;
  lookup?: () => PartyNameLookup | undefined;
  emergencyNumbers(): string[];
  emergencyLocation(): string;
  user(): string | null;
  log: { info(t: string): void; notice(t: string): void; warning(t: string): void; error(t: string): void };
  /** Something about the calls changed (screens redraw). */
  changed(): void;
  /** A call ended and its entry is durable (the module schedules an upload). */
  ended?(call: Call): void;
}

const CAUSE_DISPOSITION: Partial<Record<Extract<LineEvent, { type: 'ended' }>['cause'], Disposition>> = {
  busy: 'Busy',
  rejected: 'Rejected',
  transferred: 'Transferred',
  forwarded: 'Forwarded',
  preempted: 'Preempted',
  'answered-elsewhere': 'RemotelyHandled',
};

export class CallController {
  private readonly live: Call[] = [];
  private nextKey = 1;
  private localAddress = '';
  /** Events for a call id the line reported before `dial` resolved with it. */
  private early: LineEvent[] = [];

  constructor(private readonly d: CallControllerDeps) {}

  calls(): readonly Call[] {
    return this.live;
  }

  /** The call the screen shows: a ringing incoming call first, else the newest not held, else the newest. */
  focused(): Call | undefined {
    return this.live.find((c) => c.state === 'incoming') ?? [...this.live].reverse().find((c) => c.state !== 'held') ?? this.live[this.live.length - 1];
  }

  // ── commands (keypad, screens) ──

  dial(target: string): Call | null {
    const address = target.trim();
    if (!address) return null;
    if (!/^[\w.+*#@:;=%-]{1,256}$/.test(address)) {
      this.d.log.warning(`dial: "${party(address, 'address')}" is not a number or SIP URI: not dialled`);
      return null;
    }
    const active = this.live.find((c) => c.state === 'connected');
    if (active) void this.hold(active, true);
    const held = this.live.find((c) => c.state === 'held' || c === active);
    const emergency = this.d.emergencyNumbers().includes(address);
    const name = this.d.lookup?.()?.(address) ?? '';
    const call = this.newCall('Out', { address, name }, { address: this.localAddress, name: '' }, { address, name }, held?.key, emergency);
    if (emergency) this.d.log.notice(`emergency call to ${address}, location "${this.d.emergencyLocation()}"`);
    this.d.line.dial(address).then((callId) => {
      call.callId = callId;
      if (!this.live.includes(call)) {
        // Hung up before the line named the call: end the line's call too, or it rings on at the far end.
        this.early = this.early.filter((e) => !('callId' in e && e.callId === callId));
        void this.command(call, 'hangup', this.d.line.hangup(callId));
        this.dropUnclaimedEarly();
        return;
      }
      const early = this.early.filter((e) => 'callId' in e && e.callId === callId);
      this.early = this.early.filter((e) => !early.includes(e));
      for (const e of early) this.onLineEvent(e);
      this.dropUnclaimedEarly();
    }, (e) => {
      this.d.log.error(`dial ${party(address, 'address')} failed: ${(e as Error).message}`);
      this.finish(call, 'error');
      this.dropUnclaimedEarly();
    });
    this.d.changed();
    return call;
  }

  answer(call: Call): void {
    if (call.state !== 'incoming' || !call.callId) return;
    for (const other of this.live) if (other !== call && other.state === 'connected') void this.hold(other, true);
    this.command(call, 'answer', this.d.line.answer(call.callId));
  }

  reject(call: Call): void {
    if (call.state !== 'incoming' || !call.callId) return;
    call.localEnd = 'Rejected';
    this.command(call, 'reject', this.d.line.reject(call.callId, 486));
  }

  forward(call: Call, target: string): void {
    if (call.state !== 'incoming' || !call.callId || !target.trim()) return;
    call.localEnd = 'Forwarded';
    call.record.finalDestination = { address: target.trim(), name: this.d.lookup?.()?.(target.trim()) ?? '' };
    this.command(call, 'forward', this.d.line.forward(call.callId, target.trim()));
  }

  hangup(call: Call): void {
    if (call.conference) {
      for (const c of this.live.filter((x) => x.conference)) if (c.callId) this.command(c, 'hangup', this.d.line.hangup(c.callId));
      return;
    }
    if (call.callId) this.command(call, 'hangup', this.d.line.hangup(call.callId));
    else this.finish(call, 'cancelled');
  }

  hold(call: Call, on: boolean): Promise<void> {
    if (!call.callId || (on ? call.state !== 'connected' : call.state !== 'held')) return Promise.resolve();
    call.state = on ? 'held' : 'connected';
    this.d.changed();
    return this.command(call, on ? 'hold' : 'resume', this.d.line.hold(call.callId, on));
  }

  /** Blind transfer to `target`, or attended transfer to the consultation call when there is one and no target. */
  transfer(call: Call, target?: string): void {
    if (!target && call.consultFor !== undefined) {
      // Pressed on the consultation call: transfer the held call to this one.
      const held = this.live.find((c) => c.key === call.consultFor);
      if (held) return this.transfer(held);
    }
    const consult = this.live.find((c) => c.consultFor === call.key && c.state === 'connected');
    if (!target && consult && call.callId && consult.callId) {
      call.localEnd = 'Transferred';
      consult.localEnd = 'Transferred';
      call.record.finalDestination = { ...consult.remote };
      this.command(call, 'attended transfer', this.d.line.attendedTransfer(call.callId, consult.callId));
      return;
    }
    if (!target || !call.callId) return;
    call.localEnd = 'Transferred';
    call.record.finalDestination = { address: target, name: this.d.lookup?.()?.(target) ?? '' };
    this.command(call, 'transfer', this.d.line.transfer(call.callId, target));
  }

  /** Join the held call and its connected consultation call into a (locally mixed) conference. */
  conference(): boolean {
    const consult = this.live.find((c) => c.consultFor !== undefined && c.state === 'connected');
    const held = consult && this.live.find((c) => c.key === consult.consultFor && c.state === 'held');
    if (!consult || !held) return false;
    consult.conference = held.conference = true;
    consult.handle.conferenced = true;
    this.d.recorder.update(consult.handle, consult.record);
    void this.hold(held, false);
    this.d.log.info(`conference: ${party(held.remote.address, 'address')} + ${party(consult.remote.address, 'address')}`);
    return true;
  }

  // ── line events ──

  onLineEvent(event: LineEvent): void {
    if (event.type === 'registration' || event.type === 'notify') return;
    const e = this.bounded(event);
    if (e.type === 'incoming') return this.incoming(e.callId, e.remote, e.local);
    const call = this.live.find((c) => c.callId === e.callId);
    if (!call) {
      if (this.live.some((c) => c.callId === null)) this.early.push(e);
      else this.d.log.warning(`line: ${e.type} for unknown call ${e.callId} ignored`);
      return;
    }
    switch (e.type) {
      case 'ringing':
        if (call.state === 'dialing') call.state = 'ringing';
        break;
      case 'connected': {
        const remote = e.remote && e.remote.address ? { address: e.remote.address, name: e.remote.name || this.nameOf(e.remote.address) } : call.remote;
        call.remote = remote;
        if (call.connectedAt === null) call.connectedAt = this.d.monotonic();
        call.state = 'connected';
        const final = call.record.finalDestination;
        if (final && final.address === remote.address && !final.name) call.record.finalDestination = { ...final, name: remote.name };
        this.connect(call, remote);
        break;
      }
      case 'held': case 'resumed':
        if (!e.byRemote) call.state = e.type === 'held' ? 'held' : 'connected';
        break;
      case 'transferred': {
        // The far end transferred us (or our REFER went through): the new party is the final destination.
        const target = { address: e.target, name: this.nameOf(e.target) };
        call.record.finalDestination = target;
        if (!call.localEnd) {
          call.transferredByRemote = true;
          call.remote = target;
          this.connect(call, target);
        } else this.d.recorder.update(call.handle, call.record);
        break;
      }
      case 'forwarded': {
        const target = { address: e.target, name: this.nameOf(e.target) };
        call.record.finalDestination = target;
        if (call.direction === 'Out') call.remote = target;
        else call.localEnd = call.localEnd ?? 'Forwarded';
        this.d.recorder.update(call.handle, call.record);
        break;
      }
      case 'ended':
        this.finish(call, e.cause, e.sipCode);
        return;
    }
    this.d.changed();
  }

  /** The last line of defence: names and addresses from the line cut to what a SIP phone accepts, each cut logged. */
  private bounded<E extends LineEvent>(e: E): E {
    const cuts: string[] = [];
    let out: LineEvent = e;
    if ((e.type === 'incoming' || e.type === 'connected') && e.remote) {
      const b = boundParty(e.remote.address, e.remote.name);
      if (b.cuts.length) {
        cuts.push(...b.cuts);
        out = { ...e, remote: { address: b.address, name: b.name } };
      }
    } else if (e.type === 'transferred' || e.type === 'forwarded') {
      const target = boundAddress(e.target, cuts);
      if (cuts.length) out = { ...e, target };
    }
    for (const c of cuts) this.d.log.warning(`line: ${e.type} call ${'callId' in e ? e.callId : ''}: ${c}`);
    return out as E;
  }

  private incoming(callId: string, remote: Party, local: string): void {
    if (local) this.localAddress = local;
    const decision = (this.d.policy?.() ?? RING_ALWAYS)(remote);
    const name = decision.displayName ?? (remote.name || this.nameOf(remote.address));
    const call = this.newCall('In', { address: remote.address, name }, { address: remote.address, name }, { address: local, name: '' }, undefined, false);
    call.callId = callId;
    if (decision.action === 'reject') {
      this.d.log.info(`incoming call from ${party(remote.address, 'address')} rejected by the directory`);
      this.reject(call);
    } else if (decision.action === 'divert' && decision.divertTo) {
      this.d.log.info(`incoming call from ${party(remote.address, 'address')} diverted to ${party(decision.divertTo, 'address')} by the directory`);
      this.forward(call, decision.divertTo);
    }
    this.d.changed();
  }

  private newCall(direction: 'In' | 'Out', remote: Party, source: Party, destination: Party, consultFor: number | undefined, emergency: boolean): Call {
    const startedAt = this.d.now();
    const record: CallRecord = {
      seq: 0, direction, disposition: 'Partial', line: 1, protocol: 'SIP', startTime: startTimeOf(startedAt), duration: 'PT0S', count: 1,
      destination, source, connections: [],
    };
    const call: Call = {
      key: this.nextKey++, callId: null, direction, state: direction === 'In' ? 'incoming' : 'dialing', remote, record,
      handle: this.d.recorder.open(record, consultFor !== undefined), startedAt, connectedAt: null,
      ...(consultFor !== undefined ? { consultFor } : {}), conference: false, transferredByRemote: false, emergency,
    };
    this.live.push(call);
    return call;
  }

  private connect(call: Call, party: Party): void {
    const last = call.record.connections[call.record.connections.length - 1];
    if (!last || last.address !== party.address) call.record.connections.push({ address: party.address, name: party.name });
    if (call.direction === 'Out' && !call.record.destination.name && party.name && party.address === call.record.destination.address) {
      call.record.destination = { ...call.record.destination, name: party.name };
    }
    this.d.recorder.update(call.handle, call.record);
  }

  private finish(call: Call, cause: string, sipCode?: number): void {
    const at = this.live.indexOf(call);
    if (at < 0) return;
    this.live.splice(at, 1);
    const connectedMs = call.connectedAt === null ? 0 : this.d.monotonic() - call.connectedAt;
    call.state = 'ended';
    call.record.disposition = call.localEnd ?? CAUSE_DISPOSITION[cause as keyof typeof CAUSE_DISPOSITION] ?? (call.transferredByRemote ? 'Transferred' : 'Normal');
    call.record.duration = isoDuration(connectedMs);
    this.d.recorder.finish(call.handle, call.record);
    this.d.cdr.add({
      user: this.d.user() ?? '',
      remoteParty: { ...call.remote },
      direction: call.direction,
      disconnect: { cause, ...(sipCode ? { sipCode } : {}) },
      startTime: new Date(call.startedAt).toISOString(),
      durationSeconds: Math.round(connectedMs / 1000),
      protocol: 'SIP',
      callRate: null,
      callId: call.callId ?? '',
      remoteTag: '',
      localTag: '',
      ...(call.emergency ? { emergency: { location: this.d.emergencyLocation() } } : {}),
    });
    this.d.log.info(`call ${call.direction === 'In' ? 'from' : 'to'} ${party(call.remote.address, 'address')} ended: ${cause}${sipCode ? ` (${sipCode})` : ''}, ${call.record.disposition}, ${call.record.duration}`);
    // A held call whose consultation call ended stays held; a conference partner left alone is a plain call again.
    for (const c of this.live) {
      if (c.consultFor === call.key) delete c.consultFor;
      if (c.conference && !this.live.some((o) => o !== c && o.conference)) c.conference = false;
    }
    this.d.ended?.(call);
    this.d.changed();
  }

  /** Once no dial waits for its id, events held back for one belong to no call: report and drop them (else they pile up). */
  private dropUnclaimedEarly(): void {
    if (this.early.length === 0 || this.live.some((c) => c.callId === null)) return;
    for (const e of this.early) this.d.log.warning(`line: ${e.type} for unknown call ${'callId' in e ? e.callId : ''} ignored`);
    this.early = [];
  }

  private nameOf(address: string): string {
    return this.d.lookup?.()?.(address) ?? '';
  }

  private command(call: Call, what: string, p: Promise<void>): Promise<void> {
    return p.catch((e) => {
      this.d.log.error(`${what} of call ${call.callId ?? call.key} failed: ${(e as Error).message}`);
      if (what === 'reject' || what === 'forward' || what.includes('transfer')) {
        delete call.localEnd;
        delete call.record.finalDestination;
      }
      this.d.changed();
    });
  }
}
