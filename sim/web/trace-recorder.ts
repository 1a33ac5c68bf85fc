/**
 * The browser UI's traces of one phone, from host-side device hooks (never
 * from the firmware): line/SIP events and requests (sim/devices/line.ts), network
 * requests with status and size (HTTP provisioning and uploads through
 * HostNet, the analytics broker's socket traffic), and flash operations.
 * Each kind is a ring of the latest entries, numbered so the page fetches
 * only what is new.
 */
import type { Phone } from '../phone';

export const TRACE_KINDS = ['line', 'network', 'flash'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export interface TraceEntry {
  seq: number;
  /** The phone's wall clock, ms since epoch. */
  at: number;
  /** One line for the panel and its filter. */
  summary: string;
  /** The entry's fields, as exported. */
  data: Record<string, unknown>;
}

const KEEP = 5000;

export class TraceRecorder {
  private readonly rings = new Map<TraceKind, TraceEntry[]>(TRACE_KINDS.map((k) => [k, []]));
  private seq = 0;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly phone: Phone) {
    const d = phone.devices;
    this.unsubscribe.push(d.line.onTrace((t) => {
      const arrow = t.direction === 'to-phone' ? '→ phone' : 'phone →';
      this.add('line', `${arrow} ${t.what}${t.callId ? ` ${t.callId}` : ''}${t.detail ? ` ${t.detail}` : ''}`, { ...t });
    }));
    this.unsubscribe.push(d.net.onRequestDone((r) => {
      this.add('network', `${r.method} ${r.url} → ${r.status} · ${r.bytesSent} B sent · ${r.bytesReceived} B received · ${r.ms} ms`, { protocol: 'http', ...r });
    }));
    this.unsubscribe.push(d.socket.onTraffic((t) => {
      this.add('network', `socket ${t.peer} ${t.kind}${t.bytes ? ` ${t.bytes} B` : ''}`, { protocol: 'socket', peer: t.peer, kind: t.kind, bytes: t.bytes });
    }));
    this.unsubscribe.push(d.flash.onOperation((op) => {
      this.add('flash', `${op.kind} ${op.partition} @${op.offset} (block ${Math.floor(op.offset / phone.profile.flash.blockSize)}) ${op.length} B`, { ...op });
    }));
  }

  /** Entries of `kind` after `since` (a seq), matching `filter` (case-insensitive text of the summary). */
  entries(kind: TraceKind, since = 0, filter = ''): TraceEntry[] {
    const needle = filter.toLowerCase();
    return this.rings.get(kind)!.filter((e) => e.seq > since && (!needle || e.summary.toLowerCase().includes(needle)));
  }

  clear(kind: TraceKind): void {
    this.rings.set(kind, []);
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private add(kind: TraceKind, summary: string, data: Record<string, unknown>): void {
    const ring = this.rings.get(kind)!;
    ring.push({ seq: ++this.seq, at: this.phone.devices.clock.now(), summary, data });
    if (ring.length > KEEP) ring.splice(0, ring.length - KEEP);
  }
}

const recorders = new WeakMap<Phone, TraceRecorder>();

/** The phone's recorder, made (and recording) on first use: the web server makes it at start. */
export function tracesOf(phone: Phone): TraceRecorder {
  let r = recorders.get(phone);
  if (!r) {
    r = new TraceRecorder(phone);
    recorders.set(phone, r);
  }
  return r;
}
