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

/**
 * The records are read from flash when first needed (a call ends, a user
 * logs out, the records are listed), not at boot: up to MAX_CDR_RECORDS
 * sealed files the boot has no use for.
 */
export class CdrStore {
  /** Oldest first; null until read. */
  private read: Slotted[] | null = null;
  private nextSeq = 1;

  constructor(private readonly fs: FileStore, private readonly log: (msg: string) => void) {}

  /** How many record files there are (from the store's index: nothing read or decrypted). */
  count(): number {
    return this.read ? this.read.length : this.files().length;
  }

  add(record: Omit<CdrRecord, 'seq'>): void {
    this.readRecords();
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

  private get records(): Slotted[] {
    return this.readRecords();
  }

  private set records(records: Slotted[]) {
    this.read = records;
  }

  private files(): { slot: number; path: string }[] {
    return this.fs.list(CDR_DIR).flatMap((f) => {
      const slot = cdrSlotOf(f.path);
      return slot === null || slot >= MAX_CDR_RECORDS ? [] : [{ slot, path: f.path }];
    });
  }

  /** Every readable record (read together: one decryption call), oldest first; unreadable ones are logged and skipped. */
  private readRecords(): Slotted[] {
    if (this.read) return this.read;
    const files = this.files();
    const contents = this.fs.readEach(files.map((f) => f.path));
    let records: Slotted[] = [];
    files.forEach((f, i) => {
      try {
        const bytes = contents[i];
        if (bytes instanceof Error) throw bytes;
        const record = JSON.parse(utf8Decode(bytes ?? new Uint8Array(0))) as CdrRecord;
        if (typeof record.seq !== 'number') throw new Error('no sequence number');
        records.push({ ...f, record });
      } catch (e) {
        this.log(`CDR ${f.path} unreadable (${(e as Error).message}): skipped`);
      }
    });
    records.sort((a, b) => a.record.seq - b.record.seq);
    // Two files of one slot (a power cut cannot make them, a bad image can): the newer one keeps it.
    records = records.filter((r, i) => !records.slice(i + 1).some((n) => n.slot === r.slot));
    this.nextSeq = records.reduce((n, r) => Math.max(n, r.record.seq + 1), 1);
    this.read = records;
    return records;
  }

  private freeSlot(): number {
    for (let s = 0; ; s++) if (!this.records.some((r) => r.slot === s)) return s;
  }
}
