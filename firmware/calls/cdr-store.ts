/**
 * The Call Data Record (spec: "Call Data Record (CDR)"): one summary per
 * ended call, for device analytics only. Kept apart from the call lists
 * (class `cdr`, never uploaded as a call list, not shown), written whatever
 * the call-list settings say, in a ring of MAX_CDR_RECORDS slots: the oldest
 * is overwritten.
 *
 * A record is sealed under the key of the user the call was made by (class
 * `cdr`, that user), so a logout erases that user's records by class erase
 * (firmware/login/user-data-eraser.ts, from the `userLogout` in the class's
 * declaration) and leaves the phone's own. The slot number is shared by all
 * owners; the file of a slot is `cdr/<slot>` (the phone's) or
 * `cdr/u.<user>/<slot>`, so a path never changes owner (a class erase of one
 * user then cannot leave an older version of a path of another behind).
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { userPathSegment } from './call-list-store';

export const MAX_CDR_RECORDS = 100;
export const CDR_DIR = 'cdr/';

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

/** The file of a slot: the phone's records straight under `cdr/`, a user's in their own folder. */
export function cdrPath(slot: number, user: string): string {
  return user ? `${CDR_DIR}${userPathSegment(user)}/${slot}` : `${CDR_DIR}${slot}`;
}

/** The slot of a CDR file name, or null when the name is not one. */
export function cdrSlotOf(path: string): number | null {
  const m = /^cdr\/(?:u\.[^/]+\/)?(\d+)$/.exec(path);
  return m ? Number(m[1]) : null;
}

interface Slotted { slot: number; path: string; record: CdrRecord }

export class CdrStore {
  private records: Slotted[] = [];
  private nextSeq = 1;

  constructor(private readonly fs: FileStore, private readonly log: (msg: string) => void) {
    for (const f of fs.list(CDR_DIR)) {
      const slot = cdrSlotOf(f.path);
      if (slot === null || slot >= MAX_CDR_RECORDS) continue;
      try {
        const record = JSON.parse(utf8Decode(fs.read(f.path) ?? new Uint8Array(0))) as CdrRecord;
        if (typeof record.seq !== 'number') throw new Error('no sequence number');
        this.records.push({ slot, path: f.path, record });
      } catch (e) {
        log(`CDR ${f.path} unreadable (${(e as Error).message}): skipped`);
      }
    }
    this.records.sort((a, b) => a.record.seq - b.record.seq);
    // Two files of one slot (a power cut cannot make them, a bad image can): the newer one keeps it.
    this.records = this.records.filter((r, i) => !this.records.slice(i + 1).some((n) => n.slot === r.slot));
    this.nextSeq = this.records.reduce((n, r) => Math.max(n, r.record.seq + 1), 1);
  }

  add(record: Omit<CdrRecord, 'seq'>): void {
    const full: CdrRecord = { ...record, seq: this.nextSeq };
    const replaced = this.records.length < MAX_CDR_RECORDS ? null : this.records[0];
    const slot = replaced ? replaced.slot : this.freeSlot();
    const path = cdrPath(slot, full.user);
    try {
      this.fs.transaction((tx) => {
        // The slot's previous record may belong to another owner (another file): it goes in the same transaction.
        if (replaced && replaced.path !== path) tx.delete(replaced.path);
        tx.write(path, utf8Encode(JSON.stringify(full)), { cls: 'cdr', ...(full.user ? { user: full.user } : {}) });
      });
    } catch (e) {
      this.log(`CDR write failed (${(e as Error).message})`);
      return;
    }
    this.nextSeq++;
    this.records = this.records.filter((r) => r.slot !== slot);
    this.records.push({ slot, path, record: full });
  }

  /** A user logged out: their records are no longer the phone's (the logout erases them from flash by class erase). */
  forget(user: string): void {
    this.records = this.records.filter((r) => r.record.user !== user);
  }

  /** Oldest first. */
  all(): CdrRecord[] {
    return this.records.map((r) => r.record);
  }

  private freeSlot(): number {
    for (let s = 0; ; s++) if (!this.records.some((r) => r.slot === s)) return s;
  }
}
