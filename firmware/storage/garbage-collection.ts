/**
 * Committing transactions to the log and keeping room in it: a commit
 * programs a transaction's records then its Commit record; garbage
 * collection copies the live records of the block with the most garbage to
 * the head (keeping their sequence numbers), commits the copies, voids the
 * block's header and erases it; static wear levelling moves cold blocks.
 */
import { utf8Decode } from '../kernel/text-codec';
import { DATA_CLASSES } from './data-classes';
import { StorageFullError } from './errors';
import { BLOCK_HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, decodeMeta, decodeRecordHeader, encodeCommit, restamp, sealedGeneration, withTxSeq } from './record-format';
import { DELETED_SLACK, MIN_RECLAIM, RESERVE_BLOCKS, WEAR_LEVEL_INTERVAL, WEAR_SPREAD_LIMIT } from './store-limits';
import type { EraseIntent, Outgoing, RecordRef, SpaceMode } from './store-types';
import { BlockState, NO_BLOCK } from './block-table';
import { SealingStore } from './record-sealing';

export abstract class CollectingStore extends SealingStore {
  /** The intent of the class erase in progress: moved like a live record until the erase is done. */
  protected activeIntent: EraseIntent | null = null;

  /** Program a transaction's records and its Commit, then index them. Returns where the records went. */
  protected commit(out: Outgoing[], mode: SpaceMode): RecordRef[] {
    this.ensureSpace(out.map((o) => o.bytes.length), mode);
    this.beforeCommit(out.map((o) => o.bytes.length));
    // Garbage collection may have taken transaction numbers meanwhile: records carry the one they commit under.
    const txSeq = this.nextTxSeq++;
    if (this.startsFreshBlock(out.map((o) => o.bytes.length))) this.blocks.closed[this.head] = 1;
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

  /** Room made for a transaction of these record sizes, right before its records are placed (the mount checkpoint goes here). */
  protected beforeCommit(_sizes: number[]): void {}

  /** A fresh head for a collection's copies, the first of which takes `needed` bytes (the mount checkpoint may go first). */
  protected openBlockForCopies(_needed: number): void {
    this.openBlock();
  }

  /** Make sure records of these sizes fit, collecting garbage if needed. */
  protected ensureSpace(sizes: number[], mode: SpaceMode): void {
    const blocksNeeded = () => {
      let room = this.headRoom();
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
      if (rounds > 2 * this.blocks.count || this.freeCount() < 1 || !this.collect()) {
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
  protected liveLayout(): { live: Uint32Array; pinned: Uint8Array } {
    const live = new Uint32Array(this.blocks.count);
    const pinned = new Uint8Array(this.blocks.count);
    const count = (r: RecordRef) => {
      live[r.block] += r.extent;
      if (r.commitBlock >= 0 && r.commitBlock !== r.block) pinned[r.commitBlock] = 1;
    };
    for (const f of this.files.values()) {
      for (const r of f.records) count(r);
      // A tombstone whose block is the last holding its path goes with that block: garbage, not live.
      if (f.tombstone && f.holders > 1) count(f.tombstone);
    }
    if (this.activeIntent) count(this.activeIntent.ref);
    return { live, pinned };
  }

  protected reclaimableBytes(): number {
    const { live } = this.liveLayout();
    let n = 0;
    for (let b = 0; b < this.blocks.count; b++) n += this.capacity - (this.blocks.isActive(b) ? live[b] : 0);
    return Math.max(0, n - RESERVE_BLOCKS * this.capacity);
  }

  /**
   * One garbage collection step: relocate the block with the most
   * reclaimable space (oldest first on ties); every WEAR_LEVEL_INTERVAL
   * steps, the coldest block instead when wear has spread too far.
   * False when no block is worth collecting.
   */
  protected collect(minReclaim = MIN_RECLAIM): boolean {
    const t = this.blocks;
    const { live, pinned } = this.liveLayout();
    const free = this.freeCount();
    if (this.counters.gcRuns % WEAR_LEVEL_INTERVAL === WEAR_LEVEL_INTERVAL - 1 && free >= 2) {
      let coldest = NO_BLOCK;
      let hottest = 0;
      for (let b = 0; b < t.count; b++) {
        hottest = Math.max(hottest, t.eraseCount[b]);
        if (t.state[b] === BlockState.Active && b !== this.head && !pinned[b] && (coldest === NO_BLOCK || t.eraseCount[b] < t.eraseCount[coldest])) coldest = b;
      }
      if (coldest !== NO_BLOCK && hottest - t.eraseCount[coldest] > WEAR_SPREAD_LIMIT) {
        this.counters.gcRuns++;
        this.counters.wearMoves++;
        // Cold data goes to the most worn free block, where it lets that block rest.
        this.openBlock(true);
        this.relocate(coldest);
        return true;
      }
    }
    let victim = NO_BLOCK;
    let best = -1;
    for (let b = 0; b < t.count; b++) {
      if (t.state[b] !== BlockState.Active || b === this.head || pinned[b]) continue;
      const dead = this.capacity - live[b];
      if (dead > best || (dead === best && victim !== NO_BLOCK && t.seq[b] < t.seq[victim])) {
        victim = b;
        best = dead;
      }
    }
    if ((victim === NO_BLOCK || best < minReclaim) && this.head !== NO_BLOCK && !pinned[this.head]) {
      // Only the head has garbage: close it so it can be collected.
      const dead = t.end[this.head] - BLOCK_HEADER_BYTES - live[this.head];
      if (dead >= minReclaim && dead > best) {
        victim = this.head;
        best = dead;
      }
    }
    if (victim === NO_BLOCK || best < minReclaim) return false;
    this.counters.gcRuns++;
    this.relocate(victim);
    return true;
  }

  /**
   * Copy the live records of `block` to the head as one committed
   * transaction (deleted files' tombstones too, unless the block is the last
   * to hold anything of the file), void the block's header, erase it.
   */
  protected relocate(block: number): number {
    const bytes = this.readBlock(block);
    const moving: { ref: RecordRef; path: string; user: string; code: number; moved: (to: RecordRef) => void }[] = [];
    for (const f of this.files.values()) {
      const code = DATA_CLASSES[f.cls].code;
      for (const r of f.records) {
        if (r.block === block) moving.push({ ref: r, path: f.path, user: f.user, code, moved: (to) => { f.records = f.records.map((x) => (x === r ? to : x)); } });
      }
      const t = f.tombstone;
      if (t && t.block === block && f.holders > 1) moving.push({ ref: t, path: f.path, user: f.user, code, moved: (to) => { f.tombstone = to; } });
    }
    const intent = this.activeIntent;
    if (intent && intent.ref.block === block) moving.push({ ref: intent.ref, path: '', user: '', code: intent.code, moved: (to) => { intent.ref = to; } });
    if (this.head === block) this.blocks.closed[block] = 1;
    moving.sort((a, b) => a.ref.offset - b.ref.offset);
    // Copies need not move together (each duplicates a committed record): one transaction per block they land in, so none is pinned.
    for (let i = 0; i < moving.length; ) {
      let room = this.headRoom();
      if (moving[i].ref.extent + RECORD_HEADER_BYTES > room) {
        this.openBlockForCopies(moving[i].ref.extent + RECORD_HEADER_BYTES);
        room = this.headRoom();
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
   * Deleted paths stay in the index while older records of theirs are on
   * flash (their tombstones must survive until then). When there are many,
   * collect mostly-dead blocks early: they would be collected first anyway,
   * so this costs no extra erases, and it keeps the index bounded.
   */
  protected trimDeletedEntries(): void {
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
}
