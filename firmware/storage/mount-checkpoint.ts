/**
 * Mount checkpoint: a record that vouches for the log before it, so a mount
 * need not check the CRC of every record again (docs/storage-format.md,
 * "Mount checkpoint"). On a nearly full 4 MiB `fs` the CRC of 3 MB of
 * records was most of the boot in QuickJS.
 *
 * What it says: "every active block with a sequence number below C was
 * verified (read with its CRCs by a mount, or programmed by this store)
 * and closed; each ends at its first blank unit, except the damaged ones
 * listed, which end where their damage starts". Closed blocks are never
 * programmed again (only voided, which makes them inactive, and block
 * sequence numbers only grow), so this stays true as long as a block of
 * sequence C holds it: any checkpoint that passes its CRC is correct, the
 * newest is the most useful. It holds numbers only (sequence numbers and
 * offsets): no path, no user, nothing of any file, so no data class owns it.
 *
 * Where: always the first record of a fresh block (sequence C), committed
 * alone, so the mount finds it while reading block headers without walking
 * any log. Class code CHECKPOINT_CLASS_CODE is no data class: firmware that
 * predates checkpoints logs it as an unknown class and ignores it; garbage
 * collection never copies it (it is not live), so losing its block only
 * costs one full check at the next mount.
 */
import { utf8Encode } from '../kernel/text-codec';
import { ErasingStore } from './class-erase';
import { BLOCK_HEADER_BYTES, RECORD_HEADER_BYTES, RecordKind, decodeMeta, decodeRecordHeader, encodeCommit, encodeRecord, get32, payloadFits, put32, recordCrcOk, recordExtent } from './record-format';
import { RESERVE_BLOCKS } from './store-limits';
import { BlockState } from './block-table';

/** Not a data class (data-classes.ts uses 1–13): the store's own bookkeeping. */
export const CHECKPOINT_CLASS_CODE = 0x7f;
export const CHECKPOINT_PATH = '.store/mount-checkpoint';
const FORMAT_VERSION = 1;
/** A checkpoint is written when this many active blocks are not covered by the newest one. */
export const CHECKPOINT_EVERY_BLOCKS = 16;
/** Damaged blocks a checkpoint lists at most: it stays one small record. */
const MAX_DAMAGED = 32;
/** A checkpoint record with its Commit, at most. */
export const CHECKPOINT_MAX_BYTES = 2 * RECORD_HEADER_BYTES + 96 + 8 * MAX_DAMAGED;

export interface MountCheckpoint {
  /** Active blocks with a sequence number below this one are verified. */
  belowSeq: number;
  /** Damaged verified blocks: where their valid records end, by block sequence number. */
  damagedEnds: Map<number, number>;
}

/** The checkpoint's data: version, C, count, then (sequence, end) per damaged block; little-endian u32. */
export function encodeCheckpoint(belowSeq: number, damaged: { seq: number; end: number }[]): Uint8Array {
  const out = new Uint8Array(12 + 8 * damaged.length);
  put32(out, 0, FORMAT_VERSION);
  put32(out, 4, belowSeq);
  put32(out, 8, damaged.length);
  damaged.forEach((d, i) => {
    put32(out, 12 + 8 * i, d.seq);
    put32(out, 16 + 8 * i, d.end);
  });
  return out;
}

/**
 * The checkpoint a block starts with, or null: the first record of the
 * block must be a checkpoint whose CRC checks out, naming this block's
 * sequence number, and the record right after it its Commit.
 */
export function checkpointAtBlockStart(block: Uint8Array, blockSeq: number, decodeText: (b: Uint8Array) => string): MountCheckpoint | null {
  const at = BLOCK_HEADER_BYTES;
  if (block.length < at + 2 * RECORD_HEADER_BYTES || block[at] !== RecordKind.Write || block[at + 1] !== CHECKPOINT_CLASS_CODE) return null;
  const h = decodeRecordHeader(block, at);
  const extent = recordExtent(h, at, block.length);
  if (extent === null || !recordCrcOk(block, at, h) || !payloadFits(block, at, h)) return null;
  const c = decodeRecordHeader(block, at + extent);
  if (c.kind !== RecordKind.Commit || c.txSeq !== h.txSeq || c.length !== 1 || recordExtent(c, at + extent, block.length) === null || !recordCrcOk(block, at + extent, c)) return null;
  const m = decodeMeta(block, at, h, decodeText);
  const d = at + m.dataOffset;
  if (m.path !== CHECKPOINT_PATH || m.dataLength < 12 || get32(block, d) !== FORMAT_VERSION) return null;
  const belowSeq = get32(block, d + 4);
  const count = get32(block, d + 8);
  if (belowSeq !== blockSeq || m.dataLength !== 12 + 8 * count) return null;
  const damagedEnds = new Map<number, number>();
  for (let i = 0; i < count; i++) damagedEnds.set(get32(block, d + 12 + 8 * i), get32(block, d + 16 + 8 * i));
  return { belowSeq, damagedEnds };
}

