/**
 * The log of blocks under the store: which blocks are active, free or
 * unknown, the head block records are appended to, and the raw flash
 * operations (program, erase with its wear record, opening a fresh head).
 * Every program and erase of the store goes through here and is counted.
 */
import type { Crypto, FlashPartition } from '../../hal/contract';
import { StorageFullError } from './errors';
import { ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, RECORD_HEADER_BYTES, UNIT, encodeBlockUnit, isClean } from './record-format';
import { DEFAULT_MAX_FILES, READ_RUN_BLOCKS, RESERVE_BLOCKS } from './store-limits';
import { BlockState, BlockTable, NO_BLOCK } from './block-table';
import type { MountOptions } from './store-types';

export abstract class FlashLog {
  protected readonly blocks: BlockTable;
  protected readonly capacity: number;
  protected readonly maxFiles: number;
  /** The block records are appended to; NO_BLOCK: none. */
  protected head = NO_BLOCK;
  protected nextTxSeq = 1;
  protected nextBlockSeq = 1;
  protected counters = { programOps: 0, programBytes: 0, eraseOps: 0, gcRuns: 0, wearMoves: 0 };
  /** Records placed but not yet counted in their path's `holders`. */
  protected unaccounted: { path: string; code: number; user: string; block: number }[] = [];

  protected constructor(protected readonly part: FlashPartition, protected readonly crypto: Crypto, protected readonly log: (msg: string) => void, options: MountOptions) {
    if (part.progSize > UNIT || UNIT % part.progSize !== 0) throw new Error(`flash store needs a program size dividing ${UNIT}, got ${part.progSize}`);
    if (part.blockSize < 512 || part.blockSize % UNIT !== 0) throw new Error(`flash store needs blocks of at least 512 bytes, got ${part.blockSize}`);
    const count = Math.floor(part.size / part.blockSize);
    if (count < RESERVE_BLOCKS + 2) throw new Error(`flash store needs at least ${RESERVE_BLOCKS + 2} blocks, partition ${part.name} has ${count}`);
    this.blocks = new BlockTable(count, BLOCK_HEADER_BYTES);
    this.capacity = part.blockSize - BLOCK_HEADER_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  }

  /** Start a new head block: the least-worn free block (the most worn one for cold data), verified clean. */
  protected openBlock(mostWorn = false): void {
    const t = this.blocks;
    if (this.head !== NO_BLOCK) t.closed[this.head] = 1;
    let b = NO_BLOCK;
    for (let c = 0; c < t.count; c++) {
      if (t.state[c] !== BlockState.Active && (b === NO_BLOCK || (mostWorn ? t.eraseCount[c] > t.eraseCount[b] : t.eraseCount[c] < t.eraseCount[b]))) b = c;
    }
    if (b === NO_BLOCK) throw new StorageFullError('no free block left');
    if (t.state[b] === BlockState.Unknown || !this.isBlankFree(b)) this.eraseBlock(b, false);
    this.program(b * this.part.blockSize + UNIT, encodeBlockUnit(ACTIVE_MAGIC, this.nextBlockSeq));
    t.state[b] = BlockState.Active;
    t.seq[b] = this.nextBlockSeq++;
    t.end[b] = BLOCK_HEADER_BYTES;
    t.closed[b] = 0;
    t.damaged[b] = 0;
    this.head = b;
  }

  /**
   * Erase a block and write its new erase count. An active block's header is
   * voided first, so an erase torn in any pattern cannot leave it looking
   * like a valid part of the log.
   */
  protected eraseBlock(b: number, wasActive: boolean): void {
    const t = this.blocks;
    if (wasActive) this.program(b * this.part.blockSize + UNIT, VOID_UNIT);
    const count = t.eraseCount[b] + 1;
    t.state[b] = BlockState.Unknown;
    if (this.head === b) this.head = NO_BLOCK;
    this.part.erase(b);
    this.counters.eraseOps++;
    this.program(b * this.part.blockSize, encodeBlockUnit(ERASE_MAGIC, count));
    t.eraseCount[b] = count;
    t.state[b] = BlockState.Free;
    t.knownBlank[b] = 1;
    t.end[b] = BLOCK_HEADER_BYTES;
    t.closed[b] = 0;
    t.damaged[b] = 0;
  }

  protected program(offset: number, bytes: Uint8Array): void {
    const block = Math.floor(offset / this.part.blockSize);
    if (offset - block * this.part.blockSize + bytes.length > UNIT) this.blocks.knownBlank[block] = 0;
    this.part.program(offset, bytes);
    this.counters.programOps++;
    this.counters.programBytes += bytes.length;
  }

