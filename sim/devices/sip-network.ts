/**
 * One virtual SIP network for several simulated phones (`phone sim --phones
 * N`, scenarios with `"phones": ["A", "B"]`): a registrar/proxy that routes a
 * call to the phone whose extension (or registered user) the dialled target
 * names, and relays what either side does — answer, reject, hang up, hold,
 * blind and attended transfer (REFER), forward (302) — to the other side as
 * that side's line events. A conference is mixed on the phone that holds it
 * (firmware/calls), so it needs nothing here. A target no phone answers to
 * stays with the line's scripted far end.
 *
 * Relayed events run on the host's event loop (one `setImmediate` later),
 * never inside the sending phone's firmware entry; `settle()` runs them and
 * settles every phone until nothing is pending.
 */
import type { CallEndCause, Party } from '../../hal/contract';
import type { VirtualLine } from './line';

export interface NetworkMember {
  /** Name in scenarios and the browser UI ("A", "B", …). */
  name: string;
  /** What other phones dial to reach this one ("1001"). */
  extension: string;
  line: VirtualLine;
  /** Let this phone's pending host I/O and guest jobs settle. */
  settle: () => Promise<void>;
}

interface CallEnd {
  member: NetworkMember;
  callId: string;
}

/** The first extension; phone i gets FIRST_EXTENSION + i. */
export const FIRST_EXTENSION = 1001;

export class VirtualSipNetwork {
  private readonly members: NetworkMember[] = [];
  /** Each bridged call end → the other end (both directions stored). */
  private readonly peers = new Map<string, CallEnd>();
  private queue: (() => void)[] = [];
  private scheduled = false;

  /** Add a phone; its line routes calls through the network from now on. */
  join(name: string, line: VirtualLine, settle: () => Promise<void>): NetworkMember {
    const member: NetworkMember = { name, extension: String(FIRST_EXTENSION + this.members.length), line, settle };
    this.members.push(member);
    line.attachNetwork(this, member);
    return member;
  }

  list(): readonly NetworkMember[] {
    return this.members;
  }

  /** The phone a dialled target reaches: its extension, its name, or a user it registered ("sip:1002@pbx" → 1002). */
  route(target: string): NetworkMember | null {
    const user = target.trim().replace(/^sips?:/i, '').split('@')[0].toLowerCase();
    return this.members.find((m) => m.extension === user || m.name.toLowerCase() === user || m.line.registrar.bindings().some((b) => b.user.toLowerCase() === user)) ?? null;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Run relayed events and settle every phone until nothing is left (scenarios, tests). */
  async settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      this.drain();
      for (const m of this.members) await m.settle();
      if (this.queue.length === 0) return;
    }
  }

  // ── called by a member's line (phone side) ──

  /** `from` dialled `target`: true when a phone of the network takes the call (then it rings there). */
  dialed(from: NetworkMember, callId: string, target: string): boolean {
    const to = this.route(target);
    if (!to || to === from) return false;
    this.post(() => this.ringMember(to, { member: from, callId }));
    return true;
  }

  answered(from: NetworkMember, callId: string): void {
    this.relay(from, callId, (peer) => peer.member.line.peerAnswered(peer.callId, partyOf(from)));
  }

  /** The call ended on `from`'s side (hang up, reject, cancel): the other side hears why. */
  ended(from: NetworkMember, callId: string, cause: CallEndCause, sipCode?: number): void {
    const peer = this.unlink(from, callId);
    if (!peer) return;
    const theirs: CallEndCause = cause === 'local-hangup' ? 'remote-hangup' : cause === 'rejected' && sipCode === 486 ? 'busy' : cause;
    this.post(() => peer.member.line.peerEnded(peer.callId, theirs, sipCode));
  }

  held(from: NetworkMember, callId: string, on: boolean): void {
    this.relay(from, callId, (peer) => peer.member.line.peerHeld(peer.callId, on));
  }

  /** Blind transfer: `from` leaves; its party is now calling `target`. */
  transferred(from: NetworkMember, callId: string, target: string): void {
    const peer = this.unlink(from, callId);
    if (!peer) return;
    this.post(() => this.redirect(peer, target));
  }

  /** Attended transfer: `from` leaves both calls; their two parties are connected to each other. */
  attended(from: NetworkMember, callId: string, consultCallId: string): void {
    const a = this.unlink(from, callId);
    const b = this.unlink(from, consultCallId);
    this.post(() => {
      if (a && b) {
        this.link(a, b);
        a.member.line.peerReconnected(a.callId, partyOf(b.member));
        b.member.line.peerReconnected(b.callId, partyOf(a.member));
      } else if (a) {
        a.member.line.peerEnded(a.callId, 'remote-hangup');
      } else if (b) {
        b.member.line.peerEnded(b.callId, 'remote-hangup');
      }
    });
  }

  /** A ringing call forwarded (302): the caller's call now rings `target`. */
  forwarded(from: NetworkMember, callId: string, target: string): void {
    const peer = this.unlink(from, callId);
    if (!peer) return;
    this.post(() => {
      peer.member.line.peerForwarded(peer.callId, target);
      this.redirect(peer, target, false);
    });
  }

  // ── internals ──

  private ringMember(to: NetworkMember, caller: CallEnd): void {
    if (!caller.member.line.isLive(caller.callId)) return;
    const callId = to.line.peerRing(partyOf(caller.member));
    this.link(caller, { member: to, callId });
  }

  /** `end`'s call goes to `target` instead: a phone of the network rings, or the abstract far end takes it. */
  private redirect(end: CallEnd, target: string, announce = true): void {
    const to = this.route(target);
    if (announce) end.member.line.peerTransferring(end.callId, target);
    if (!to || to === end.member) {
      end.member.line.peerReconnected(end.callId, { address: target, name: '' }, false);
      return;
    }
    this.ringMember(to, end);
  }

  private relay(from: NetworkMember, callId: string, fn: (peer: CallEnd) => void): void {
    const peer = this.peers.get(key(from, callId));
    if (peer) this.post(() => fn(peer));
  }

  private link(a: CallEnd, b: CallEnd): void {
    this.peers.set(key(a.member, a.callId), b);
    this.peers.set(key(b.member, b.callId), a);
  }

  private unlink(from: NetworkMember, callId: string): CallEnd | null {
    const peer = this.peers.get(key(from, callId));
    if (!peer) return null;
    this.peers.delete(key(from, callId));
    this.peers.delete(key(peer.member, peer.callId));
    return peer;
  }

  private post(fn: () => void): void {
    this.queue.push(fn);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.queue.shift()!();
  }
}

function key(m: NetworkMember, callId: string): string {
  return `${m.extension}/${callId}`;
}

function partyOf(m: NetworkMember): Party {
  return { address: m.extension, name: `Phone ${m.name}` };
}
