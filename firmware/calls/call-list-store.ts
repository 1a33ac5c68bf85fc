/**
 * Call lists on flash: one file per entry in a pool of slot files
 * `calls/<owner>/<slot>` (class `callLists`, sealed per user), so recording a
 * call writes one small file instead of rewriting a big one, and every change
 * is one store transaction (a power cut leaves the old or the new entry,
 * never half of one).
 *
 * A slot file holds the entry's JSON as first written, then, one per line,
 * the fields a later change replaced (appended, not rewritten: completing a
 * call programs its changes, not the whole entry again). Which list an entry
 * is in follows from the record itself (`listOf`), so an answered call moves
 * from Missed to Received without moving its file. Firmware before the pool
 * kept `calls/<owner>/<list>/<slot>`: those files are read the same way.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileInfo, FileStore, Transaction } from '../storage/file-store';
import { CALL_LIST_NAMES, DISPOSITIONS, listOf, type CallListName, type CallRecord } from './call-record';

/** Entries kept per list; the oldest is dropped past it. 3 lists × 30 slots keeps the fs index (512 files) free for other modules. */
export const MAX_ENTRIES_PER_LIST = 30;

/** Beside the list folders: which calls file versions were reported (not a list, so load() skips it). */
const REPORTED_FILE = 'reported';

/** Patches appended to an entry before the next change rewrites it whole (bounds the file and its read cost). */
export const MAX_PATCHES_PER_ENTRY = 3;

/** `slot`: the file below the owner's folder (`7`, or `missed/3` as older firmware named it). */
export interface StoredEntry { list: CallListName; slot: string; record: CallRecord; patches: number }

/**
 * Fields a slot file leaves out when they hold these values: what a call's
 * record holds when it starts (the completion writes them if they change),
 * so the entry written at the ring costs less flash.
 */
const UNWRITTEN_DEFAULTS: Partial<CallRecord> = { disposition: 'Partial', duration: 'PT0S', count: 1, connections: [] };

/** An entry as its slot file's first line: the record without the fields that hold their default. */
export function encodeEntry(record: CallRecord): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (JSON.stringify(v) !== JSON.stringify((UNWRITTEN_DEFAULTS as Record<string, unknown>)[k])) out[k] = v;
  return JSON.stringify(out);
}

/** A slot file's bytes as a record: the entry's JSON (defaults filled in), then each line's fields replacing the earlier ones. */
export function parseEntry(bytes: Uint8Array): { record: CallRecord; patches: number } {
  const lines = utf8Decode(bytes).split('\n');
  const record = { ...UNWRITTEN_DEFAULTS, connections: [], ...(JSON.parse(lines[0]) as Partial<CallRecord>) } as CallRecord;
  for (const line of lines.slice(1)) Object.assign(record, JSON.parse(line) as Partial<CallRecord>);
  return { record, patches: lines.length - 1 };
}

/** A path-safe form of a user id (user ids come from outside and become file names). */
export function userPathSegment(user: string): string {
  return `u.${user.replace(/[^A-Za-z0-9._-]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).slice(0, 120)}`;
}

export function ownerDir(user: string | null): string {
  return user ? `calls/${userPathSegment(user)}` : 'calls/phone';
}

export class CallListStore {
  constructor(private readonly fs: FileStore, private readonly log: (msg: string) => void) {}

  /** How many entry files one owner has (from the store's index: nothing read or decrypted). */
  count(user: string | null): number {
    return this.entryFiles(user).length;
  }

  /** Every readable entry of one owner; unreadable slots are logged and skipped. */
  load(user: string | null): StoredEntry[] {
    const dir = ownerDir(user);
    const out: StoredEntry[] = [];
    const entries = this.entryFiles(user);
    // Read together: one decryption call for every entry's records.
    const contents = this.fs.readEach(entries.map((f) => f.path));
    entries.forEach((f, i) => {
      const slot = f.path.slice(dir.length + 1);
      try {
        const bytes = contents[i];
        if (bytes instanceof Error) throw bytes;
        const { record, patches } = parseEntry(bytes ?? new Uint8Array(0));
        if (typeof record.seq !== 'number' || !DISPOSITIONS.includes(record.disposition) || !Array.isArray(record.connections)) throw new Error('not a call record');
        out.push({ list: listOf(record), slot, record, patches });
      } catch (e) {
        this.log(`call list entry ${f.path} unreadable (${(e as Error).message}): skipped`);
      }
    });
    return out.sort((a, b) => a.record.seq - b.record.seq);
  }

  /** The owner's slot files, pooled (`<slot>`) and as older firmware named them (`<list>/<slot>`). */
  private entryFiles(user: string | null): FileInfo[] {
    const dir = ownerDir(user);
    return this.fs.list(dir + '/').filter((f) => {
      const rest = f.path.slice(dir.length + 1).split('/');
      const pooled = rest.length === 1 && /^\d+$/.test(rest[0]);
      const legacy = rest.length === 2 && CALL_LIST_NAMES.includes(rest[0] as CallListName) && /^\d+$/.test(rest[1]);
      return pooled || legacy;
    });
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
      put: (slot, record) => tx.write(`${dir}/${slot}`, utf8Encode(encodeEntry(record)), opts),
      patch: (slot, fields) => tx.append(`${dir}/${slot}`, utf8Encode('\n' + JSON.stringify(fields)), opts),
      remove: (slot) => tx.delete(`${dir}/${slot}`),
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
  put(slot: string, record: CallRecord): void;
  /** Append the fields that changed to the entry in `slot`. */
  patch(slot: string, fields: Partial<CallRecord>): void;
  remove(slot: string): void;
}
