/**
 * The flash store: named files over one raw NOR partition, power-loss safe,
 * wear aware, with cryptographic erase by data class. The on-flash format and
 * the rules that make it safe are in docs/storage-format.md; in short:
 *
 * - the partition is a log of blocks; records are appended to the head block;
 * - every change is a transaction: its records, contiguous in log order, then
 *   a Commit record; at mount, records without their Commit are ignored;
 * - garbage collection copies the live records of the oldest block to the
 *   head (keeping each record's original sequence number), commits the
 *   copies, then erases the block; interrupted at any point, the state at
 *   mount is either "before" or "after" (duplicates are resolved);
 * - personal classes are sealed (AES-256-GCM) under per-class / per-user keys
 *   in the HAL keystore; `eraseClass` destroys the key and erases every block
 *   holding a record of the class, moving the other classes' live records out
 *   first. A sealed record whose key is missing at mount means an interrupted
 *   erase: the erase is finished then.
 *
 * RAM: one small entry per block, one entry per file, and per file at most
 * MERGE_TRIGGER records plus one per full chunk (chunks near a block in size)
 * — bounded by the partition's geometry, not by the bytes stored. Reads
 * assemble the file being read.
 */
import type { Crypto, FlashPartition } from '../../hal/contract';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import { crc32 } from './crc32';
import { DATA_CLASSES, classByCode, classKeyName, type DataClassId } from './data-classes';
import { StorageFullError, StorageUsageError } from './errors';
import {
  ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, FLAG_SEALED, RECORD_HEADER_BYTES, RecordKind, UNIT,
  decodeBlockUnit, decodePayload, decodeRecordHeader, encodeBlockUnit, encodeCommit, encodeRecord, isErasedUnit,
  recordCrcOk, recordExtent, type RecordHeader, type RecordPayload,
} from './record-format';

/** Blocks kept free so garbage collection always has room to copy into. */
const RESERVE_BLOCKS = 2;
/** Appends beyond this many records in one file trigger merging of the newest ones. */
export const MERGE_TRIGGER = 32;
const MERGE_BATCH = 16;
const SEAL_OVERHEAD = 28; // GCM IV + tag
const MAX_PATH_BYTES = 200;
const MAX_USER_BYTES = 64;

export interface StoreOptions { cls: DataClassId; user?: string }

export interface FileInfo { path: string; size: number; cls: DataClassId; user?: string }

export interface EraseReport { blocksErased: number; recordsMoved: number; programOps: number; eraseOps: number }

export interface StoreStats {
  blocks: number;
  freeBlocks: number;
  files: number;
  liveBytes: number;
  eraseCounts: number[];
  programOps: number;
  programBytes: number;
  eraseOps: number;
  gcRuns: number;
}

export interface Transaction {
  write(path: string, data: Uint8Array, opts: StoreOptions): void;
  append(path: string, data: Uint8Array, opts: StoreOptions): void;
  delete(path: string): void;
}

interface RecordRef {
  block: number;
  offset: number;
  extent: number;
  kind: RecordKind;
  origSeq: number;
  first: number;
  last: number;
  /** Plain data bytes (after unsealing). */
  size: number;
}

interface FileEntry {
  path: string;
  cls: DataClassId;
  user: string;
  /** origSeq of the latest Write or Delete: records older than it are dead. */
  resetSeq: number;
  deleted: boolean;
  tombstone: RecordRef | null;
  /** Live data records, ordered by chunk. */
  records: RecordRef[];
}

interface Block {
  index: number;
  state: 'free' | 'active' | 'unknown';
  /** Log order (active blocks). */
  seq: number;
  eraseCount: number | null;
  /** End of the written log in this block. */
  end: number;
  /** No more appends (damaged tail or superseded head). */
  closed: boolean;
}

interface PendingRecord { ref: RecordRef; header: RecordHeader; payload: RecordPayload }

/** A record ready to be programmed. */
interface Outgoing { bytes: Uint8Array; header: RecordHeader; payload: RecordPayload; size: number }

