/**
 * Virtual NOR flash: named partitions over one byte array, with the physics a
 * flash store has to survive.
 *
 * - program only clears bits (stored = old & new); erase sets a block to 0xFF;
 * - offsets and lengths of program must be multiples of progSize;
 * - per-block erase counters and program counters (wear);
 * - a power cut after the Nth program/erase: that operation is torn (a program
 *   writes only a prefix of its bytes, an erase leaves part of the block as it
 *   was), and every later call throws PowerCutError until power is restored.
 *
 * Storage is sparse: an erased block holds no memory until it is programmed
 * (nor a slot in a table of every block), and erase counters come in pages
 * at first use, so hundreds of idle simulated phones fit in one process.
 */
import type { Flash, FlashPartition } from '../../hal/contract';
import type { BoardProfile } from '../../hal/boards';
import { EraseCounters } from './erase-counters';

export type FlashGeometry = BoardProfile['flash'];

export class PowerCutError extends Error {
  constructor(what: string) {
    super(`power cut during ${what}`);
    this.name = 'PowerCutError';
  }
}

export interface PartitionStats {
  name: string;
  size: number;
  blockSize: number;
  eraseCounts: number[];
  programBytes: number;
  programOps: number;
  eraseOps: number;
}

interface PartitionState {
  name: string;
  base: number;
  size: number;
  eraseCounts: EraseCounters;
  programBytes: number;
  programOps: number;
  eraseOps: number;
}

/** One program or erase, as `onOperation` reports it (before it happens; a torn one is reported too). */
export interface FlashOperation {
  partition: string;
  kind: 'program' | 'erase';
  /** Byte offset in the partition (an erase: the block's first byte). */
  offset: number;
  /** Bytes programmed, or the block size of an erase. */
  length: number;
}

export class VirtualFlash implements Flash {
  readonly geometry: FlashGeometry;
  /** Programmed erase blocks by index over the whole flash; a block not here is erased (all 0xFF). */
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly size: number;
  private readonly parts: PartitionState[] = [];
  private opsUntilCut: number | null = null;
  private cutListeners: (() => void)[] = [];
  private opListeners: ((op: FlashOperation) => void)[] = [];
  private tornSeed = 0x9e3779b9;
  powered = true;

  constructor(geometry: FlashGeometry, contents?: Uint8Array) {
    this.geometry = geometry;
    let base = 0;
    for (const p of geometry.partitions) {
      if (p.size % geometry.blockSize !== 0) throw new Error(`partition ${p.name}: size ${p.size} is not a multiple of the block size ${geometry.blockSize}`);
      this.parts.push({ name: p.name, base, size: p.size, eraseCounts: new EraseCounters(p.size / geometry.blockSize), programBytes: 0, programOps: 0, eraseOps: 0 });
      base += p.size;
    }
    this.size = base;
    const bs = geometry.blockSize;
    if (contents) {
      if (contents.length !== base) throw new Error(`flash image is ${contents.length} bytes, but this board's flash is ${base} bytes (${geometry.partitions.map((p) => `${p.name} ${p.size}`).join(', ')})`);
      // Compared natively with an erased block: a per-byte callback over a 6 MiB image took ~0.4 s, paid at every cut of a power-cut sweep.
      const erased = Buffer.alloc(bs, 0xff);
      for (let b = 0; b < base / bs; b++) {
        const block = contents.subarray(b * bs, (b + 1) * bs);
        if (!erased.equals(block)) this.blocks.set(b, new Uint8Array(block));
      }
    }
  }

  /** Load a raw image; throws a clear Error when it does not fit the geometry. */
  static fromImage(geometry: FlashGeometry, image: Uint8Array): VirtualFlash {
    return new VirtualFlash(geometry, image);
  }

  get totalSize(): number {
    return this.size;
  }

  partitions(): string[] {
    return this.parts.map((p) => p.name);
  }

  open(name: string): FlashPartition {
    const part = this.parts.find((p) => p.name === name);
    if (!part) throw new Error(`no flash partition "${name}" (have ${this.partitions().join(', ')})`);
    const { blockSize, progSize } = this.geometry;
    const flash = this;
    return {
      name,
      size: part.size,
      blockSize,
      progSize,
      read(offset, length) {
        flash.checkPower('read');
        checkRange(part, offset, length);
        return flash.readRaw(part.base + offset, length);
      },
      readBlockStarts(length) {
        flash.checkPower('read');
        if (!Number.isInteger(length) || length < 1 || length > blockSize) throw new RangeError(`block starts of ${length} bytes: blocks are ${blockSize} bytes`);
        const count = Math.floor(part.size / blockSize);
        const out = new Uint8Array(count * length).fill(0xff);
        for (let b = 0; b < count; b++) {
          const block = flash.blocks.get((part.base + b * blockSize) / blockSize);
          if (block) out.set(block.subarray(0, length), b * length);
        }
        return out;
      },
      blankBlocks(from) {
        flash.checkPower('read');
        if (!Number.isInteger(from) || from < 0 || from >= blockSize) throw new RangeError(`blank check from ${from}: blocks are ${blockSize} bytes`);
        const count = Math.floor(part.size / blockSize);
        const erased = Buffer.alloc(blockSize - from, 0xff);
        const out = new Uint8Array(count);
        for (let b = 0; b < count; b++) {
          const block = flash.blocks.get((part.base + b * blockSize) / blockSize);
          out[b] = !block || erased.equals(block.subarray(from)) ? 1 : 0;
        }
        return out;
      },
      program(offset, data) {
        flash.checkPower('program');
        checkRange(part, offset, data.length);
        if (offset % progSize !== 0 || data.length % progSize !== 0) {
          throw new RangeError(`program at ${offset} of ${data.length} bytes is not aligned to the program size ${progSize}`);
        }
        flash.report({ partition: name, kind: 'program', offset, length: data.length });
        const torn = flash.consumeOp();
        // A torn program writes only a prefix: a whole number of program units plus part of the next.
        const count = torn ? flash.tornLength(data.length) : data.length;
        flash.andRaw(part.base + offset, data, count);
        part.programBytes += count;
        part.programOps++;
        if (torn) flash.cut('program');
      },
      erase(block) {
        flash.checkPower('erase');
        if (!Number.isInteger(block) || block < 0 || block >= part.size / blockSize) throw new RangeError(`erase of block ${block} outside partition ${name}`);
        flash.report({ partition: name, kind: 'erase', offset: block * blockSize, length: blockSize });
        const torn = flash.consumeOp();
        const index = (part.base + block * blockSize) / blockSize;
        if (torn) {
          // A torn erase sets only some of the block's bytes (a prefix) to 0xFF.
          flash.blocks.get(index)?.fill(0xff, 0, flash.tornLength(blockSize));
        } else {
          flash.blocks.delete(index);
        }
        part.eraseCounts.count(block);
        part.eraseOps++;
        if (torn) flash.cut('erase');
      },
    };
  }

