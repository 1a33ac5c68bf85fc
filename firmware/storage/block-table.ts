/**
 * What the store keeps per flash block, as one typed array per field
 * indexed by block number. An object per block cost ~120 bytes of QuickJS
 * heap (object, property array, allocator headers): ~120 KiB per phone for
 * the 1,040 blocks of a desk-500's fs and nvram, most of a blank phone's
 * mount state. These arrays take 24 bytes per block.
 */

/** No block (as a head: none open). */
export const NO_BLOCK = -1;

export const enum BlockState {
  /** Not known to be cleanly erased: erased before use. */
  Unknown = 0,
  /** Cleanly erased, its erase count written. */
  Free = 1,
  /** Part of the log. */
  Active = 2,
}

export class BlockTable {
  readonly count: number;
  readonly state: Uint8Array;
  /**
   * Log order (active blocks). Float64: on flash a u32, but the next one is
   * the highest seen plus one, which may be 2^32 on a crafted image.
   */
  readonly seq: Float64Array;
  /** Float64 for the same reason: the count after an erase is the one read plus one. */
  readonly eraseCount: Float64Array;
  /** End of the written log in the block (at most the block size). */
  readonly end: Uint32Array;
  /** 1: no more appends (damaged tail or superseded head). */
  readonly closed: Uint8Array;
  /** 1: part of the block could not be parsed; a class erase scrubs it. */
  readonly damaged: Uint8Array;
  /**
   * 1: known blank past its erase-count unit since this mount (erased here,
   * or read blank once and not programmed since). A class erase checks every
   * block outside the log per class; without this a logout's five classes
   * read and compared a 4 MiB partition five times. A flag, not a set of
   * block numbers: after one class erase the set held every free block.
   */
  readonly knownBlank: Uint8Array;

  constructor(count: number, initialEnd: number) {
    this.count = count;
    this.state = new Uint8Array(count);
    this.seq = new Float64Array(count);
    this.eraseCount = new Float64Array(count);
    this.end = new Uint32Array(count).fill(initialEnd);
    this.closed = new Uint8Array(count);
    this.damaged = new Uint8Array(count);
    this.knownBlank = new Uint8Array(count);
  }

  isActive(block: number): boolean {
    return this.state[block] === BlockState.Active;
  }

  /** Blocks outside the log (free or unknown). */
  countOutsideLog(): number {
    let n = 0;
    for (let b = 0; b < this.count; b++) if (this.state[b] !== BlockState.Active) n++;
    return n;
  }

  /** Erase counts in block order, as a plain array (stats). */
  eraseCounts(): number[] {
    return Array.from(this.eraseCount);
  }
}