export class FileStore {
  private readonly blocks: Block[] = [];
  private readonly files = new Map<string, FileEntry>();
  private head: Block | null = null;
  private nextTxSeq = 1;
  private nextBlockSeq = 1;
  private counters = { programOps: 0, programBytes: 0, eraseOps: 0, gcRuns: 0 };

  private constructor(private readonly part: FlashPartition, private readonly crypto: Crypto, private readonly log: (msg: string) => void) {
    if (part.progSize > UNIT || UNIT % part.progSize !== 0) throw new Error(`flash store needs a program size dividing ${UNIT}, got ${part.progSize}`);
    for (let i = 0; i < part.size / part.blockSize; i++) {
      this.blocks.push({ index: i, state: 'unknown', seq: 0, eraseCount: null, end: BLOCK_HEADER_BYTES, closed: false });
    }
  }

  /** Mount the store on a partition: rebuild the index from flash, finish interrupted erases. */
  static mount(part: FlashPartition, crypto: Crypto, log: (msg: string) => void = () => {}): FileStore {
    const store = new FileStore(part, crypto, log);
    store.scan();
    return store;
  }

  // ───────────── files ─────────────

  read(path: string): Uint8Array | null {
    const f = this.files.get(path);
    if (!f || f.deleted) return null;
    const parts = f.records.map((r) => this.readData(f, r));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  exists(path: string): boolean {
    const f = this.files.get(path);
    return !!f && !f.deleted;
  }

  write(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.write(path, data, opts));
  }

