/**
 * Mount: rebuild the RAM index from flash. Reads every block header (wear,
 * log order) and finds the newest mount checkpoint, walks the records of
 * active blocks in log order applying each committed transaction (checking
 * CRCs only where no checkpoint vouches for the block), notes damaged
 * tails, then finishes class erases and re-keys that a power cut
 * interrupted.
 */
import { utf8Decode } from '../kernel/text-codec';
import { DATA_CLASSES, classByCode, classKeyName, type DataClassId } from './data-classes';
import { ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, RECORD_HEADER_BYTES, RecordKind, UNIT, decodeBlockUnit, decodeMeta, isClean, sealedGeneration, walkRecords, type RecordMeta } from './record-format';
import type { EraseIntent, RecordRef } from './store-types';
import { BlockState, NO_BLOCK } from './block-table';
import { CHECKPOINT_CLASS_CODE, CHECKPOINT_MAX_BYTES, CheckpointingStore, checkpointAtBlockStart, type MountCheckpoint } from './mount-checkpoint';
import { generationKey } from './record-sealing';
import { intentOf, isClearRecordOfSealedClass } from './class-erase';

export abstract class MountingStore extends CheckpointingStore {

  protected scan(): void {
    const t = this.blocks;
    // Block numbers, in log order once sorted.
    const active: number[] = [];
    let knownCounts = 0;
    let countSum = 0;
    const lostCounts: number[] = [];
    const starts = this.readBlockStarts();
    // Active blocks whose first record may be a mount checkpoint.
    const checkpointBlocks: number[] = [];
    for (let b = 0; b < t.count; b++) {
      const at = b * BLOCK_START_BYTES;
      const eraseCount = decodeBlockUnit(starts, at, ERASE_MAGIC);
      const seq = decodeBlockUnit(starts, at + UNIT, ACTIVE_MAGIC);
      if (eraseCount !== null) {
        t.eraseCount[b] = eraseCount;
        knownCounts++;
        countSum += eraseCount;
      } else {
        lostCounts.push(b);
      }
      if (seq !== null) {
        t.state[b] = BlockState.Active;
        t.seq[b] = seq;
        active.push(b);
        if (starts[at + BLOCK_HEADER_BYTES] === RecordKind.Write && starts[at + BLOCK_HEADER_BYTES + 1] === CHECKPOINT_CLASS_CODE) checkpointBlocks.push(b);
      } else {
        // Free if cleanly erased; otherwise (blank, torn erase, voided, damaged header) erased before use.
        t.state[b] = eraseCount !== null && isClean(starts, at + UNIT, at + BLOCK_HEADER_BYTES) ? BlockState.Free : BlockState.Unknown;
        // A block voided by a garbage collection or erase that a power cut stopped still holds its records.
        if (t.state[b] === BlockState.Unknown && !isClean(starts, at, at + BLOCK_HEADER_BYTES) && this.holdsClearRecordsOfSealedClasses(b)) this.clearRecordsSeen = true;
      }
    }
    const checkpoint = this.newestCheckpoint(checkpointBlocks);
    // A block whose wear record was lost in a torn erase is assumed as worn as the average.
    const average = knownCounts ? Math.round(countSum / knownCounts) : 0;
    for (const b of lostCounts) t.eraseCount[b] = average;

    active.sort((a, b) => t.seq[a] - t.seq[b]);
    let maxTx = 0;
    const intents: EraseIntent[] = [];
    /**
     * Per class code and user: the oldest origSeq and key generations among its records on flash (decide whether
     * an erase intent or a re-key is finished) and which generations' keys the keystore holds. Kept per owner,
     * not rebuilt per record: at ~3,000 records the per-record keys and maps were a fifth of a QuickJS mount.
     */
    const owners = new Map<number, Map<string, OwnerOnFlash>>();
    const ownerOf = (code: number, user: string): OwnerOnFlash => {
      let byUser = owners.get(code);
      if (!byUser) owners.set(code, (byUser = new Map()));
      let o = byUser.get(user);
      if (!o) {
        const cls = classByCode(code);
        byUser.set(user, (o = { code, user, cls, sealed: !!cls && DATA_CLASSES[cls].sealed, oldestSeq: Infinity, oldestGen: Infinity, newestGen: -1, keyHeld: new Map() }));
      }
      return o;
    };
    const holderCounts = new Map<string, { count: number; code: number; user: string; lastBlock: number }>();
    this.checkpointSeq = checkpoint?.belowSeq ?? 0;
    // The records of the transaction being read, until its Commit: parallel arrays, not an object per record.
    let pendingTx = -1;
    const pendingRefs: RecordRef[] = [];
    const pendingCodes: number[] = [];
    const pendingPaths: string[] = [];
    const pendingUsers: string[] = [];
    const pendingIntents: { code: number; flags: number; hash: Uint8Array; origSeq: number; ref: RecordRef }[] = [];
    const dropPending = (): void => {
      pendingTx = -1;
      pendingRefs.length = pendingCodes.length = pendingPaths.length = pendingUsers.length = pendingIntents.length = 0;
    };
    const meta: RecordMeta = { path: '', user: '', origSeq: 0, chunkFirst: 0, chunkLast: 0, dataOffset: 0, dataLength: 0 };
    this.readBlocksInRuns(active, (block, whole) => {
      const blockSeq = t.seq[block];
      this.nextBlockSeq = Math.max(this.nextBlockSeq, blockSeq + 1);
      const vouched = checkpoint !== null && blockSeq < checkpoint.belowSeq;
      const damagedEnd = vouched ? checkpoint!.damagedEnds.get(blockSeq) : undefined;
      const bytes = damagedEnd === undefined ? whole : whole.subarray(0, damagedEnd);
      const walk = walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h, extent) => {
        if (h.txSeq > maxTx) maxTx = h.txSeq;
        if (h.kind === RecordKind.Commit) {
          // Records of a committed transaction that GC has since moved out of an erased block are simply absent here.
          if (pendingTx === h.txSeq) {
            for (let i = 0; i < pendingRefs.length; i++) {
              pendingRefs[i].commitBlock = block;
              this.apply(pendingRefs[i], pendingCodes[i], pendingPaths[i], pendingUsers[i]);
            }
            for (const it of pendingIntents) {
              it.ref.commitBlock = block;
              intents.push(intentOf(it.code, it.flags, it.hash, it.origSeq, it.ref));
            }
          }
          dropPending();
          return;
        }
        if (pendingTx !== -1 && pendingTx !== h.txSeq) dropPending(); // the earlier transaction never committed
        if (h.classCode === CHECKPOINT_CLASS_CODE) return; // the store's own bookkeeping: read above, not a file
        pendingTx = h.txSeq;
        decodeMeta(bytes, at, h, utf8Decode, meta);
        const gen = sealedGeneration(bytes, at, h, meta);
        const ref = this.refOf(block, at, extent, h, meta, gen);
        if (h.kind === RecordKind.EraseIntent) {
          pendingIntents.push({ code: h.classCode, flags: h.flags, hash: bytes.slice(at + meta.dataOffset, at + meta.dataOffset + meta.dataLength), origSeq: meta.origSeq, ref });
          return;
        }
        pendingRefs.push(ref);
        pendingCodes.push(h.classCode);
        pendingPaths.push(meta.path);
        pendingUsers.push(meta.user);
        const owner = ownerOf(h.classCode, meta.user);
        if (meta.origSeq < owner.oldestSeq) owner.oldestSeq = meta.origSeq;
        if (owner.cls && isClearRecordOfSealedClass(owner.cls, h)) this.clearRecordsSeen = true;
        if (gen !== null) {
          if (gen < owner.oldestGen) owner.oldestGen = gen;
          if (gen > owner.newestGen) owner.newestGen = gen;
          // One keystore question per key, not per record: each is a host call (~2,000 sealed records on the full-data phone).
          if (owner.sealed && !owner.keyHeld.has(gen)) owner.keyHeld.set(gen, this.crypto.hasKey(classKeyName(owner.cls!, meta.user || undefined, gen)));
        }
        const hc = holderCounts.get(meta.path);
        if (!hc) holderCounts.set(meta.path, { count: 1, code: h.classCode, user: meta.user, lastBlock: block });
        else if (hc.lastBlock !== block) {
          hc.count++;
          hc.lastBlock = block;
        }
      }, vouched ? bytes.length : BLOCK_HEADER_BYTES);
      if (damagedEnd !== undefined && !walk.damage) walk.damage = `damaged after ${damagedEnd} (recorded by the mount checkpoint)`;
      t.end[block] = walk.end;
      if (walk.damage) {
        this.log(`store: block ${block}: ${walk.damage}; the rest of the block is ignored`);
        t.closed[block] = 1;
        t.damaged[block] = 1;
      }
    });
    this.nextTxSeq = maxTx + 1;
    const last = active.length ? active[active.length - 1] : NO_BLOCK;
    this.head = last !== NO_BLOCK && t.closed[last] === 0 ? last : NO_BLOCK;
    for (const b of active) if (b !== this.head) t.closed[b] = 1;

    // Every path with a record on flash gets an entry, so garbage collection can count its holders.
    for (const [path, hc] of holderCounts) {
      const f = this.files.get(path) ?? this.newEntry(path, hc.code, hc.user);
      f.holders = hc.count;
      f.lastHolder = this.head !== NO_BLOCK && hc.lastBlock === this.head ? hc.lastBlock : -1;
    }
    for (const f of this.files.values()) {
      if (f.resetSeq < 0 && f.records.length) this.log(`store: ${f.path}: appended records without the write they extend; ignored`);
      if (f.resetSeq < 0 || f.deleted) {
        f.records = [];
        f.deleted = true;
      }
    }
    const oldest = new Map<string, { code: number; user: string; origSeq: number }>();
    const oldestGen = new Map<string, { code: number; user: string; gen: number }>();
    const orphanKeys = new Map<string, { code: number; user: string; gen: number }>();
    for (const byUser of owners.values()) {
      for (const o of byUser.values()) {
        const key = `${o.code}\u0000${o.user}`;
        if (o.oldestSeq !== Infinity) oldest.set(key, { code: o.code, user: o.user, origSeq: o.oldestSeq });
        if (o.oldestGen !== Infinity) oldestGen.set(key, { code: o.code, user: o.user, gen: o.oldestGen });
        if (o.cls && o.newestGen >= 0) this.generationFloors.set(generationKey(o.cls, o.user), Math.max(o.newestGen, this.generationFloors.get(generationKey(o.cls, o.user)) ?? 0));
        for (const [gen, held] of o.keyHeld) if (!held) orphanKeys.set(`${key}\u0000${gen}`, { code: o.code, user: o.user, gen });
      }
    }
    this.rekeyIntents = intents.filter((it) => it.rekeyGen !== null);
    this.finishErases(intents, oldest, oldestGen, orphanKeys);
  }

  /**
   * The first BLOCK_START_BYTES of every block, block after block: one call
   * where the partition offers it (a mount needs nothing more of a block to
   * put the log in order), else whole blocks read in runs.
   */
  private readBlockStarts(): Uint8Array {
    const count = this.blocks.count;
    if (this.part.readBlockStarts) {
      const starts = this.part.readBlockStarts(BLOCK_START_BYTES);
      if (starts.length !== count * BLOCK_START_BYTES) throw new Error(`flash partition ${this.part.name}: block starts are ${starts.length} bytes, expected ${count * BLOCK_START_BYTES}`);
      return starts;
    }
    const starts = new Uint8Array(count * BLOCK_START_BYTES);
    this.readBlocksInRuns(Array.from({ length: count }, (_, b) => b), (b, bytes) => starts.set(bytes.subarray(0, BLOCK_START_BYTES), b * BLOCK_START_BYTES));
    return starts;
  }

  /** The newest mount checkpoint among the blocks whose first record looks like one (null: none checks out). */
  private newestCheckpoint(blocks: number[]): MountCheckpoint | null {
    const t = this.blocks;
    blocks.sort((a, b) => t.seq[b] - t.seq[a]);
    for (const b of blocks) {
      const start = this.part.read(b * this.part.blockSize, Math.min(this.part.blockSize, BLOCK_HEADER_BYTES + CHECKPOINT_MAX_BYTES));
      const found = checkpointAtBlockStart(start, t.seq[b], utf8Decode);
      if (found) return found;
    }
    return null;
  }
}

/** What the mount gathers per class code and user while walking the log. */
interface OwnerOnFlash {
  code: number;
  user: string;
  cls: DataClassId | undefined;
  sealed: boolean;
  oldestSeq: number;
  oldestGen: number;
  newestGen: number;
  /** Key generation → held by the keystore. */
  keyHeld: Map<number, boolean>;
}

/** Bytes of each block the mount reads first: the block header, and the header of the first record (a checkpoint?). */
const BLOCK_START_BYTES = BLOCK_HEADER_BYTES + RECORD_HEADER_BYTES;
