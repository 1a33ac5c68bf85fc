/**
 * The RAM index: one entry per path with a record on flash, its live
 * records in chunk order, its tombstone, and how many blocks still hold
 * anything of it. `apply` folds one committed record in, by the same rule
 * at mount and at run time.
 */
import { utf8Decode } from '../kernel/text-codec';
import { classByCode } from './data-classes';
import { BLOCK_HEADER_BYTES, FLAG_KEY_GENERATION, FLAG_SEALED, KEY_GENERATION_BYTES, RecordKind, decodeMeta, walkRecords, type RecordHeader, type RecordMeta } from './record-format';
import { SEAL_OVERHEAD } from './store-limits';
import type { FileEntry, RecordRef } from './store-types';
import { FlashLog } from './flash-log';

export abstract class StoreIndex extends FlashLog {
  protected readonly files = new Map<string, FileEntry>();

  protected liveFile(path: string): FileEntry | undefined {
    const f = this.files.get(path);
    return f && !f.deleted ? f : undefined;
  }

  protected liveFileCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.deleted) n++;
    return n;
  }

  protected newEntry(path: string, code: number, user: string): FileEntry {
    const f: FileEntry = { path, cls: classByCode(code) ?? 'config', user, resetSeq: -1, deleted: true, tombstone: null, records: [], holders: 0, lastHolder: -1 };
    this.files.set(path, f);
    return f;
  }

  /**
   * Fold one committed record into the index: the same rule at mount and at
   * run time, and independent of the order records arrive in (GC copies can
   * land in any order): the highest origSeq wins.
   */
  protected apply(ref: RecordRef, code: number, path: string, user: string): void {
    const cls = classByCode(code);
    if (!cls) {
      this.log(`store: record of unknown class ${code} for ${path} ignored`);
      return;
    }
    const f = this.files.get(path) ?? this.newEntry(path, code, user);
    if (ref.kind === RecordKind.Delete) {
      if (ref.origSeq > f.resetSeq || (ref.origSeq === f.resetSeq && f.deleted)) {
        f.resetSeq = ref.origSeq;
        f.deleted = true;
        f.records = [];
        f.tombstone = ref;
      }
      return;
    }
    if (ref.origSeq < f.resetSeq || (f.deleted && ref.origSeq === f.resetSeq)) return; // superseded
    if (ref.kind === RecordKind.Write && ref.origSeq > f.resetSeq) {
      f.resetSeq = ref.origSeq;
      f.deleted = false;
      f.tombstone = null;
      f.records = f.records.filter((r) => r.origSeq >= ref.origSeq);
      f.cls = cls;
      f.user = user;
    }
    insertRecord(f.records, ref);
  }

  /** Count newly placed records in their paths' holders. */
  protected accountHolders(): void {
    for (const u of this.unaccounted) {
      const f = this.files.get(u.path) ?? this.newEntry(u.path, u.code, u.user);
      if (f.lastHolder !== u.block) {
        f.holders++;
        f.lastHolder = u.block;
      }
    }
    this.unaccounted = [];
  }

  /** A block leaves the log: its records no longer hold their paths. */
  protected uncount(block: number, bytes: Uint8Array): void {
    const paths = new Set<string>();
    walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
      if (h.kind !== RecordKind.Commit && h.kind !== RecordKind.EraseIntent) paths.add(decodeMeta(bytes, at, h, utf8Decode).path);
    });
    for (const p of paths) {
      const f = this.files.get(p);
      if (!f) continue;
      f.holders--;
      if (f.lastHolder === block) f.lastHolder = -1;
      if (f.holders <= 0 && f.deleted) this.files.delete(p);
    }
  }

  protected refOf(block: number, offset: number, extent: number, h: RecordHeader, m: RecordMeta, gen: number | null): RecordRef {
    const overhead = h.flags & FLAG_SEALED ? SEAL_OVERHEAD + (h.flags & FLAG_KEY_GENERATION ? KEY_GENERATION_BYTES : 0) : 0;
    const data = h.kind === RecordKind.Delete || h.kind === RecordKind.EraseIntent ? 0 : m.dataLength - overhead;
    return { block, offset, extent, kind: h.kind, origSeq: m.origSeq, first: m.chunkFirst, last: m.chunkLast, size: Math.max(0, data), commitBlock: -1, gen: gen ?? -1 };
  }
}

/**
 * Insert a record into a file's chunk list (sorted, non-overlapping). Where
 * ranges overlap, the higher origSeq wins, then the wider range (a merge over
 * its parts), then the newcomer (a GC copy over its original).
 */
function insertRecord(records: RecordRef[], ref: RecordRef): void {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].last < ref.first) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < records.length && records[end].first <= ref.last) {
    const r = records[end];
    if (r.origSeq > ref.origSeq || (r.origSeq === ref.origSeq && r.last - r.first > ref.last - ref.first)) return;
    end++;
  }
  records.splice(lo, end - lo, ref);
}
