/**
 * The flash store: named files over one raw NOR partition, power-loss safe,
 * wear aware, with cryptographic erase by data class. The on-flash format and
 * the rules that make it safe are in docs/storage-format.md; in short:
 *
 * - the partition is a log of blocks; records are appended to the head block;
 * - every change is a transaction: its records, then a Commit record naming
 *   the transaction and its record count; at mount, records without their
 *   Commit are ignored;
 * - garbage collection copies the live records of one block to the head
 *   (each keeps its original sequence number), commits the copies, voids
 *   the block's header, then erases it; interrupted at any point, the state
 *   at mount is "before" or "after" (duplicates resolve to one);
 * - sealed classes (personal data, secrets) are sealed (AES-256-GCM) under
 *   per-class / per-user keys in the HAL keystore; clear records of a sealed
 *   class left by older firmware are rewritten sealed by `sealClearRecords`; `eraseClass` commits an EraseIntent, destroys the
 *   key and erases every block holding a record of the class, moving the
 *   other classes' live records out first. A mount that finds an unfinished
 *   intent finishes the erase;
 * - `rekeyClass` makes a user's delete an erase: the class's live records
 *   are rewritten under a new key generation in one transaction with a
 *   re-key intent (and the caller's deletes), then the older keys are
 *   destroyed and every block holding records sealed under them erased,
 *   the same way as a class erase (and finished at mount the same way).
 *
 * RAM (docs/storage-format.md, "RAM bound"): one entry per block, one entry
 * per path that still has a record on flash, and one reference per live
 * record; appends are merged so a file keeps at most MERGE_TRIGGER small
 * records; live files are capped by `maxFiles`. Mount holds one block buffer
 * and the record references of one transaction. `read` assembles the file
 * being read.
 */
import { bytesToHex } from '../kernel/hex';
import type { Crypto, FlashPartition } from '../../hal/contract';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import { DATA_CLASSES, classByCode, classKeyName, classKeysOf, type ClassKey, type DataClassId } from './data-classes';
import { StorageFullError, StorageUsageError } from './errors';
import {
  ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, FLAG_ALL_USERS, FLAG_KEY_GENERATION, FLAG_REKEY, FLAG_SEALED, KEY_GENERATION_BYTES, RECORD_HEADER_BYTES, RecordKind, UNIT,
  decodeBlockUnit, decodeMeta, decodeRecordHeader, encodeBlockUnit, encodeCommit, encodeGeneration, encodeRecord, get32, restamp, sealedGeneration, walkRecords, withTxSeq,
  type RecordHeader, type RecordMeta,
} from './record-format';
import { party } from '../kernel/party';

/** Free blocks a data write must leave, so garbage collection always has room to copy into. */
const RESERVE_BLOCKS = 2;
/** A file with more small records than this gets its newest ones merged. */
export const MERGE_TRIGGER = 64;
/** Default cap on live files per store (RAM bound). */
export const DEFAULT_MAX_FILES = 512;
/** Index entries of deleted paths tolerated beyond maxFiles before garbage collection runs early to drop them. */
const DELETED_SLACK = 256;
/** Garbage collection never picks a block with less reclaimable space (guarantees one fresh block takes its copies). */
const MIN_RECLAIM = 2 * UNIT;
/** Every this many collections, consider moving the coldest block (static wear levelling). */
const WEAR_LEVEL_INTERVAL = 8;
/** Erase-count spread that makes that move happen. */
const WEAR_SPREAD_LIMIT = 8;
const SEAL_OVERHEAD = 28; // GCM IV + tag
const MAX_PATH_BYTES = 200;
const MAX_USER_BYTES = 64;
const USER_HASH_BYTES = 8;

export interface StoreOptions { cls: DataClassId; user?: string }

export interface MountOptions {
  /** Cap on live files (each costs RAM). Default DEFAULT_MAX_FILES. */
  maxFiles?: number;
}

export interface FileInfo { path: string; size: number; cls: DataClassId; user?: string }

/** What a class erase or re-key cost, in flash operations. */
export interface EraseReport { blocksErased: number; recordsMoved: number; programOps: number; programBytes: number; eraseOps: number }

export interface StoreStats {
  blocks: number;
  freeBlocks: number;
  files: number;
  /** Bytes of flash taken by live records (headers and padding included). */
  liveBytes: number;
  eraseCounts: number[];
  programOps: number;
  programBytes: number;
  eraseOps: number;
  gcRuns: number;
  wearMoves: number;
  /** What the RAM index holds right now (see the RAM bound). */
  index: { entries: number; refs: number };
}

/** Where a live record sits, as the index keeps it. */
export interface LiveRecord { path: string; cls: DataClassId; user: string; kind: RecordKind; block: number; offset: number; extent: number }

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
  /** Block holding the Commit that made this record valid: it must not be erased while this record stays elsewhere. */
  commitBlock: number;
  /** Key generation that sealed it; -1 when not sealed. */
  gen: number;
}

interface FileEntry {
  path: string;
  cls: DataClassId;
  user: string;
  /** origSeq of the latest Write or Delete: records older than it are dead. -1: none seen. */
  resetSeq: number;
  /** Deleted, or never committed (an entry kept only to count the blocks still holding its records). */
  deleted: boolean;
  tombstone: RecordRef | null;
  /** Live data records, ordered by chunk, non-overlapping. */
  records: RecordRef[];
  /** Blocks holding any record of this path (live, dead or uncommitted): a tombstone may go when only its own block does. */
  holders: number;
  /** The last block counted in `holders` (only the head receives records). */
  lastHolder: number;
}

interface Block {
  index: number;
  state: 'free' | 'active' | 'unknown';
  /** Log order (active blocks). */
  seq: number;
  eraseCount: number;
  /** End of the written log in this block. */
  end: number;
  /** No more appends (damaged tail or superseded head). */
  closed: boolean;
  /** Part of the block could not be parsed: a class erase scrubs it. */
  damaged: boolean;
}

/** A class erase (rekeyGen null) or a re-key to generation rekeyGen. */
interface EraseIntent { code: number; allUsers: boolean; userHash: Uint8Array; seq: number; ref: RecordRef; rekeyGen: number | null }

/** Decides whether a record makes its block a victim of a scrub: class code, user, origSeq, sealing key generation (null: not sealed). */
type ScrubMatch = (code: number, user: string, origSeq: number, sealedGen: number | null, header: RecordHeader) => boolean;

/** A record ready to be programmed. */
interface Outgoing { bytes: Uint8Array; header: RecordHeader; meta: RecordMeta; size: number }

interface PathOps { items: Outgoing[]; nextChunk: number | null; cls: DataClassId; user: string; creates: boolean }

interface StagedTransaction { ops: Map<string, PathOps>; out: Outgoing[]; created: number; onlyDeletes: boolean }

type SpaceMode = 'data' | 'shrink';