/**
 * Writes checkpoints: when a transaction is about to open a fresh block and
 * CHECKPOINT_EVERY_BLOCKS active blocks lie past the newest checkpoint, the
 * checkpoint goes first in that block. The block was being opened anyway, so
 * a checkpoint costs one small record and closes no block early.
 */
export abstract class CheckpointingStore extends ErasingStore {
  /** Sequence number of the block holding the newest checkpoint on flash (0: none). */
  protected checkpointSeq = 0;

  protected beforeCommit(sizes: number[]): void {
    super.beforeCommit(sizes);
    const room = this.headRoom();
    const opensBlock = room < sizes[0] || this.startsFreshBlock(sizes);
    if (!opensBlock || !this.checkpointDue()) return;
    // Only where the transaction still starts in the checkpoint's block (else that block would be closed nearly empty).
    const total = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
    const after = this.capacity - CHECKPOINT_MAX_BYTES;
    if (sizes[0] > after || (total > after && total <= this.capacity)) return;
    // The checkpoint may make the transaction take one block more: never out of the reserve.
    if (this.freeCount() < Math.ceil(total / this.capacity) + 1 + RESERVE_BLOCKS) return;
    this.writeCheckpoint();
  }

  /**
   * Write a checkpoint now if one is due and room is to spare (the boot asks
   * once the stores are mounted): flash written by firmware without
   * checkpoints, or whose newest checkpoint's block was collected, would
   * otherwise have every CRC checked again at each boot until a write opens
   * a block. Closes the head block early, so only when due (16 blocks or
   * more past the newest checkpoint). True when one was written.
   */
  checkpointIfDue(): boolean {
    if (!this.blocksToSpare() || !this.checkpointDue()) return false;
    return this.writeCheckpoint();
  }

  /**
   * A collection's copies open blocks too: a class erase or re-key erases the
   * blocks holding its class's records, checkpoints' blocks among them, and
   * moves the rest with such copies; without a checkpoint here the next boots
   * checked the CRC of most of the log again. Only with room to spare: a
   * collection under pressure must fit one block's copies in one fresh block.
   */
  protected openBlockForCopies(needed: number): void {
    const spare = needed <= this.capacity - CHECKPOINT_MAX_BYTES && this.blocksToSpare();
    if (!spare || !this.checkpointDue() || !this.writeCheckpoint()) this.openBlock();
  }

  /** Free blocks beyond the reserve for a checkpoint written outside a transaction's own block opening. */
  private blocksToSpare(): boolean {
    return this.freeCount() >= RESERVE_BLOCKS + 3;
  }

  private checkpointDue(): boolean {
    if (this.nextBlockSeq - 1 - this.checkpointSeq < CHECKPOINT_EVERY_BLOCKS) return false;
    const t = this.blocks;
    let uncovered = 0;
    for (let b = 0; b < t.count; b++) if (t.state[b] === BlockState.Active && t.seq[b] >= this.checkpointSeq) uncovered++;
    return uncovered >= CHECKPOINT_EVERY_BLOCKS;
  }

  /** Open a fresh block and write a checkpoint of everything before it as its first record; false: none written (no block opened). */
  private writeCheckpoint(): boolean {
    const t = this.blocks;
    const damaged: { seq: number; end: number }[] = [];
    for (let b = 0; b < t.count && damaged.length < MAX_DAMAGED; b++) {
      if (t.state[b] === BlockState.Active && t.damaged[b] === 1) damaged.push({ seq: t.seq[b], end: t.end[b] });
    }
    if (damaged.length === MAX_DAMAGED) return false; // that many damaged blocks: no checkpoint until a class erase scrubs them
    this.openBlock();
    const headSeq = t.seq[this.head];
    const txSeq = this.nextTxSeq++;
    const payload = { path: CHECKPOINT_PATH, user: '', origSeq: txSeq, chunkFirst: 0, chunkLast: 0, data: encodeCheckpoint(headSeq, damaged) };
    this.place(encodeRecord(RecordKind.Write, CHECKPOINT_CLASS_CODE, 0, txSeq, payload, utf8Encode(CHECKPOINT_PATH), new Uint8Array(0)), null, 0);
    this.place(encodeCommit(txSeq, 1), null, 0);
    this.checkpointSeq = headSeq;
    return true;
  }
}
