/**
 * One entry of a call list, with the elements of the spec's table
 * ("Call List Elements and Attributes"). A record is created as `Partial`
 * and completed as the call progresses.
 */
export type CallListName = 'missed' | 'received' | 'placed';
export const CALL_LIST_NAMES: CallListName[] = ['missed', 'received', 'placed'];

export type Disposition = 'Busy' | 'Forwarded' | 'Normal' | 'Partial' | 'Preempted' | 'Rejected' | 'RemotelyHandled' | 'Transferred';
export const DISPOSITIONS: Disposition[] = ['Busy', 'Forwarded', 'Normal', 'Partial', 'Preempted', 'Rejected', 'RemotelyHandled', 'Transferred'];

export interface CallParty {
  /** Number or SIP URI. */
  address: string;
  /** Display name ('' when unknown). */
  name: string;
}

export interface CallRecord {
  /** Recorder sequence: orders entries within a list (larger = newer). */
  seq: number;
  direction: 'In' | 'Out';
  disposition: Disposition;
  /** Line (registration) index, from 1. */
  line: number;
  protocol: 'SIP' | 'H323';
  /** Start of the call, `YYYY-MM-DDTHH:MM:SS` (phone time). */
  startTime: string;
  /** Connected time, ISO-8601 `PT…` (PT0S when never connected). */
  duration: string;
  /** Consecutive collapsed calls this entry stands for. */
  count: number;
  destination: CallParty;
  source: CallParty;
  /** Connected parties in chronological order. */
  connections: CallParty[];
  /** Final connected party of a forwarded or transferred call. */
  finalDestination?: CallParty;
}

/** Which list a record belongs to: placed if outgoing, received if an incoming call was ever connected, else missed. */
export function listOf(r: Pick<CallRecord, 'direction' | 'connections'>): CallListName {
  if (r.direction === 'Out') return 'placed';
  return r.connections.length > 0 ? 'received' : 'missed';
}

/** The far party of a record: whom a redial calls. */
export function remoteOf(r: CallRecord): CallParty {
  return r.direction === 'Out' ? r.destination : r.source;
}

/** Milliseconds as ISO-8601 duration, e.g. 4259000 → `PT1H10M59S`. */
export function isoDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h === 0 && m === 0) return `PT${s}S`;
  return `PT${h ? `${h}H` : ''}${m || h ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/** `PT1H10M59S` → ms; null when not an ISO-8601 time duration. */
export function parseIsoDuration(text: string): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text.trim());
  if (!m || text.trim() === 'PT') return null;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Wall time as the spec's `startTime` (2010-01-05T12:38:05). The phone keeps UTC. */
export function startTimeOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
