/**
 * The log of blocks under the store: which blocks are active, free or
 * unknown, the head block records are appended to, and the raw flash
 * operations (program, erase with its wear record, opening a fresh head).
 * Every program and erase of the store goes through here and is counted.
 */
import type { Crypto, FlashPartition } from '../../hal/contract';
import { StorageFullError } from './errors';
import { ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, RECORD_HEADER_BYTES, UNIT, encodeBlockUnit, isClean } from './record-format';
import { DEFAULT_MAX_FILES, RESERVE_BLOCKS } from './store-limits';
import type { Block, MountOptions } from './store-types';

export abstract class FlashLog {
  protected readonly blocks: Block[] = [];
  protected readonly capacity: number;
  protected readonly maxFiles: number;
  protected head: Block | null = null;
  protected nextTxSeq = 1;
  protected nextBlockSeq = 1;
  protected counters = { programOps: 0, programBytes: 0, eraseOps: 0, gcRuns: 0, wearMoves: 0 };
  /** Records placed but not yet counted in their path's `holders`. */
  protected unaccounted: { path: string; code: number; user: string; block: number }[] = [];
  /**
   * Free blocks known blank past their erase-count unit since this mount:
   * erased here, or read blank once and not programmed since. A class erase
   * checks every block outside the log per class; without this a logout's
   * five classes read and compared a 4 MiB partition five times.
   */
  private readonly knownBlank = new Set<number>();

  protected constructor(protected readonly part: FlashPartition, protected readonly crypto: Crypto, protected readonly log: (msg: string) => void, options: MountOptions) {
    if (part.progSize > UNIT || UNIT % part.progSize !== 0) throw new Error(`flash store needs a program size dividing ${UNIT}, got ${part.progSize}`);
    if (part.blockSize < 512 || part.blockSize % UNIT !== 0) throw new Error(`flash store needs blocks of at least 512 bytes, got ${part.blockSize}`);
    const count = Math.floor(part.size / part.blockSize);
    if (count < RESERVE_BLOCKS + 2) throw new Error(`flash store needs at least ${RESERVE_BLOCKS + 2} blocks, partition ${part.name} has ${count}`);
    for (let i = 0; i < count; i++) this.blocks.push({ index: i, state: 'unknown', seq: 0, eraseCount: 0, end: BLOCK_HEADER_BYTES, closed: false, damaged: false });
    this.capacity = part.blockSize - BLOCK_HEADER_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  }

  /** Start a new head block: the least-worn free block (the most worn one for cold data), verified clean. */
  protected openBlock(mostWorn = false): void {
    if (this.head) this.head.closed = true;
    let b: Block | null = null;
    for (const c of this.blocks) if (c.state !== 'active' && (!b || (mostWorn ? c.eraseCount > b.eraseCount : c.eraseCount < b.eraseCount))) b = c;
    if (!b) throw new StorageFullError('no free block left');
    if (b.state === 'unknown' || !this.isBlankFree(b)) this.eraseBlock(b, false);
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
  protected eraseBlock(b: Block, wasActive: boolean): void {
    if (wasActive) this.program(b.index * this.part.blockSize + UNIT, VOID_UNIT);
    const count = b.eraseCount + 1;
    b.state = 'unknown';
    if (this.head === b) this.head = null;
    this.part.erase(b.index);
    this.counters.eraseOps++;
    this.program(b.index * this.part.blockSize, encodeBlockUnit(ERASE_MAGIC, count));
    b.eraseCount = count;
    b.state = 'free';
    this.knownBlank.add(b.index);
    b.end = BLOCK_HEADER_BYTES;
    b.closed = false;
    b.damaged = false;
  }

  protected program(offset: number, bytes: Uint8Array): void {
    const block = Math.floor(offset / this.part.blockSize);
    if (offset - block * this.part.blockSize + bytes.length > UNIT) this.knownBlank.delete(block);
    this.part.program(offset, bytes);
    this.counters.programOps++;
    this.counters.programBytes += bytes.length;
  }

  /**
   * Does a block outside the log hold nothing (an unknown block: not even an
   * erase count; a free one: nothing past it)? Read once per mount.
   */
  protected outsideLogBlank(b: Block): boolean {
    if (b.state === 'free') return this.isBlankFree(b);
    return isClean(this.readBlock(b), 0, this.part.blockSize);
  }

  private isBlankFree(b: Block): boolean {
    if (this.knownBlank.has(b.index)) return true;
    const blank = isClean(this.readBlock(b), UNIT, this.part.blockSize);
    if (blank) this.knownBlank.add(b.index);
    return blank;
  }

  protected readBlock(b: Block): Uint8Array {
    return this.part.read(b.index * this.part.blockSize, this.part.blockSize);
  }

  /** Append one record at the head; returns where it went. */
  protected place(bytes: Uint8Array, owner: { path: string; user: string } | null, code: number): { block: number; offset: number } {
    if (!this.head || this.head.closed || this.head.end + bytes.length > this.part.blockSize) this.openBlock();
    const b = this.head!;
    const offset = b.end;
    this.program(b.index * this.part.blockSize + offset, bytes);
    b.end += bytes.length;
    if (owner) this.unaccounted.push({ path: owner.path, user: owner.user, code, block: b.index });
    return { block: b.index, offset };
  }

  /**
   * A transaction that fits in one block but not in the head's remaining
   * room starts a fresh block: transactions rarely span blocks, so few
   * blocks are pinned by their Commit.
   */
  protected startsFreshBlock(sizes: number[]): boolean {
    if (!this.head || this.head.closed) return false;
    const total = sizes.reduce((a, b) => a + b, 0) + RECORD_HEADER_BYTES;
    return total > this.part.blockSize - this.head.end && total <= this.capacity;
  }

  protected freeCount(): number {
    let n = 0;
    for (const b of this.blocks) if (b.state !== 'active') n++;
    return n;
  }
}

export const VOID_UNIT = new Uint8Array(UNIT);