  /** Raw dump: all partitions concatenated in profile order. */
  image(): Uint8Array {
    return this.readRaw(0, this.size);
  }

  /** Bytes held for programmed blocks (erased blocks cost nothing). */
  residentBytes(): number {
    let n = 0;
    for (const b of this.blocks.values()) n += b.length;
    return n;
  }

  /** Cut power after `ops` more program/erase operations (the last one is torn); null cancels. 0 cuts now. */
  cutPowerAfter(ops: number | null): void {
    if (ops === 0) {
      this.powered = false;
      this.opsUntilCut = null;
      for (const l of this.cutListeners) l();
      return;
    }
    this.opsUntilCut = ops;
  }

  restorePower(): void {
    this.powered = true;
    this.opsUntilCut = null;
  }

  onPowerCut(listener: () => void): () => void {
    this.cutListeners.push(listener);
    return () => { this.cutListeners = this.cutListeners.filter((l) => l !== listener); };
  }

  /** Every program and erase from now on, in order (side-channel tests compare these sequences). */
  onOperation(listener: (op: FlashOperation) => void): () => void {
    this.opListeners.push(listener);
    return () => { this.opListeners = this.opListeners.filter((l) => l !== listener); };
  }

  stats(): PartitionStats[] {
    return this.parts.map((p) => ({
      name: p.name, size: p.size, blockSize: this.geometry.blockSize, eraseCounts: p.eraseCounts.toArray(),
      programBytes: p.programBytes, programOps: p.programOps, eraseOps: p.eraseOps,
    }));
  }

  /** Total program+erase operations so far, for choosing cut points. */
  operationCount(): number {
    return this.parts.reduce((n, p) => n + p.programOps + p.eraseOps, 0);
  }

  private readRaw(at: number, length: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff);
    const bs = this.geometry.blockSize;
    for (let pos = at; pos < at + length;) {
      const b = Math.floor(pos / bs);
      const inBlock = pos - b * bs;
      const n = Math.min(bs - inBlock, at + length - pos);
      const block = this.blocks.get(b);
      if (block) out.set(block.subarray(inBlock, inBlock + n), pos - at);
      pos += n;
    }
    return out;
  }

  /** NOR program: stored = old & new for the first `count` bytes of `data`. */
  private andRaw(at: number, data: Uint8Array, count: number): void {
    const bs = this.geometry.blockSize;
    for (let i = 0; i < count;) {
      const pos = at + i;
      const b = Math.floor(pos / bs);
      const inBlock = pos - b * bs;
      const n = Math.min(bs - inBlock, count - i);
      let block = this.blocks.get(b);
      if (!block) this.blocks.set(b, (block = new Uint8Array(bs).fill(0xff)));
      for (let k = 0; k < n; k++) block[inBlock + k] &= data[i + k];
      i += n;
    }
  }

  private report(op: FlashOperation): void {
    for (const l of this.opListeners) l(op);
  }

  private checkPower(what: string): void {
    if (!this.powered) throw new PowerCutError(`${what} (no power)`);
  }

  /** Counts one operation; true when this one is hit by the cut. */
  private consumeOp(): boolean {
    if (this.opsUntilCut === null) return false;
    this.opsUntilCut--;
    return this.opsUntilCut <= 0;
  }

  /** Deterministic pseudo-random length in [0, length): how far a torn operation got. */
  private tornLength(length: number): number {
    this.tornSeed = (Math.imul(this.tornSeed, 1664525) + 1013904223) >>> 0;
    return this.tornSeed % length;
  }

  private cut(what: string): never {
    this.powered = false;
    this.opsUntilCut = null;
    for (const l of this.cutListeners) l();
    throw new PowerCutError(what);
  }
}

function checkRange(part: PartitionState, offset: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > part.size) {
    throw new RangeError(`flash access ${offset}+${length} outside partition ${part.name} (${part.size} bytes)`);
  }
}
