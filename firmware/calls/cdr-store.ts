/**
 * The Call Data Record (spec: "Call Data Record (CDR)"): one summary per
 * ended call, for device analytics only. Kept apart from the call lists
 * (class `cdr`, not per user, never uploaded as a call list, not shown),
 * written whatever the call-list settings say, in a ring of
 * MAX_CDR_RECORDS slot files `cdr/<slot>`: the oldest is overwritten.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';

export const MAX_CDR_RECORDS = 100;

export interface CdrRecord {
  seq: number;
  /** Logged-in user, '' when none. */
  user: string;
  remoteParty: { address: string; name: string };
  direction: 'In' | 'Out';
  /** Who ended the call and why: `local-hangup`, `remote-hangup`, `busy`, ... plus the SIP code when known. */
  disconnect: { cause: string; sipCode?: number };
  /** ISO-8601 UTC. */
  startTime: string;
  /** Seconds connected. */
  durationSeconds: number;
  protocol: 'SIP';
  /** Audio bit rate in kbit/s, when the line reports the codec; null otherwise. */
  callRate: number | null;
  callId: string;
  remoteTag: string;
  localTag: string;
  /** Emergency call: the configured location sent with it. */
  emergency?: { location: string };
}

export class CdrStore {
  private records: { slot: number; record: CdrRecord }[] = [];
  private nextSeq = 1;

  constructor(private readonly fs: FileStore, private readonly log: (msg: string) => void) {
    for (const f of fs.list('cdr/')) {
      const slot = Number(f.path.slice(4));
      if (!Number.isInteger(slot)) continue;
      try {
        const record = JSON.parse(utf8Decode(fs.read(f.path) ?? new Uint8Array(0))) as CdrRecord;
        if (typeof record.seq !== 'number') throw new Error('no sequence number');
        this.records.push({ slot, record });
      } catch (e) {
        log(`CDR ${f.path} unreadable (${(e as Error).message}): skipped`);
      }
    }
    this.records.sort((a, b) => a.record.seq - b.record.seq);
    this.nextSeq = this.records.reduce((n, r) => Math.max(n, r.record.seq + 1), 1);
  }

  add(record: Omit<CdrRecord, 'seq'>): void {
    const full: CdrRecord = { ...record, seq: this.nextSeq };
    let slot = this.records.length < MAX_CDR_RECORDS ? this.freeSlot() : this.records[0].slot;
    try {
      this.fs.write(`cdr/${slot}`, utf8Encode(JSON.stringify(full)), { cls: 'cdr' });
    } catch (e) {
      this.log(`CDR write failed (${(e as Error).message})`);
      return;
    }
    this.nextSeq++;
    this.records = this.records.filter((r) => r.slot !== slot);
    this.records.push({ slot, record: full });
  }

  /** Oldest first. */
  all(): CdrRecord[] {
    return this.records.map((r) => r.record);
  }

  private freeSlot(): number {
    for (let s = 0; ; s++) if (!this.records.some((r) => r.slot === s)) return s;
  }
}