export class FileStore {
  private readonly blocks: Block[] = [];
  private readonly files = new Map<string, FileEntry>();
  private readonly capacity: number;
  private readonly maxFiles: number;
  private head: Block | null = null;
  private nextTxSeq = 1;
  private nextBlockSeq = 1;
  private counters = { programOps: 0, programBytes: 0, eraseOps: 0, gcRuns: 0, wearMoves: 0 };
  /** Records placed but not yet counted in their path's `holders`. */
  private unaccounted: { path: string; code: number; user: string; block: number }[] = [];
  /** The intent of the class erase in progress: moved like a live record until the erase is done. */
  private activeIntent: EraseIntent | null = null;
  /** Mount saw a record of a sealed class in clear (an image from firmware that did not seal the class). */
  private clearRecordsSeen = false;
  /** Current key generation per class and user (cache of what the keystore holds). */
  private readonly generations = new Map<string, number>();
  /** Newest key generation per class and user seen in records at mount. */
  private readonly generationFloors = new Map<string, number>();
  /** Re-key intents seen at mount: their classes and users never seal under a generation below theirs again. */
  private rekeyIntents: EraseIntent[] = [];

  private constructor(private readonly part: FlashPartition, private readonly crypto: Crypto, private readonly log: (msg: string) => void, options: MountOptions) {
    if (part.progSize > UNIT || UNIT % part.progSize !== 0) throw new Error(`flash store needs a program size dividing ${UNIT}, got ${part.progSize}`);
    if (part.blockSize < 512 || part.blockSize % UNIT !== 0) throw new Error(`flash store needs blocks of at least 512 bytes, got ${part.blockSize}`);
    const count = Math.floor(part.size / part.blockSize);
    if (count < RESERVE_BLOCKS + 2) throw new Error(`flash store needs at least ${RESERVE_BLOCKS + 2} blocks, partition ${part.name} has ${count}`);
    for (let i = 0; i < count; i++) this.blocks.push({ index: i, state: 'unknown', seq: 0, eraseCount: 0, end: BLOCK_HEADER_BYTES, closed: false, damaged: false });
    this.capacity = part.blockSize - BLOCK_HEADER_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  }

  /** Mount the store on a partition: rebuild the index from flash, finish interrupted erases. */
  static mount(part: FlashPartition, crypto: Crypto, log: (msg: string) => void = () => {}, options: MountOptions = {}): FileStore {
    const store = new FileStore(part, crypto, log, options);
    store.scan();
    return store;
  }

  // ───────────── files ─────────────

  read(path: string): Uint8Array | null {
    const f = this.liveFile(path);
    if (!f) return null;
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
    return !!this.liveFile(path);
  }