  /**
   * The blocks outside the log that are not blank (a free block past its
   * erase count, an unknown block anywhere): what a torn erase or a voided
   * block may have left. Free blocks found blank become `knownBlank`. One
   * blank check where the partition offers it (no bytes moved), else runs
   * of blocks read together: a mount that finds an erase intent asks this,
   * and one read per free block was ~100 ms of a full-data QuickJS boot.
   */
  protected dirtyOutsideLog(): number[] {
    const t = this.blocks;
    const candidates: number[] = [];
    for (let b = 0; b < t.count; b++) if (!t.isActive(b) && t.knownBlank[b] === 0) candidates.push(b);
    const dirty: number[] = [];
    const judge = (b: number, blank: boolean): void => {
      if (!blank) dirty.push(b);
      else if (t.state[b] === BlockState.Free) t.knownBlank[b] = 1;
    };
    if (this.part.blankBlocks) {
      let pastCount: Uint8Array | null = null;
      let whole: Uint8Array | null = null;
      for (const b of candidates) {
        const free = t.state[b] === BlockState.Free;
        const flags: Uint8Array = free ? (pastCount ??= this.blankFlags(UNIT)) : (whole ??= this.blankFlags(0));
        judge(b, flags[b] === 1);
      }
      return dirty;
    }
    this.readBlocksInRuns(candidates, (b, bytes) => judge(b, isClean(bytes, t.state[b] === BlockState.Free ? UNIT : 0, bytes.length)));
    return dirty;
  }

  /**
   * Each of `blocks` (block numbers), in the order given, with its bytes:
   * blocks next to each other on flash and in that order are read together,
   * READ_RUN_BLOCKS at most per read (one buffer held at a time).
   */
  protected readBlocksInRuns(blocks: readonly number[], visit: (block: number, bytes: Uint8Array) => void): void {
    const bs = this.part.blockSize;
    for (let i = 0; i < blocks.length;) {
      let n = 1;
      while (i + n < blocks.length && n < READ_RUN_BLOCKS && blocks[i + n] === blocks[i] + n) n++;
      const run = this.part.read(blocks[i] * bs, n * bs);
      for (let k = 0; k < n; k++) visit(blocks[i + k], run.subarray(k * bs, (k + 1) * bs));
      i += n;
    }
  }

  private blankFlags(from: number): Uint8Array {
    const flags = this.part.blankBlocks!(from);
    if (flags.length !== this.blocks.count) throw new Error(`flash partition ${this.part.name}: blank check of ${flags.length} blocks, expected ${this.blocks.count}`);
    return flags;
  }

  private isBlankFree(b: number): boolean {
    if (this.blocks.knownBlank[b] === 1) return true;
    const blank = isClean(this.readBlock(b), UNIT, this.part.blockSize);
    if (blank) this.blocks.knownBlank[b] = 1;
    return blank;
  }

  protected readBlock(b: number): Uint8Array {
    return this.part.read(b * this.part.blockSize, this.part.blockSize);
  }

  /** Append one record at the head; returns where it went. */
  protected place(bytes: Uint8Array, owner: { path: string; user: string } | null, code: number): { block: number; offset: number } {
    if (this.headRoom() < bytes.length) this.openBlock();
    const b = this.head;
    const offset = this.blocks.end[b];
    this.program(b * this.part.blockSize + offset, bytes);
    this.blocks.end[b] = offset + bytes.length;
    if (owner) this.unaccounted.push({ path: owner.path, user: owner.user, code, block: b });
    return { block: b, offset };
  }

  /**
   * A transaction that fits in one block but not in the head's remaining
   * room starts a fresh block: transactions rarely span blocks, so few
   * blocks are pinned by their Commit.
   */
  protected startsFreshBlock(sizes: number[]): boolean {
    if (!this.headOpen()) return false;
    const total = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
    return total > this.part.blockSize - this.blocks.end[this.head] && total <= this.capacity;
  }

  /** Is there a head block still taking appends? */
  protected headOpen(): boolean {
    return this.head !== NO_BLOCK && this.blocks.closed[this.head] === 0;
  }

  /** Bytes the head block still takes (0: no open head). */
  protected headRoom(): number {
    return this.headOpen() ? this.part.blockSize - this.blocks.end[this.head] : 0;
  }

  protected freeCount(): number {
    return this.blocks.countOutsideLog();
  }
}

export const VOID_UNIT = new Uint8Array(UNIT);
