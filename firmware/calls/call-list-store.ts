/**
 * Call lists on flash: one record per entry in a ring of slot files
 * `calls/<owner>/<list>/<slot>` (class `callLists`, sealed per user), so
 * recording a call rewrites one small file instead of appending to a big
 * one, and every change is one store transaction (a power cut leaves the
 * old or the new entry, never half of one).
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore, Transaction } from '../storage/file-store';
import { CALL_LIST_NAMES, DISPOSITIONS, type CallListName, type CallRecord } from './call-record';

/** Entries kept per list; the oldest is dropped past it. 3 lists × 30 slots keeps the fs index (512 files) free for other modules. */
export const MAX_ENTRIES_PER_LIST = 30;

/** Beside the list folders: which calls file versions were reported (not a list, so load() skips it). */
const REPORTED_FILE = 'reported';

export interface StoredEntry { list: CallListName; slot: number; record: CallRecord }

/** A path-safe form of a user id (user ids come from outside and become file names). */
export function userPathSegment(user: string): string {
  return `u.${user.replace(/[^A-Za-z0-9._-]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).slice(0, 120)}`;
}

export function ownerDir(user: string | null): string {
  return user ? `calls/${userPathSegment(user)}` : 'calls/phone';
}

export class CallListStore {
  constructor(private readonly fs: FileStore, private readonly log: (msg: string) => void) {}

  /** Every readable entry of one owner; unreadable slots are logged and skipped. */
  load(user: string | null): StoredEntry[] {
    const dir = ownerDir(user);
    const out: StoredEntry[] = [];
    for (const f of this.fs.list(dir + '/')) {
      const rest = f.path.slice(dir.length + 1).split('/');
      const list = rest[0] as CallListName;
      const slot = Number(rest[1]);
      if (rest.length !== 2 || !CALL_LIST_NAMES.includes(list) || !Number.isInteger(slot)) continue;
      try {
        const record = JSON.parse(utf8Decode(this.fs.read(f.path) ?? new Uint8Array(0))) as CallRecord;
        if (typeof record.seq !== 'number' || !DISPOSITIONS.includes(record.disposition)) throw new Error('not a call record');
        out.push({ list, slot, record });
      } catch (e) {
        this.log(`call list entry ${f.path} unreadable (${(e as Error).message}): skipped`);
      }
    }
    return out.sort((a, b) => a.record.seq - b.record.seq);
  }

  /** Apply several changes atomically. */
  change(user: string | null, fn: (ops: CallListOps) => void): void {
    this.fs.transaction((tx) => fn(this.ops(user, tx)));
  }

  /**
   * A user's Delete or Clear: delete is erase. The changes commit together
   * with a re-key of the owner's lists (the live entries rewritten under a
   * new key, the old key destroyed, every block that held the old entries
   * erased), so once this returns nothing removed decrypts with any key.
   */
  changeAndErase(user: string | null, fn: (ops: CallListOps) => void): void {
    this.fs.rekeyClass('callLists', user ?? '', (tx) => fn(this.ops(user, tx)));
  }

  private ops(user: string | null, tx: Transaction): CallListOps {
    const dir = ownerDir(user);
    const opts = { cls: 'callLists' as const, ...(user ? { user } : {}) };
    return {
      put: (list, slot, record) => tx.write(`${dir}/${list}/${slot}`, utf8Encode(JSON.stringify(record)), opts),
      remove: (list, slot) => tx.delete(`${dir}/${list}/${slot}`),
    };
  }

  /** Calls file versions (`file@digest`) whose problems were logged for this owner (empty when none or unreadable). */
  reportedVersions(user: string | null): string[] {
    try {
      const list = JSON.parse(utf8Decode(this.fs.read(`${ownerDir(user)}/${REPORTED_FILE}`) ?? utf8Encode('[]'))) as unknown;
      return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Keep them beside the owner's lists, in the same class: erased with the lists. */
  keepReportedVersions(user: string | null, versions: readonly string[]): void {
    this.fs.write(`${ownerDir(user)}/${REPORTED_FILE}`, utf8Encode(JSON.stringify(versions)), { cls: 'callLists', ...(user ? { user } : {}) });
  }

  /** Drop one user's lists, or (null) every list on the phone, by class erase: keys destroyed, blocks erased. */
  erase(user: string | null): void {
    if (user) this.fs.eraseClass('callLists', user);
    else this.fs.eraseClass('callLists');
  }
}

export interface CallListOps {
  put(list: CallListName, slot: number, record: CallRecord): void;
  remove(list: CallListName, slot: number): void;
}