  append(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.append(path, data, opts));
    this.mergeIfFragmented(path);
  }

  delete(path: string): void {
    this.transaction((tx) => tx.delete(path));
  }

  list(prefix = ''): FileInfo[] {
    const out: FileInfo[] = [];
    for (const f of this.files.values()) {
      if (f.deleted || !f.path.startsWith(prefix)) continue;
      out.push({ path: f.path, size: f.records.reduce((n, r) => n + r.size, 0), cls: f.cls, ...(f.user ? { user: f.user } : {}) });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Several changes, all or nothing (also across a power cut). */
  transaction(fn: (tx: Transaction) => void): void {
    const out: Outgoing[] = [];
    const txSeq = this.nextTxSeq;
    // Chunk numbering as the transaction proceeds (an append after a write in the same tx).
    const nextChunk = new Map<string, number>();
    const fileOf = (path: string) => this.files.get(path);
    const chunkAfter = (path: string): number | null => {
      if (nextChunk.has(path)) return nextChunk.get(path)!;
      const f = fileOf(path);
      if (!f || f.deleted) return null;
      return f.records.length ? f.records[f.records.length - 1].last + 1 : 1;
    };
    const emit = (kind: RecordKind, path: string, data: Uint8Array, opts: StoreOptions, firstChunk: number) => {
      const pathBytes = this.checkPath(path);
      const userBytes = this.checkUser(opts.user ?? '');
      const sealed = DATA_CLASSES[opts.cls].personal;
      const room = this.maxDataBytes(pathBytes.length, userBytes.length) - (sealed ? SEAL_OVERHEAD : 0);
      let chunk = firstChunk;
      let k = kind;
      for (let at = 0; at < data.length || (at === 0 && data.length === 0); at += room) {
        const piece = data.subarray(at, Math.min(data.length, at + room));
        out.push(this.encode(k, opts.cls, opts.user ?? '', path, pathBytes, userBytes, txSeq, txSeq, chunk, chunk, piece));
        k = RecordKind.Append;
        chunk++;
        if (data.length === 0) break;
      }
      nextChunk.set(path, chunk);
    };
    fn({
      write: (path, data, opts) => emit(RecordKind.Write, path, data, opts, 0),
      append: (path, data, opts) => {
        const next = chunkAfter(path);
        if (next === null) emit(RecordKind.Write, path, data, opts, 0);
        else {
          const f = fileOf(path);
          if (f && !nextChunk.has(path) && f.cls !== opts.cls) throw new StorageUsageError(`append to ${path}: file is of class ${f.cls}, not ${opts.cls}`);
          emit(RecordKind.Append, path, data, opts, next);
        }
      },
      delete: (path) => {
        const f = fileOf(path);
        if ((!f || f.deleted) && !nextChunk.has(path)) return;
        const cls = f?.cls ?? 'config';
        out.push(this.encode(RecordKind.Delete, cls, f?.user ?? '', path, this.checkPath(path), this.checkUser(f?.user ?? ''), txSeq, txSeq, 0, 0, new Uint8Array(0)));
        nextChunk.delete(path);
      },
    });
    if (out.length === 0) return;
    this.commit(txSeq, out);
  }

  /**
   * Cryptographic erase plus clear: destroy the class's key(s) and erase every
   * block holding any record of the class (all users, or one user), after
   * moving the other classes' live records out.
   */
  eraseClass(cls: DataClassId, user?: string): EraseReport {
    const before = { ...this.counters };
    const keys = user !== undefined ? [classKeyName(cls, user)] : [classKeyName(cls), ...this.crypto.listKeys(`store.${cls}.u.`)];
    for (const k of keys) this.crypto.destroyKey(k);
    this.log(`store: erasing class ${cls}${user !== undefined ? ` of user ${user}` : ''}`);
    const code = DATA_CLASSES[cls].code;
    const blocksErased = this.scrub((h, p) => h.classCode === code && (user === undefined || p.user === user));
    return {
      blocksErased: blocksErased.blocks,
      recordsMoved: blocksErased.moved,
      programOps: this.counters.programOps - before.programOps,
      eraseOps: this.counters.eraseOps - before.eraseOps,
    };
  }

  stats(): StoreStats {
    let liveBytes = 0;
    for (const f of this.files.values()) for (const r of f.records) liveBytes += r.extent;
    return {
      blocks: this.blocks.length,
      freeBlocks: this.blocks.filter((b) => b.state !== 'active').length,
      files: this.list().length,
      liveBytes,
      eraseCounts: this.blocks.map((b) => b.eraseCount ?? 0),
      ...this.counters,
    };
  }

  // ───────────── mount ─────────────

  private scan(): void {
    const active: { block: Block; seq: number }[] = [];
    let knownCounts = 0;
    let countSum = 0;
    for (const b of this.blocks) {
      const h = this.part.read(b.index * this.part.blockSize, BLOCK_HEADER_BYTES);
      b.eraseCount = decodeBlockUnit(h, 0, ERASE_MAGIC);
      if (b.eraseCount !== null) {
        knownCounts++;
        countSum += b.eraseCount;
      }
      const seq = decodeBlockUnit(h, UNIT, ACTIVE_MAGIC);
      if (seq !== null && b.eraseCount !== null) {
        b.state = 'active';
        b.seq = seq;
        active.push({ block: b, seq });
      } else {
        // Free if cleanly erased; otherwise (blank, torn erase, damaged header) erased before use.
        b.state = b.eraseCount !== null && isErasedUnit(h, UNIT) ? 'free' : 'unknown';
      }
    }
    // A block whose wear record was lost in a torn erase is assumed as worn as the average.
    const average = knownCounts ? Math.round(countSum / knownCounts) : 0;
    for (const b of this.blocks) if (b.eraseCount === null) b.eraseCount = average;

    active.sort((a, b) => a.seq - b.seq);
    let pending: { txSeq: number; records: PendingRecord[] } | null = null;
    let maxTx = 0;
    const orphanKeys = new Set<string>();
    for (const { block } of active) {
      this.nextBlockSeq = Math.max(this.nextBlockSeq, block.seq + 1);
      const bytes = this.part.read(block.index * this.part.blockSize, this.part.blockSize);
      let at = BLOCK_HEADER_BYTES;
      block.end = at;
      while (at + UNIT <= bytes.length) {
        if (isErasedUnit(bytes, at)) break;
        const h = decodeRecordHeader(bytes, at);
        const extent = recordExtent(h, at, bytes.length);
        if (extent === null || !recordCrcOk(bytes, at, h)) {
          // A torn or damaged record: nothing after it in this block can be trusted or appended to.
          this.log(`store: block ${block.index}: damaged record at ${at}, rest of block ignored`);
          block.closed = true;
          break;
        }
        maxTx = Math.max(maxTx, h.txSeq);
        if (h.kind === RecordKind.Commit) {
          if (pending && pending.txSeq === h.txSeq && pending.records.length === h.length) {
            for (const r of pending.records) this.apply(r.ref, r.header, r.payload);
          }
          pending = null;
        } else {
          if (pending && pending.txSeq !== h.txSeq) pending = null; // the earlier transaction never committed
          if (!pending) pending = { txSeq: h.txSeq, records: [] };
          const payload = decodePayload(bytes, at, h, utf8Decode);
          const cls = classByCode(h.classCode);
          if (cls && DATA_CLASSES[cls].personal && h.flags & FLAG_SEALED) {
            const key = classKeyName(cls, payload.user || undefined);
            if (!this.crypto.hasKey(key)) orphanKeys.add(`${cls}\u0000${payload.user}`);
          }
          pending.records.push({ ref: this.refOf(block.index, at, extent, h, payload), header: h, payload });
        }
        at += extent;
        block.end = at;
      }
    }
    this.nextTxSeq = maxTx + 1;
    const last = active.length ? active[active.length - 1].block : null;
    this.head = last && !last.closed ? last : null;
    for (const b of this.blocks) if (b.state === 'active' && b !== this.head) b.closed = true;

    // Sealed records whose key is gone: an erase was interrupted. Finish it.
    for (const entry of orphanKeys) {
      const [cls, user] = entry.split('\u0000') as [DataClassId, string];
      this.log(`store: finishing interrupted erase of class ${cls}${user ? ` of user ${user}` : ''}`);
      const code = DATA_CLASSES[cls].code;
      this.scrub((h, p) => h.classCode === code && p.user === user);
    }
  }

  private refOf(block: number, offset: number, extent: number, h: RecordHeader, p: RecordPayload): RecordRef {
    const size = h.kind === RecordKind.Delete ? 0 : p.data.length - (h.flags & FLAG_SEALED ? SEAL_OVERHEAD : 0);
    return { block, offset, extent, kind: h.kind, origSeq: p.origSeq, first: p.chunkFirst, last: p.chunkLast, size };
  }

  /** Fold one committed record into the index (same rule at mount and at run time). */
  private apply(ref: RecordRef, h: RecordHeader, p: RecordPayload): void {
    const cls = classByCode(h.classCode);
    if (!cls) {
      this.log(`store: record of unknown class ${h.classCode} for ${p.path} ignored`);
      return;
    }
    let f = this.files.get(p.path);
    if (!f) {
      f = { path: p.path, cls, user: p.user, resetSeq: -1, deleted: false, tombstone: null, records: [] };
      this.files.set(p.path, f);
    }
    if (ref.kind === RecordKind.Delete) {
      if (ref.origSeq >= f.resetSeq) {
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
    }
    if (f.resetSeq < 0) return; // appends with no Write before them: the file's start was lost
    f.cls = cls;
    f.user = p.user;
    // The newest record wins where chunk ranges overlap (a merge over its parts; a GC copy over its original).
    const all = [ref, ...f.records].sort((a, b) => b.origSeq - a.origSeq);
    const kept: RecordRef[] = [];
    for (const r of all) if (!kept.some((k) => r.first <= k.last && k.first <= r.last)) kept.push(r);
    f.records = kept.sort((a, b) => a.first - b.first);
  }

  // ───────────── writing ─────────────

  private encode(kind: RecordKind, cls: DataClassId, user: string, path: string, pathBytes: Uint8Array, userBytes: Uint8Array,
    txSeq: number, origSeq: number, first: number, last: number, plain: Uint8Array): Outgoing {
    const personal = DATA_CLASSES[cls].personal && kind !== RecordKind.Delete;
    let data = plain;
    if (personal) {
      const key = classKeyName(cls, user || undefined);
      if (!this.crypto.hasKey(key)) this.crypto.generateKey(key);
      data = this.crypto.encrypt(key, plain, this.aad(cls, path));
    }
    const payload: RecordPayload = { path, user, origSeq, chunkFirst: first, chunkLast: last, data };
    const flags = personal ? FLAG_SEALED : 0;
    const bytes = encodeRecord(kind, DATA_CLASSES[cls].code, flags, txSeq, payload, pathBytes, userBytes);
    return { bytes, header: decodeRecordHeader(bytes, 0), payload, size: plain.length };
  }

  private aad(cls: DataClassId, path: string): Uint8Array {
    return utf8Encode(`${cls}:${path}`);
  }

  /** Program a transaction's records and its Commit, then index them. */
  private commit(txSeq: number, out: Outgoing[]): void {
    this.ensureSpace(out.map((o) => o.bytes.length));
    this.nextTxSeq = txSeq + 1;
    const placed = out.map((o) => ({ o, ref: this.place(o) }));
    this.place(encodeCommit(txSeq, out.length));
    for (const { o, ref } of placed) this.apply(ref, o.header, o.payload);
  }

  /** Append one record at the head; returns where it went. */
  private place(o: Outgoing | Uint8Array): RecordRef {
    const bytes = o instanceof Uint8Array ? o : o.bytes;
    if (!this.head || this.head.closed || this.head.end + bytes.length > this.part.blockSize) this.openBlock();
    const b = this.head!;
    const offset = b.end;
    this.program(b.index * this.part.blockSize + offset, bytes);
    b.end += bytes.length;
    if (o instanceof Uint8Array) return { block: b.index, offset, extent: bytes.length, kind: RecordKind.Commit, origSeq: 0, first: 0, last: 0, size: 0 };
    return this.refOf(b.index, offset, bytes.length, o.header, o.payload);
  }

  /** Make sure records of these sizes fit, collecting garbage if needed. */
  private ensureSpace(sizes: number[]): void {
    const capacity = this.part.blockSize - BLOCK_HEADER_BYTES;
    const blocksNeeded = () => {
      let room = this.head && !this.head.closed ? this.part.blockSize - this.head.end : 0;
      let n = 0;
      for (const s of [...sizes, RECORD_HEADER_BYTES]) {
        if (s > room) {
          n++;
          room = capacity;
        }
        room -= s;
      }
      return n;
    };
    const free = () => this.blocks.filter((b) => b.state !== 'active').length;
    for (let rounds = 0; free() < blocksNeeded() + RESERVE_BLOCKS; rounds++) {
      if (rounds > 2 * this.blocks.length || !this.collect()) {
        const needed = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
        throw new StorageFullError(needed, Math.max(0, free() - RESERVE_BLOCKS) * capacity);
      }
    }
  }

  /** Garbage-collect the oldest block. False when there is nothing to collect. */
  private collect(): boolean {
    const victim = this.blocks
      .filter((b) => b.state === 'active' && b !== this.head)
      .sort((a, b) => a.seq - b.seq)[0];
    if (!victim) return false;
    this.counters.gcRuns++;
    // Tombstones in the oldest block are dropped: everything they hid is older, so in this block too.
    this.relocate(victim, () => false, false);
    return true;
  }

  /**
   * Copy the live records of `block` (except those `drop` matches) to the
   * head as one committed transaction, then erase the block.
   */
  private relocate(block: Block, drop: (f: FileEntry) => boolean, keepTombstones: boolean): number {
    const moving: { f: FileEntry; ref: RecordRef; isTombstone: boolean }[] = [];
    for (const f of this.files.values()) {
      if (drop(f)) continue;
      for (const r of f.records) if (r.block === block.index) moving.push({ f, ref: r, isTombstone: false });
      if (keepTombstones && f.tombstone && f.tombstone.block === block.index) moving.push({ f, ref: f.tombstone, isTombstone: true });
    }
    if (moving.length > 0) {
      if (this.head === block) this.head.closed = true;
      const bytes = this.part.read(block.index * this.part.blockSize, this.part.blockSize);
      const gcTx = this.nextTxSeq++;
      const copies = moving.map(({ ref }) => {
        const copy = bytes.slice(ref.offset, ref.offset + ref.extent);
        // Same record, new transaction number: committed by the GC's Commit; original sequence kept inside.
        copy[4] = gcTx & 0xff; copy[5] = (gcTx >>> 8) & 0xff; copy[6] = (gcTx >>> 16) & 0xff; copy[7] = (gcTx >>> 24) & 0xff;
        return encodeRecordCrc(copy, decodeRecordHeader(copy, 0));
      });
      const placed = copies.map((c) => ({ c, ref: this.place(c) }));
      this.place(encodeCommit(gcTx, copies.length));
      placed.forEach(({ ref }, i) => {
        const m = moving[i];
        const moved = { ...m.ref, block: ref.block, offset: ref.offset };
        if (m.isTombstone) m.f.tombstone = moved;
        else m.f.records = m.f.records.map((r) => (r === m.ref ? moved : r));
      });
    }
    // Forget deleted files whose tombstone just went away with the block.
    for (const f of [...this.files.values()]) {
      if (f.deleted && (!f.tombstone || f.tombstone.block === block.index)) this.files.delete(f.path);
    }
    this.eraseBlock(block);
    return moving.length;
  }

  /**
   * Erase every block that holds a record matching `match` (committed or not,
   * live or dead), moving the live records of other files out first; also
   * erase every non-clean free block.
   */
  private scrub(match: (h: RecordHeader, p: RecordPayload) => boolean): { blocks: number; moved: number } {
    const victims: Block[] = [];
    for (const b of this.blocks) {
      const bytes = this.part.read(b.index * this.part.blockSize, this.part.blockSize);
      if (b.state !== 'active') {
        if (!isClean(bytes, BLOCK_HEADER_BYTES) || b.state === 'unknown') victims.push(b);
        continue;
      }
      for (let at = BLOCK_HEADER_BYTES; at + UNIT <= b.end; ) {
        const h = decodeRecordHeader(bytes, at);
        const extent = recordExtent(h, at, bytes.length);
        if (extent === null) break;
        if (h.kind !== RecordKind.Commit && recordCrcOk(bytes, at, h) && match(h, decodePayload(bytes, at, h, utf8Decode))) {
          victims.push(b);
          break;
        }
        at += extent;
      }
    }
    // Files of the erased class leave the index first, so nothing of them is moved.
    const doomed = new Set<string>();
    for (const f of this.files.values()) {
      const probe = { kind: RecordKind.Write, classCode: DATA_CLASSES[f.cls].code, flags: 0, pathLength: 0, txSeq: 0, length: 0, crc: 0 } as RecordHeader;
      if (match(probe, { path: f.path, user: f.user, origSeq: 0, chunkFirst: 0, chunkLast: 0, data: new Uint8Array(0) })) doomed.add(f.path);
    }
    for (const p of doomed) this.files.delete(p);
    if (this.head && victims.includes(this.head)) this.head.closed = true;
    // Unclean free blocks first, so relocation cannot pick one as its new head.
    for (const b of victims) if (b.state !== 'active') this.eraseBlock(b);
    let moved = 0;
    for (const b of victims) if (b.state === 'active') moved += this.relocate(b, () => false, true);
    return { blocks: victims.length, moved };
  }

  /** Start a new head block: the least-worn free block, verified clean. */
  private openBlock(): void {
    if (this.head) this.head.closed = true;
    const candidates = this.blocks.filter((b) => b.state !== 'active').sort((a, b) => (a.eraseCount ?? 0) - (b.eraseCount ?? 0) || a.index - b.index);
    const b = candidates[0];
    if (!b) throw new StorageFullError(this.part.blockSize, 0);
    if (b.state === 'unknown' || !isClean(this.part.read(b.index * this.part.blockSize, this.part.blockSize), UNIT)) this.eraseBlock(b);
    this.program(b.index * this.part.blockSize + UNIT, encodeBlockUnit(ACTIVE_MAGIC, this.nextBlockSeq));
    b.state = 'active';
    b.seq = this.nextBlockSeq++;
    b.end = BLOCK_HEADER_BYTES;
    b.closed = false;
    this.head = b;
  }

  private eraseBlock(b: Block): void {
    const count = (b.eraseCount ?? 0) + 1;
    b.state = 'unknown';
    if (this.head === b) this.head = null;
    this.part.erase(b.index);
    this.counters.eraseOps++;
    this.program(b.index * this.part.blockSize, encodeBlockUnit(ERASE_MAGIC, count));
    b.eraseCount = count;
    b.state = 'free';
    b.end = BLOCK_HEADER_BYTES;
    b.closed = false;
  }

  private program(offset: number, bytes: Uint8Array): void {
    this.part.program(offset, bytes);
    this.counters.programOps++;
    this.counters.programBytes += bytes.length;
  }

  // ───────────── reading and merging ─────────────

  private readData(f: FileEntry, r: RecordRef): Uint8Array {
    const bytes = this.part.read(r.block * this.part.blockSize + r.offset, r.extent);
    const h = decodeRecordHeader(bytes, 0);
    if (!recordCrcOk(bytes, 0, h)) throw new Error(`store: record of ${f.path} at block ${r.block}+${r.offset} fails its CRC`);
    const p = decodePayload(bytes, 0, h, utf8Decode);
    if (!(h.flags & FLAG_SEALED)) return p.data;
    return this.crypto.decrypt(classKeyName(f.cls, f.user || undefined), p.data, this.aad(f.cls, f.path));
  }

  /** Keep appended files to a bounded number of records by merging the newest small ones. */
  private mergeIfFragmented(path: string): void {
    const f = this.files.get(path);
    if (!f || f.deleted || f.records.length <= MERGE_TRIGGER) return;
    const pathBytes = utf8Encode(path);
    const userBytes = utf8Encode(f.user);
    const sealed = DATA_CLASSES[f.cls].personal;
    const room = this.maxDataBytes(pathBytes.length, userBytes.length) - (sealed ? SEAL_OVERHEAD : 0);
    const run: RecordRef[] = [];
    let size = 0;
    for (let i = f.records.length - 1; i >= 1 && run.length < MERGE_BATCH; i--) {
      const r = f.records[i];
      if (size + r.size > room) break;
      run.unshift(r);
      size += r.size;
    }
    if (run.length < 2) return;
    const data = new Uint8Array(size);
    let at = 0;
    for (const r of run) {
      const d = this.readData(f, r);
      data.set(d, at);
      at += d.length;
    }
    const txSeq = this.nextTxSeq;
    this.commit(txSeq, [this.encode(RecordKind.Merge, f.cls, f.user, path, pathBytes, userBytes, txSeq, txSeq, run[0].first, run[run.length - 1].last, data)]);
  }

  private maxDataBytes(pathBytes: number, userBytes: number): number {
    // One record must fit in an empty block: header + path + user length + 3 numbers + data, padded.
    return this.part.blockSize - BLOCK_HEADER_BYTES - RECORD_HEADER_BYTES - pathBytes - 1 - userBytes - 12 - (UNIT - 1);
  }

  private checkPath(path: string): Uint8Array {
    const b = utf8Encode(path);
    if (b.length === 0 || b.length > MAX_PATH_BYTES) throw new StorageUsageError(`file name must be 1–${MAX_PATH_BYTES} bytes: "${path.slice(0, 40)}"`);
    return b;
  }

  private checkUser(user: string): Uint8Array {
    const b = utf8Encode(user);
    if (b.length > MAX_USER_BYTES) throw new StorageUsageError(`user id longer than ${MAX_USER_BYTES} bytes`);
    return b;
  }
}

function isClean(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0xff) return false;
  return true;
}

/** Recompute the CRC of a record whose header changed (GC copy with a new transaction number). */
function encodeRecordCrc(rec: Uint8Array, h: RecordHeader): Uint8Array {
  const seed = crc32(rec, 0, 12);
  const crc = crc32(rec, RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + h.length, seed);
  rec[12] = crc & 0xff; rec[13] = (crc >>> 8) & 0xff; rec[14] = (crc >>> 16) & 0xff; rec[15] = (crc >>> 24) & 0xff;
  return rec;
}