  write(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.write(path, data, opts));
  }

  append(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.append(path, data, opts));
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

  /**
   * Several changes, all or nothing (also across a power cut). Within one
   * transaction a later change to a path replaces an earlier one.
   */
  transaction(fn: (tx: Transaction) => void): void {
    const staged = this.stage(fn);
    if (staged.out.length === 0) return;
    this.checkFileCap(staged.created);
    this.commit(staged.out, staged.onlyDeletes ? 'shrink' : 'data');
    this.afterCommit(staged.ops);
  }

  /** The records of a transaction's changes, encoded (and sealed) but not yet programmed. */
  private stage(fn: (tx: Transaction) => void): StagedTransaction {
    const txSeq = this.nextTxSeq;
    const ops = new Map<string, PathOps>();
    const writeOps = (path: string, data: Uint8Array, opts: StoreOptions): void => {
      this.checkClass(opts.cls);
      const user = opts.user ?? '';
      const items = this.chunks(RecordKind.Write, path, data, opts.cls, user, txSeq, 0);
      ops.delete(path);
      ops.set(path, { items, nextChunk: items.length, cls: opts.cls, user, creates: !this.liveFile(path) });
    };
    fn({
      write: writeOps,
      append: (path, data, opts) => {
        this.checkClass(opts.cls);
        const user = opts.user ?? '';
        const pending = ops.get(path);
        const f = this.liveFile(path);
        if (pending ? pending.nextChunk === null : !f || f.records.length === 0) return writeOps(path, data, opts);
        const cls = pending ? pending.cls : f!.cls;
        const owner = pending ? pending.user : f!.user;
        if (cls !== opts.cls) throw new StorageUsageError(`append to ${path}: file is of class ${cls}, not ${opts.cls}`);
        if (owner !== user) throw new StorageUsageError(`append to ${path}: file belongs to user "${owner}", not "${user}"`);
        const next = pending ? pending.nextChunk! : f!.records[f!.records.length - 1].last + 1;
        const items = this.chunks(RecordKind.Append, path, data, cls, user, txSeq, next);
        if (pending) {
          pending.items.push(...items);
          pending.nextChunk = next + items.length;
        } else {
          ops.set(path, { items, nextChunk: next + items.length, cls, user, creates: false });
        }
      },
      delete: (path) => {
        ops.delete(path);
        const f = this.liveFile(path);
        if (!f) return;
        const pathBytes = this.checkPath(path);
        ops.set(path, { items: [this.encode(RecordKind.Delete, f.cls, f.user, path, pathBytes, utf8Encode(f.user), txSeq, 0, 0, new Uint8Array(0))], nextChunk: null, cls: f.cls, user: f.user, creates: false });
      },
    });
    const out: Outgoing[] = [];
    let created = 0;
    let onlyDeletes = true;
    for (const op of ops.values()) {
      out.push(...op.items);
      if (op.creates) created++;
      if (op.nextChunk !== null) onlyDeletes = false;
    }
    return { ops, out, created, onlyDeletes };
  }

  private checkFileCap(created: number): void {
    if (created > 0 && this.liveFileCount() + created > this.maxFiles) {
      throw new StorageFullError(`${this.maxFiles} files is the most this store keeps`);
    }
  }

  private afterCommit(ops: Map<string, PathOps>): void {
    for (const [path, op] of ops) if (op.nextChunk !== null && op.nextChunk > 1) this.mergeIfFragmented(path);
    this.trimDeletedEntries();
  }

  /**
   * Deleted paths stay in the index while older records of theirs are on
   * flash (their tombstones must survive until then). When there are many,
   * collect mostly-dead blocks early: they would be collected first anyway,
   * so this costs no extra erases, and it keeps the index bounded.
   */
  private trimDeletedEntries(): void {
    try {
      for (let rounds = 0; rounds < 2 && this.files.size > this.maxFiles + DELETED_SLACK && this.freeCount() >= 1; rounds++) {
        if (this.files.size - this.liveFileCount() <= DELETED_SLACK) return;
        if (!this.collect(this.capacity / 2)) return;
      }
    } catch (e) {
      // The transaction is committed; tidying up waits for the next one.
      if (!(e instanceof StorageFullError)) throw e;
    }
  }

  /**
   * Cryptographic erase plus clear: commit an EraseIntent, destroy the
   * class's key(s), and erase every block holding any record of the class
   * (all users, or one user), after moving the other classes' live records
   * out. Works on a full partition. Interrupted, it is finished at mount.
   */
  eraseClass(cls: DataClassId, user?: string): EraseReport {
    this.checkClass(cls);
    const before = { ...this.counters };
    const allUsers = user === undefined;
    const code = DATA_CLASSES[cls].code;
    const userHash = allUsers ? new Uint8Array(0) : this.userHash(user!);
    const intent = this.encodeIntent(code, allUsers, userHash, this.nextTxSeq, null);
    const [ref] = this.commit([intent], 'shrink');
    this.activeIntent = { code, allUsers, userHash, seq: ref.origSeq, ref, rekeyGen: null };
    let done: { blocks: number; moved: number };
    try {
      this.destroyKeys(cls, user);
      this.log(`store: erasing class ${cls}${allUsers ? '' : ` of user ${party(user!, 'user')}`}`);
      done = this.scrub(
        (c, u, origSeq) => c === code && (allUsers || u === user) && origSeq < ref.origSeq,
        (f) => f.cls === cls && (allUsers || f.user === user),
      );
    } finally {
      // Unfinished (no space to move other records, power cut): the committed intent makes the next mount finish it.
      this.activeIntent = null;
    }
    return this.eraseReport(before, done);
  }

  /**
   * Seal what older firmware left in clear: every live file of a sealed
   * class with a clear record is rewritten (sealed), then every block still
   * holding a clear record of a sealed class (live copies gone, stale ones
   * left) is erased. The firmware calls this after mount; inspection tools,
   * which mount read-only, do not. Returns the number of files rewritten.
   */
  sealClearRecords(): number {
    if (!this.clearRecordsSeen) return 0;
    let rewritten = 0;
    for (const f of [...this.files.values()]) {
      if (f.deleted || !DATA_CLASSES[f.cls].sealed || f.records.every((r) => this.isSealedRecord(r))) continue;
      this.write(f.path, this.read(f.path)!, { cls: f.cls, ...(f.user ? { user: f.user } : {}) });
      rewritten++;
    }
    const { blocks } = this.scrub((code, _user, _seq, _gen, h) => {
      const cls = classByCode(code);
      return !!cls && isClearRecordOfSealedClass(cls, h);
    }, () => false);
    this.log(`store: ${rewritten} files of sealed classes were in clear: rewritten sealed, ${blocks} blocks erased`);
    this.clearRecordsSeen = false;
    return rewritten;
  }

  private holdsClearRecordsOfSealedClasses(b: Block): boolean {
    let found = false;
    walkRecords(this.readBlock(b), BLOCK_HEADER_BYTES, (_at, h) => {
      const cls = h.kind === RecordKind.Commit || h.kind === RecordKind.EraseIntent ? undefined : classByCode(h.classCode);
      if (cls && isClearRecordOfSealedClass(cls, h)) found = true;
    });
    return found;
  }

  private isSealedRecord(r: RecordRef): boolean {
    const h = decodeRecordHeader(this.part.read(r.block * this.part.blockSize + r.offset, RECORD_HEADER_BYTES), 0);
    return (h.flags & FLAG_SEALED) !== 0;
  }

  /**
   * Delete is erase: make everything of class `cls` of `user` ('' or
   * absent: the phone's own) that is no longer live undecryptable and gone
   * from flash. In ONE transaction: the caller's `changes` (typically the
   * deletes the user asked for), every other live file of the class and
   * user rewritten under a new key generation, and a re-key intent. Then
   * the older generations' keys are destroyed and every block holding a
   * record sealed under them is erased (other records moved out first), as
   * in a class erase. A power cut before the Commit leaves the old state
   * (changes not made); after it the new one, finished at mount.
   */
  rekeyClass(cls: DataClassId, user = '', changes?: (tx: Transaction) => void): EraseReport {
    this.checkClass(cls);
    if (!DATA_CLASSES[cls].sealed) throw new StorageUsageError(`class ${cls} is not sealed: nothing to re-key`);
    this.checkUser(user);
    const before = { ...this.counters };
    const code = DATA_CLASSES[cls].code;
    const generation = this.currentGeneration(cls, user) + 1;
    this.crypto.generateKey(classKeyName(cls, user || undefined, generation));
    this.generations.set(generationKey(cls, user), generation);
    const userHash = this.userHash(user);
    // A failure before the Commit (flash full) leaves the new key sealing nothing that counts; later writes simply use it.
    const staged = this.stage((tx) => {
      // Rewrites first: the caller's changes then replace, extend or delete them like any later change in a transaction.
      for (const f of [...this.files.values()]) {
        if (f.deleted || f.cls !== cls || f.user !== user) continue;
        let data: Uint8Array | null;
        try {
          data = this.read(f.path);
        } catch (e) {
          // Unreadable already: it goes with the old generation.
          this.log(`store: ${f.path} unreadable (${(e as Error).message}): not carried into the new key`);
          continue;
        }
        if (data) tx.write(f.path, data, { cls, ...(user ? { user } : {}) });
      }
      changes?.(tx);
    });
    this.checkFileCap(staged.created);
    const refs = this.commit([...staged.out, this.encodeIntent(code, false, userHash, this.nextTxSeq, generation)], 'data');
    const intentRef = refs[refs.length - 1];
    this.activeIntent = { code, allUsers: false, userHash, seq: intentRef.origSeq, ref: intentRef, rekeyGen: generation };
    let done: { blocks: number; moved: number };
    try {
      this.destroyGenerationsBelow(cls, user, generation);
      this.log(`store: re-keyed class ${cls}${user ? ` of user ${party(user, 'user')}` : ''} to generation ${generation}`);
      done = this.scrub(
        (c, u, _origSeq, gen) => c === code && u === user && gen !== null && gen < generation,
        (f) => f.cls === cls && f.user === user && f.records.some((r) => r.gen >= 0 && r.gen < generation),
      );
    } finally {
      this.activeIntent = null;
    }
    this.trimDeletedEntries();
    return this.eraseReport(before, done);
  }

  /** What an erase or re-key cost, from the counters before it and the scrub's result. */
  private eraseReport(before: { programOps: number; programBytes: number; eraseOps: number }, done: { blocks: number; moved: number }): EraseReport {
    return {
      blocksErased: done.blocks,
      recordsMoved: done.moved,
      programOps: this.counters.programOps - before.programOps,
      programBytes: this.counters.programBytes - before.programBytes,
      eraseOps: this.counters.eraseOps - before.eraseOps,
    };
  }

  stats(): StoreStats {
    let liveBytes = 0;
    let refs = 0;
    for (const f of this.files.values()) {
      for (const r of f.records) liveBytes += r.extent;
      refs += f.records.length + (f.tombstone ? 1 : 0);
    }
    return {
      blocks: this.blocks.length,
      freeBlocks: this.freeCount(),
      files: this.liveFileCount(),
      liveBytes,
      eraseCounts: this.blocks.map((b) => b.eraseCount),
      ...this.counters,
      index: { entries: this.files.size, refs },
    };
  }

  /** Every live record (data and tombstones) and where it sits: for inspection tools. */
  liveRecords(): LiveRecord[] {
    const out: LiveRecord[] = [];
    for (const f of this.files.values()) {
      for (const r of f.tombstone ? [...f.records, f.tombstone] : f.records) {
        out.push({ path: f.path, cls: f.cls, user: f.user, kind: r.kind, block: r.block, offset: r.offset, extent: r.extent });
      }
    }
    return out;
  }

  // ───────────── mount ─────────────

  private scan(): void {
    const active: Block[] = [];
    let knownCounts = 0;
    let countSum = 0;
    const lostCounts: Block[] = [];
    for (const b of this.blocks) {
      const h = this.part.read(b.index * this.part.blockSize, BLOCK_HEADER_BYTES);
      const eraseCount = decodeBlockUnit(h, 0, ERASE_MAGIC);
      const seq = decodeBlockUnit(h, UNIT, ACTIVE_MAGIC);
      if (eraseCount !== null) {
        b.eraseCount = eraseCount;
        knownCounts++;
        countSum += eraseCount;
      } else {
        lostCounts.push(b);
      }
      if (seq !== null) {
        b.state = 'active';
        b.seq = seq;
        active.push(b);
      } else {
        // Free if cleanly erased; otherwise (blank, torn erase, voided, damaged header) erased before use.
        b.state = eraseCount !== null && isClean(h, UNIT, BLOCK_HEADER_BYTES) ? 'free' : 'unknown';
        // A block voided by a garbage collection or erase that a power cut stopped still holds its records.
        if (b.state === 'unknown' && !isClean(h, 0, BLOCK_HEADER_BYTES) && this.holdsClearRecordsOfSealedClasses(b)) this.clearRecordsSeen = true;
      }
    }
    // A block whose wear record was lost in a torn erase is assumed as worn as the average.
    const average = knownCounts ? Math.round(countSum / knownCounts) : 0;
    for (const b of lostCounts) b.eraseCount = average;

    active.sort((a, b) => a.seq - b.seq);
    interface Pending { txSeq: number; items: { ref: RecordRef; code: number; meta: RecordMeta; flags: number; hash: Uint8Array }[] }
    let pending: Pending | null = null;
    let maxTx = 0;
    const intents: EraseIntent[] = [];
    const orphanKeys = new Map<string, { code: number; user: string; gen: number }>();
    /** Oldest key generation per (class code, user) among sealed records on flash: decides whether a re-key is finished. */
    const oldestGen = new Map<string, { code: number; user: string; gen: number }>();
    /** Oldest origSeq per (class code, user) still on flash: decides whether an erase intent is finished. */
    const oldest = new Map<string, { code: number; user: string; origSeq: number }>();
    const holderCounts = new Map<string, { count: number; code: number; user: string; lastBlock: number }>();
    for (const block of active) {
      this.nextBlockSeq = Math.max(this.nextBlockSeq, block.seq + 1);
      const bytes = this.part.read(block.index * this.part.blockSize, this.part.blockSize);
      const walk = walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h, extent) => {
        maxTx = Math.max(maxTx, h.txSeq);
        if (h.kind === RecordKind.Commit) {
          // Records of a committed transaction that GC has since moved out of an erased block are simply absent here.
          if (pending && pending.txSeq === h.txSeq) {
            for (const it of pending.items) {
              it.ref.commitBlock = block.index;
              if (it.ref.kind === RecordKind.EraseIntent) intents.push(intentOf(it.code, it.flags, it.hash, it.meta.origSeq, it.ref));
              else this.apply(it.ref, it.code, it.meta.path, it.meta.user);
            }
          }
          pending = null;
          return;
        }
        if (pending && pending.txSeq !== h.txSeq) pending = null; // the earlier transaction never committed
        if (!pending) pending = { txSeq: h.txSeq, items: [] };
        const meta = decodeMeta(bytes, at, h, utf8Decode);
        const gen = sealedGeneration(bytes, at, h, meta);
        const ref = this.refOf(block.index, at, extent, h, meta, gen);
        const hash = h.kind === RecordKind.EraseIntent ? bytes.slice(at + meta.dataOffset, at + meta.dataOffset + meta.dataLength) : EMPTY;
        pending.items.push({ ref, code: h.classCode, meta, flags: h.flags, hash });
        if (h.kind === RecordKind.EraseIntent) return;
        const key = `${h.classCode}\u0000${meta.user}`;
        const o = oldest.get(key);
        if (!o || meta.origSeq < o.origSeq) oldest.set(key, { code: h.classCode, user: meta.user, origSeq: meta.origSeq });
        const cls = classByCode(h.classCode);
        if (cls && isClearRecordOfSealedClass(cls, h)) this.clearRecordsSeen = true;
        if (gen !== null) {
          const g = oldestGen.get(key);
          if (!g || gen < g.gen) oldestGen.set(key, { code: h.classCode, user: meta.user, gen });
          if (cls) this.generationFloors.set(generationKey(cls, meta.user), Math.max(gen, this.generationFloors.get(generationKey(cls, meta.user)) ?? 0));
          if (cls && DATA_CLASSES[cls].sealed && !this.crypto.hasKey(classKeyName(cls, meta.user || undefined, gen))) {
            orphanKeys.set(`${key}\u0000${gen}`, { code: h.classCode, user: meta.user, gen });
          }
        }
        const hc = holderCounts.get(meta.path);
        if (!hc) holderCounts.set(meta.path, { count: 1, code: h.classCode, user: meta.user, lastBlock: block.index });
        else if (hc.lastBlock !== block.index) {
          hc.count++;
          hc.lastBlock = block.index;
        }
      });
      block.end = walk.end;
      if (walk.damage) {
        this.log(`store: block ${block.index}: ${walk.damage}; the rest of the block is ignored`);
        block.closed = true;
        block.damaged = true;
      }
    }
    this.nextTxSeq = maxTx + 1;
    const last = active.length ? active[active.length - 1] : null;
    this.head = last && !last.closed ? last : null;
    for (const b of active) if (b !== this.head) b.closed = true;

    // Every path with a record on flash gets an entry, so garbage collection can count its holders.
    for (const [path, hc] of holderCounts) {
      const f = this.files.get(path) ?? this.newEntry(path, hc.code, hc.user);
      f.holders = hc.count;
      f.lastHolder = this.head && hc.lastBlock === this.head.index ? hc.lastBlock : -1;
    }
    for (const f of this.files.values()) {
      if (f.resetSeq < 0 && f.records.length) this.log(`store: ${f.path}: appended records without the write they extend; ignored`);
      if (f.resetSeq < 0 || f.deleted) {
        f.records = [];
        f.deleted = true;
      }
    }
    this.rekeyIntents = intents.filter((it) => it.rekeyGen !== null);
    this.finishErases(intents, oldest, oldestGen, orphanKeys);
  }

  /** Finish class erases a power cut interrupted; scrub data whose key is gone. */
  private finishErases(intents: EraseIntent[], oldest: Map<string, { code: number; user: string; origSeq: number }>,
    oldestGen: Map<string, { code: number; user: string; gen: number }>, orphanKeys: Map<string, { code: number; user: string; gen: number }>): void {
    const newest = new Map<string, EraseIntent>();
    for (const it of intents) {
      const key = `${it.code}\u0000${it.allUsers ? '*' : bytesToHex(it.userHash)}`;
      const seen = newest.get(key);
      if (!seen || it.seq > seen.seq) newest.set(key, it);
    }
    let dirty: boolean | null = null;
    for (const it of newest.values()) {
      const cls = classByCode(it.code);
      if (!cls) continue;
      const matchesUser = (user: string) => it.allUsers || bytesEqual(this.userHash(user), it.userHash);
      const rekeyGen = it.rekeyGen;
      let leftovers = false;
      if (rekeyGen !== null) {
        for (const o of oldestGen.values()) if (o.code === it.code && o.gen < rekeyGen && matchesUser(o.user)) leftovers = true;
      } else {
        for (const o of oldest.values()) if (o.code === it.code && o.origSeq < it.seq && matchesUser(o.user)) leftovers = true;
      }
      // A torn erase or torn record may hold class data outside the log: scrub it even when the log is clean.
      if (!leftovers) {
        if (dirty === null) dirty = this.hasDirtyBlocks();
        if (!dirty) continue;
      }
      this.log(`store: finishing interrupted ${rekeyGen === null ? 'erase' : 're-key'} of class ${cls}`);
      this.activeIntent = it;
      if (rekeyGen !== null) {
        if (leftovers) for (const o of oldestGen.values()) if (o.code === it.code && matchesUser(o.user)) this.destroyGenerationsBelow(cls, o.user, rekeyGen);
        this.scrub((c, u, _origSeq, gen) => c === it.code && gen !== null && gen < rekeyGen && matchesUser(u),
          (f) => f.cls === cls && matchesUser(f.user) && f.records.some((r) => r.gen >= 0 && r.gen < rekeyGen));
      } else {
        if (leftovers) {
          if (it.allUsers) this.destroyKeys(cls);
          else for (const o of oldest.values()) if (o.code === it.code && matchesUser(o.user)) this.destroyKeys(cls, o.user);
        }
        this.scrub((c, u, origSeq) => c === it.code && origSeq < it.seq && matchesUser(u), (f) => f.cls === cls && f.resetSeq < it.seq && matchesUser(f.user));
      }
      this.activeIntent = null;
      dirty = false;
    }
    for (const { code, user, gen } of orphanKeys.values()) {
      const cls = classByCode(code)!;
      if (this.crypto.hasKey(classKeyName(cls, user || undefined, gen))) continue;
      this.log(`store: records of class ${cls}${user ? ` of user ${party(user, 'user')}` : ''} have no key (erased): scrubbing them`);
      this.scrub((c, u, _origSeq, g) => c === code && u === user && g === gen, (f) => f.cls === cls && f.user === user && f.records.some((r) => r.gen === gen));
    }
  }

  private hasDirtyBlocks(): boolean {
    for (const b of this.blocks) {
      if (b.state === 'active' ? b.damaged : !isClean(this.readBlock(b), b.state === 'unknown' ? 0 : UNIT, this.part.blockSize)) return true;
    }
    return false;
  }

  private refOf(block: number, offset: number, extent: number, h: RecordHeader, m: RecordMeta, gen: number | null): RecordRef {
    const overhead = h.flags & FLAG_SEALED ? SEAL_OVERHEAD + (h.flags & FLAG_KEY_GENERATION ? KEY_GENERATION_BYTES : 0) : 0;
    const data = h.kind === RecordKind.Delete || h.kind === RecordKind.EraseIntent ? 0 : m.dataLength - overhead;
    return { block, offset, extent, kind: h.kind, origSeq: m.origSeq, first: m.chunkFirst, last: m.chunkLast, size: Math.max(0, data), commitBlock: -1, gen: gen ?? -1 };
  }

  private newEntry(path: string, code: number, user: string): FileEntry {
    const f: FileEntry = { path, cls: classByCode(code) ?? 'config', user, resetSeq: -1, deleted: true, tombstone: null, records: [], holders: 0, lastHolder: -1 };
    this.files.set(path, f);
    return f;
  }

  /**
   * Fold one committed record into the index: the same rule at mount and at
   * run time, and independent of the order records arrive in (GC copies can
   * land in any order): the highest origSeq wins.
   */
  private apply(ref: RecordRef, code: number, path: string, user: string): void {
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

  // ───────────── writing ─────────────

  private chunks(kind: RecordKind, path: string, data: Uint8Array, cls: DataClassId, user: string, txSeq: number, firstChunk: number): Outgoing[] {
    const pathBytes = this.checkPath(path);
    const userBytes = this.checkUser(user);
    const room = this.roomFor(cls, pathBytes.length, userBytes.length);
    const out: Outgoing[] = [];
    let chunk = firstChunk;
    let at = 0;
    do {
      const piece = data.subarray(at, Math.min(data.length, at + room));
      out.push(this.encode(out.length === 0 ? kind : RecordKind.Append, cls, user, path, pathBytes, userBytes, txSeq, chunk, chunk, piece));
      chunk++;
      at += room;
    } while (at < data.length);
    return out;
  }

  private encode(kind: RecordKind, cls: DataClassId, user: string, path: string, pathBytes: Uint8Array, userBytes: Uint8Array,
    txSeq: number, first: number, last: number, plain: Uint8Array): Outgoing {
    const sealed = DATA_CLASSES[cls].sealed && kind !== RecordKind.Delete;
    let data = plain;
    let flags = 0;
    if (sealed) {
      const generation = this.currentGeneration(cls, user);
      const key = classKeyName(cls, user || undefined, generation);
      if (!this.crypto.hasKey(key)) this.crypto.generateKey(key);
      data = this.crypto.encrypt(key, plain, this.aad(cls, path));
      flags = FLAG_SEALED;
      if (generation > 0) {
        // Generation 0 records carry no generation field: the format before re-keys existed.
        const withGeneration = new Uint8Array(KEY_GENERATION_BYTES + data.length);
        withGeneration.set(encodeGeneration(generation), 0);
        withGeneration.set(data, KEY_GENERATION_BYTES);
        data = withGeneration;
        flags |= FLAG_KEY_GENERATION;
      }
    }
    const meta = { path, user, origSeq: txSeq, chunkFirst: first, chunkLast: last, data };
    const bytes = encodeRecord(kind, DATA_CLASSES[cls].code, flags, txSeq, meta, pathBytes, userBytes);
    const header = decodeRecordHeader(bytes, 0);
    return { bytes, header, meta: decodeMeta(bytes, 0, header, utf8Decode), size: plain.length };
  }

  /** An erase intent, or (rekeyGen set) a re-key intent to that generation. */
  private encodeIntent(code: number, allUsers: boolean, userHash: Uint8Array, txSeq: number, rekeyGen: number | null): Outgoing {
    const empty = new Uint8Array(0);
    let data = userHash;
    if (rekeyGen !== null) {
      data = new Uint8Array(USER_HASH_BYTES + KEY_GENERATION_BYTES);
      data.set(userHash, 0);
      data.set(encodeGeneration(rekeyGen), USER_HASH_BYTES);
    }
    const flags = (allUsers ? FLAG_ALL_USERS : 0) | (rekeyGen !== null ? FLAG_REKEY : 0);
    const bytes = encodeRecord(RecordKind.EraseIntent, code, flags, txSeq,
      { path: '', user: '', origSeq: txSeq, chunkFirst: 0, chunkLast: 0, data }, empty, empty);
    const header = decodeRecordHeader(bytes, 0);
    return { bytes, header, meta: decodeMeta(bytes, 0, header, utf8Decode), size: 0 };
  }

  private aad(cls: DataClassId, path: string): Uint8Array {
    return utf8Encode(`${cls}:${path}`);
  }

  /** Program a transaction's records and its Commit, then index them. Returns where the records went. */
  private commit(out: Outgoing[], mode: SpaceMode): RecordRef[] {
    this.ensureSpace(out.map((o) => o.bytes.length), mode);
    // Garbage collection may have taken transaction numbers meanwhile: records carry the one they commit under.
    const txSeq = this.nextTxSeq++;
    if (this.startsFreshBlock(out.map((o) => o.bytes.length))) this.head!.closed = true;
    const records = out.map((o) => {
      if (o.header.txSeq === txSeq) return o;
      const bytes = restamp(o.bytes, txSeq);
      const header = decodeRecordHeader(bytes, 0);
      return { ...o, bytes, header, meta: decodeMeta(bytes, 0, header, utf8Decode) };
    });
    const refs = records.map((o) => {
      const at = this.place(o.bytes, o.header.kind === RecordKind.EraseIntent ? null : o.meta, o.header.classCode);
      return this.refOf(at.block, at.offset, o.bytes.length, o.header, o.meta, sealedGeneration(o.bytes, 0, o.header, o.meta));
    });
    const committedIn = this.place(encodeCommit(txSeq, records.length), null, 0).block;
    for (const r of refs) r.commitBlock = committedIn;
    records.forEach((o, i) => {
      if (o.header.kind !== RecordKind.EraseIntent) this.apply(refs[i], o.header.classCode, o.meta.path, o.meta.user);
    });
    this.accountHolders();
    return refs;
  }

  /**
   * A transaction that fits in one block but not in the head's remaining
   * room starts a fresh block: transactions rarely span blocks, so few
   * blocks are pinned by their Commit.
   */
  private startsFreshBlock(sizes: number[]): boolean {
    if (!this.head || this.head.closed) return false;
    const total = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
    return total > this.part.blockSize - this.head.end && total <= this.capacity;
  }

  /** Append one record at the head; returns where it went. */
  private place(bytes: Uint8Array, owner: { path: string; user: string } | null, code: number): { block: number; offset: number } {
    if (!this.head || this.head.closed || this.head.end + bytes.length > this.part.blockSize) this.openBlock();
    const b = this.head!;
    const offset = b.end;
    this.program(b.index * this.part.blockSize + offset, bytes);
    b.end += bytes.length;
    if (owner) this.unaccounted.push({ path: owner.path, user: owner.user, code, block: b.index });
    return { block: b.index, offset };
  }

  /** Count newly placed records in their paths' holders. */
  private accountHolders(): void {
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
  private uncount(block: Block, bytes: Uint8Array): void {
    const paths = new Set<string>();
    walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
      if (h.kind !== RecordKind.Commit && h.kind !== RecordKind.EraseIntent) paths.add(decodeMeta(bytes, at, h, utf8Decode).path);
    });
    for (const p of paths) {
      const f = this.files.get(p);
      if (!f) continue;
      f.holders--;
      if (f.lastHolder === block.index) f.lastHolder = -1;
      if (f.holders <= 0 && f.deleted) this.files.delete(p);
    }
  }

  /** Make sure records of these sizes fit, collecting garbage if needed. */
  private ensureSpace(sizes: number[], mode: SpaceMode): void {
    const blocksNeeded = () => {
      let room = this.head && !this.head.closed ? this.part.blockSize - this.head.end : 0;
      if (this.startsFreshBlock(sizes)) return 1;
      let n = 0;
      for (const s of [...sizes, RECORD_HEADER_BYTES]) {
        if (s > room) {
          n++;
          room = this.capacity;
        }
        room -= s;
      }
      return n;
    };
    // Data must leave the reserve; deletes and erase intents may dip into it (one block stays for GC).
    const reserve = mode === 'data' ? RESERVE_BLOCKS : 1;
    for (let rounds = 0; this.freeCount() < blocksNeeded() + reserve; rounds++) {
      if (rounds > 2 * this.blocks.length || this.freeCount() < 1 || !this.collect()) {
        const needed = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
        throw new StorageFullError(`the write needs ${needed} bytes of flash; ${this.reclaimableBytes()} are free or reclaimable, ${RESERVE_BLOCKS} blocks stay in reserve for garbage collection`);
      }
    }
  }

  /**
   * Live bytes per block, and which blocks are pinned: they hold the Commit
   * of live records sitting in other blocks, so they may only be erased
   * after those records have moved (always true of the oldest block).
   */
  private liveLayout(): { live: number[]; pinned: boolean[] } {
    const live = this.blocks.map(() => 0);
    const pinned = this.blocks.map(() => false);
    const count = (r: RecordRef) => {
      live[r.block] += r.extent;
      if (r.commitBlock >= 0 && r.commitBlock !== r.block) pinned[r.commitBlock] = true;
    };
    for (const f of this.files.values()) {
      for (const r of f.records) count(r);
      // A tombstone whose block is the last holding its path goes with that block: garbage, not live.
      if (f.tombstone && f.holders > 1) count(f.tombstone);
    }
    if (this.activeIntent) count(this.activeIntent.ref);
    return { live, pinned };
  }

  private reclaimableBytes(): number {
    const { live } = this.liveLayout();
    let n = 0;
    for (const b of this.blocks) n += this.capacity - (b.state === 'active' ? live[b.index] : 0);
    return Math.max(0, n - RESERVE_BLOCKS * this.capacity);
  }

  /**
   * One garbage collection step: relocate the block with the most
   * reclaimable space (oldest first on ties); every WEAR_LEVEL_INTERVAL
   * steps, the coldest block instead when wear has spread too far.
   * False when no block is worth collecting.
   */
  private collect(minReclaim = MIN_RECLAIM): boolean {
    const { live, pinned } = this.liveLayout();
    const free = this.freeCount();
    if (this.counters.gcRuns % WEAR_LEVEL_INTERVAL === WEAR_LEVEL_INTERVAL - 1 && free >= 2) {
      let coldest: Block | null = null;
      let hottest = 0;
      for (const b of this.blocks) {
        hottest = Math.max(hottest, b.eraseCount);
        if (b.state === 'active' && b !== this.head && !pinned[b.index] && (!coldest || b.eraseCount < coldest.eraseCount)) coldest = b;
      }
      if (coldest && hottest - coldest.eraseCount > WEAR_SPREAD_LIMIT) {
        this.counters.gcRuns++;
        this.counters.wearMoves++;
        // Cold data goes to the most worn free block, where it lets that block rest.
        this.openBlock(true);
        this.relocate(coldest);
        return true;
      }
    }
    let victim: Block | null = null;
    let best = -1;
    for (const b of this.blocks) {
      if (b.state !== 'active' || b === this.head || pinned[b.index]) continue;
      const dead = this.capacity - live[b.index];
      if (dead > best || (dead === best && victim && b.seq < victim.seq)) {
        victim = b;
        best = dead;
      }
    }
    if ((!victim || best < minReclaim) && this.head && !pinned[this.head.index]) {
      // Only the head has garbage: close it so it can be collected.
      const dead = this.head.end - BLOCK_HEADER_BYTES - live[this.head.index];
      if (dead >= minReclaim && dead > best) {
        victim = this.head;
        best = dead;
      }
    }
    if (!victim || best < minReclaim) return false;
    this.counters.gcRuns++;
    this.relocate(victim);
    return true;
  }

  /**
   * Copy the live records of `block` to the head as one committed
   * transaction (deleted files' tombstones too, unless the block is the last
   * to hold anything of the file), void the block's header, erase it.
   */
  private relocate(block: Block): number {
    const bytes = this.readBlock(block);
    const moving: { ref: RecordRef; path: string; user: string; code: number; moved: (to: RecordRef) => void }[] = [];
    for (const f of this.files.values()) {
      const code = DATA_CLASSES[f.cls].code;
      for (const r of f.records) {
        if (r.block === block.index) moving.push({ ref: r, path: f.path, user: f.user, code, moved: (to) => { f.records = f.records.map((x) => (x === r ? to : x)); } });
      }
      const t = f.tombstone;
      if (t && t.block === block.index && f.holders > 1) moving.push({ ref: t, path: f.path, user: f.user, code, moved: (to) => { f.tombstone = to; } });
    }
    const intent = this.activeIntent;
    if (intent && intent.ref.block === block.index) moving.push({ ref: intent.ref, path: '', user: '', code: intent.code, moved: (to) => { intent.ref = to; } });
    if (this.head === block) block.closed = true;
    moving.sort((a, b) => a.ref.offset - b.ref.offset);
    // Copies need not move together (each duplicates a committed record): one transaction per block they land in, so none is pinned.
    for (let i = 0; i < moving.length; ) {
      let room = this.head && !this.head.closed ? this.part.blockSize - this.head.end : 0;
      if (moving[i].ref.extent + RECORD_HEADER_BYTES > room) {
        this.openBlock();
        room = this.capacity;
      }
      let end = i;
      let used = RECORD_HEADER_BYTES;
      while (end < moving.length && used + moving[end].ref.extent <= room) used += moving[end++].ref.extent;
      const batch = moving.slice(i, end);
      const gcTx = this.nextTxSeq++;
      const placed = batch.map((m) => this.place(withTxSeq(bytes.subarray(m.ref.offset, m.ref.offset + m.ref.extent), gcTx), m.path ? m : null, m.code));
      const committedIn = this.place(encodeCommit(gcTx, batch.length), null, 0).block;
      placed.forEach((at, k) => batch[k].moved({ ...batch[k].ref, block: at.block, offset: at.offset, commitBlock: committedIn }));
      i = end;
    }
    this.accountHolders();
    this.uncount(block, bytes);
    this.eraseBlock(block, true);
    return moving.length;
  }

  /**
   * Erase every block that holds a record matching `match` (committed or not,
   * live or dead), every damaged block and every unclean free block, after
   * removing `doomed` files from the index and moving the live records of
   * the others out. Victims with the most garbage go first, so the copies
   * always fit.
   */
  private scrub(match: ScrubMatch, doomed: (f: FileEntry) => boolean): { blocks: number; moved: number } {
    for (const f of [...this.files.values()]) {
      if (doomed(f) && !f.deleted) {
        f.records = [];
        f.deleted = true;
      }
      if (doomed(f)) f.tombstone = null;
    }
    const victims: Block[] = [];
    for (const b of this.blocks) {
      const bytes = this.readBlock(b);
      if (b.state !== 'active') {
        // Blank (never used) flash needs nothing; anything else outside the log may hold class data.
        if (!isClean(bytes, b.state === 'unknown' ? 0 : UNIT, bytes.length)) victims.push(b);
        continue;
      }
      let hit = b.damaged;
      walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
        if (hit || h.kind === RecordKind.Commit || h.kind === RecordKind.EraseIntent) return;
        const m = decodeMeta(bytes, at, h, utf8Decode);
        if (match(h.classCode, m.user, m.origSeq, sealedGeneration(bytes, at, h, m), h)) hit = true;
      });
      if (hit) victims.push(b);
    }
    for (const b of victims) if (b.state !== 'active') this.eraseBlock(b, false);
    // A victim holding the Commit of live records elsewhere takes their blocks with it (they move first).
    const remaining = victims.filter((b) => b.state === 'active');
    for (let grew = true; grew; ) {
      grew = false;
      const chosen = new Set(remaining.map((b) => b.index));
      const visit = (r: RecordRef) => {
        if (chosen.has(r.commitBlock) && !chosen.has(r.block)) {
          chosen.add(r.block);
          remaining.push(this.blocks[r.block]);
          grew = true;
        }
      };
      for (const f of this.files.values()) {
        f.records.forEach(visit);
        if (f.tombstone) visit(f.tombstone);
      }
    }
    let moved = 0;
    const erased = victims.filter((b) => b.state !== 'active').length + remaining.length;
    while (remaining.length) {
      // Most garbage first (the copies always fit), never a block still pinned by another victim's records.
      const { live, pinned } = this.liveLayout();
      let pick = -1;
      for (let i = 0; i < remaining.length; i++) {
        const b = remaining[i];
        if (pinned[b.index]) continue;
        if (pick < 0 || live[b.index] < live[remaining[pick].index] || (live[b.index] === live[remaining[pick].index] && b.seq < remaining[pick].seq)) pick = i;
      }
      if (pick < 0) pick = remaining.reduce((m, b, i) => (b.seq < remaining[m].seq ? i : m), 0);
      const [b] = remaining.splice(pick, 1);
      moved += this.relocate(b);
    }

    return { blocks: erased, moved };
  }

  /** Start a new head block: the least-worn free block (the most worn one for cold data), verified clean. */
  private openBlock(mostWorn = false): void {
    if (this.head) this.head.closed = true;
    let b: Block | null = null;
    for (const c of this.blocks) if (c.state !== 'active' && (!b || (mostWorn ? c.eraseCount > b.eraseCount : c.eraseCount < b.eraseCount))) b = c;
    if (!b) throw new StorageFullError('no free block left');
    if (b.state === 'unknown' || !isClean(this.readBlock(b), UNIT, this.part.blockSize)) this.eraseBlock(b, false);
    this.program(b.index * this.part.blockSize + UNIT, encodeBlockUnit(ACTIVE_MAGIC, this.nextBlockSeq));
    b.state = 'active';
    b.seq = this.nextBlockSeq++;
    b.end = BLOCK_HEADER_BYTES;
    b.closed = false;
    b.damaged = false;
    this.head = b;
  }

  /**
   * Erase a block and write its new erase count. An active block's header is
   * voided first, so an erase torn in any pattern cannot leave it looking
   * like a valid part of the log.
   */
  private eraseBlock(b: Block, wasActive: boolean): void {
    if (wasActive) this.program(b.index * this.part.blockSize + UNIT, VOID_UNIT);
    const count = b.eraseCount + 1;
    b.state = 'unknown';
    if (this.head === b) this.head = null;
    this.part.erase(b.index);
    this.counters.eraseOps++;
    this.program(b.index * this.part.blockSize, encodeBlockUnit(ERASE_MAGIC, count));
    b.eraseCount = count;
    b.state = 'free';
    b.end = BLOCK_HEADER_BYTES;
    b.closed = false;
    b.damaged = false;
  }

  private program(offset: number, bytes: Uint8Array): void {
    this.part.program(offset, bytes);
    this.counters.programOps++;
    this.counters.programBytes += bytes.length;
  }

  private readBlock(b: Block): Uint8Array {
    return this.part.read(b.index * this.part.blockSize, this.part.blockSize);
  }

  // ───────────── reading and merging ─────────────

  private readData(f: FileEntry, r: RecordRef): Uint8Array {
    const bytes = this.part.read(r.block * this.part.blockSize + r.offset, r.extent);
    const h = decodeRecordHeader(bytes, 0);
    let good = false;
    walkRecords(bytes, 0, () => { good = true; });
    if (!good) throw new Error(`store: record of ${f.path} at block ${r.block}+${r.offset} fails its CRC`);
    const m = decodeMeta(bytes, 0, h, utf8Decode);
    const data = bytes.subarray(m.dataOffset, m.dataOffset + m.dataLength);
    if (!(h.flags & FLAG_SEALED)) return data.slice();
    const gen = sealedGeneration(bytes, 0, h, m) ?? 0;
    const sealed = h.flags & FLAG_KEY_GENERATION ? data.subarray(KEY_GENERATION_BYTES) : data;
    return this.crypto.decrypt(classKeyName(f.cls, f.user || undefined, gen), sealed, this.aad(f.cls, f.path));
  }

  /** Keep appended files to a bounded number of records by merging the newest small ones. */
  private mergeIfFragmented(path: string): void {
    const f = this.liveFile(path);
    if (!f) return;
    const pathBytes = utf8Encode(path);
    const userBytes = utf8Encode(f.user);
    const room = this.roomFor(f.cls, pathBytes.length, userBytes.length);
    let small = 0;
    for (const r of f.records) if (r.size < room / 2) small++;
    if (small <= MERGE_TRIGGER) return;
    // The newest run of two or more adjacent small records that fits one record (never chunk 0, the Write).
    const isSmall = (r: RecordRef) => r.size < room / 2;
    let run: RecordRef[] = [];
    let size = 0;
    for (let end = f.records.length - 1; end >= 2 && run.length < 2; end--) {
      if (!isSmall(f.records[end])) continue;
      let start = end;
      size = f.records[end].size;
      while (start - 1 >= 1 && isSmall(f.records[start - 1]) && size + f.records[start - 1].size <= room) size += f.records[--start].size;
      run = f.records.slice(start, end + 1);
    }
    if (run.length < 2) return;
    const data = new Uint8Array(size);
    let at = 0;
    for (const r of run) {
      const d = this.readData(f, r);
      data.set(d, at);
      at += d.length;
    }
    try {
      this.commit([this.encode(RecordKind.Merge, f.cls, f.user, path, pathBytes, userBytes, this.nextTxSeq, run[0].first, run[run.length - 1].last, data)], 'data');
    } catch (e) {
      // The append itself is committed; merging waits for space.
      if (!(e instanceof StorageFullError)) throw e;
      this.log(`store: ${path}: merge of ${run.length} records postponed (${e.message})`);
    }
  }

  private roomFor(cls: DataClassId, pathBytes: number, userBytes: number): number {
    // One record must fit in an empty block next to a Commit: header + path + user length + 3 numbers + data, padded.
    const room = this.capacity - RECORD_HEADER_BYTES - RECORD_HEADER_BYTES - pathBytes - 1 - userBytes - 12;
    return Math.floor(room / UNIT) * UNIT - (DATA_CLASSES[cls].sealed ? SEAL_OVERHEAD + KEY_GENERATION_BYTES : 0);
  }

  private liveFile(path: string): FileEntry | undefined {
    const f = this.files.get(path);
    return f && !f.deleted ? f : undefined;
  }

  private liveFileCount(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.deleted) n++;
    return n;
  }

  private freeCount(): number {
    let n = 0;
    for (const b of this.blocks) if (b.state !== 'active') n++;
    return n;
  }

  /** Every key generation of the class (all users, or one user: '' the phone's own). */
  private destroyKeys(cls: DataClassId, user?: string): void {
    for (const k of this.classKeys(cls)) if (user === undefined || k.user === user) this.crypto.destroyKey(k.name);
    if (user !== undefined) this.generations.delete(generationKey(cls, user));
    else for (const key of [...this.generations.keys()]) if (key.startsWith(generationKey(cls, ''))) this.generations.delete(key);
  }

  private destroyGenerationsBelow(cls: DataClassId, user: string, generation: number): void {
    for (const k of this.classKeys(cls)) if (k.user === user && k.generation < generation) this.crypto.destroyKey(k.name);
  }

  private classKeys(cls: DataClassId): (ClassKey & { name: string })[] {
    return classKeysOf(this.crypto, cls);
  }

  /**
   * The key generation new records of the class and user are sealed under:
   * the newest key in the keystore, and never below a generation the flash
   * already shows (a keystore restored or lost while the flash kept a re-key
   * intent must not seal new records under a generation that intent dooms).
   */
  private currentGeneration(cls: DataClassId, user: string): number {
    const cached = this.generations.get(generationKey(cls, user));
    if (cached !== undefined) return cached;
    let generation = this.generationFloors.get(generationKey(cls, user)) ?? 0;
    const code = DATA_CLASSES[cls].code;
    for (const it of this.rekeyIntents) {
      if (it.code === code && it.rekeyGen !== null && (it.allUsers || bytesEqual(this.userHash(user), it.userHash))) generation = Math.max(generation, it.rekeyGen);
    }
    for (const k of this.classKeys(cls)) if (k.user === user) generation = Math.max(generation, k.generation);
    this.generations.set(generationKey(cls, user), generation);
    return generation;
  }

  private userHash(user: string): Uint8Array {
    return this.crypto.sha256(utf8Encode(`store-user:${user}`)).slice(0, USER_HASH_BYTES);
  }

  private checkClass(cls: DataClassId): void {
    if (!DATA_CLASSES[cls]) throw new StorageUsageError(`unknown data class "${cls}"`);
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

const EMPTY = new Uint8Array(0);
const VOID_UNIT = new Uint8Array(UNIT);

function generationKey(cls: DataClassId, user: string): string {
  return `${cls}\u0000${user}`;
}

/** An erase or re-key intent as read from flash (data: user hash, and for a re-key the generation). */
function intentOf(code: number, flags: number, data: Uint8Array, seq: number, ref: RecordRef): EraseIntent {
  const rekey = (flags & FLAG_REKEY) !== 0 && data.length >= USER_HASH_BYTES + KEY_GENERATION_BYTES;
  return {
    code, allUsers: (flags & FLAG_ALL_USERS) !== 0, seq, ref,
    userHash: rekey ? data.slice(0, USER_HASH_BYTES) : data,
    rekeyGen: rekey ? get32(data, USER_HASH_BYTES) : null,
  };
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

function isClean(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0xff) return false;
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A data record (deletes carry no data) of a class that seals, written in clear. */
function isClearRecordOfSealedClass(cls: DataClassId, h: RecordHeader): boolean {
  return DATA_CLASSES[cls].sealed && h.kind !== RecordKind.Delete && (h.flags & FLAG_SEALED) === 0;
}
