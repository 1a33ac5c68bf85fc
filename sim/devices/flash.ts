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
 */
import type { Flash, FlashPartition } from '../../hal/contract';
import type { BoardProfile } from '../../hal/boards';

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
  eraseCounts: Uint32Array;
  programBytes: number;
  programOps: number;
  eraseOps: number;
}

export class VirtualFlash implements Flash {
  readonly geometry: FlashGeometry;
  private readonly bytes: Uint8Array;
  private readonly parts: PartitionState[] = [];
  private opsUntilCut: number | null = null;
  private cutListeners: (() => void)[] = [];
  private tornSeed = 0x9e3779b9;
  powered = true;

  constructor(geometry: FlashGeometry, contents?: Uint8Array) {
    this.geometry = geometry;
    let base = 0;
    for (const p of geometry.partitions) {
      if (p.size % geometry.blockSize !== 0) throw new Error(`partition ${p.name}: size ${p.size} is not a multiple of the block size ${geometry.blockSize}`);
      this.parts.push({ name: p.name, base, size: p.size, eraseCounts: new Uint32Array(p.size / geometry.blockSize), programBytes: 0, programOps: 0, eraseOps: 0 });
      base += p.size;
    }
    if (contents) {
      if (contents.length !== base) throw new Error(`flash image is ${contents.length} bytes, but this board's flash is ${base} bytes (${geometry.partitions.map((p) => `${p.name} ${p.size}`).join(', ')})`);
      this.bytes = new Uint8Array(contents);
    } else {
      this.bytes = new Uint8Array(base).fill(0xff);
    }
  }

  /** Load a raw image; throws a clear Error when it does not fit the geometry. */
  static fromImage(geometry: FlashGeometry, image: Uint8Array): VirtualFlash {
    return new VirtualFlash(geometry, image);
  }

  get totalSize(): number {
    return this.bytes.length;
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
        return flash.bytes.slice(part.base + offset, part.base + offset + length);
      },
      program(offset, data) {
        flash.checkPower('program');
        checkRange(part, offset, data.length);
        if (offset % progSize !== 0 || data.length % progSize !== 0) {
          throw new RangeError(`program at ${offset} of ${data.length} bytes is not aligned to the program size ${progSize}`);
        }
        const torn = flash.consumeOp();
        // A torn program writes only a prefix: a whole number of program units plus part of the next.
        const count = torn ? flash.tornLength(data.length) : data.length;
        const at = part.base + offset;
        for (let i = 0; i < count; i++) flash.bytes[at + i] &= data[i];
        part.programBytes += count;
        part.programOps++;
        if (torn) flash.cut('program');
      },
      erase(block) {
        flash.checkPower('erase');
        if (!Number.isInteger(block) || block < 0 || block >= part.size / blockSize) throw new RangeError(`erase of block ${block} outside partition ${name}`);
        const torn = flash.consumeOp();
        const at = part.base + block * blockSize;
        // A torn erase sets only some of the block's bytes (a prefix) to 0xFF.
        const count = torn ? flash.tornLength(blockSize) : blockSize;
        flash.bytes.fill(0xff, at, at + count);
        part.eraseCounts[block]++;
        part.eraseOps++;
        if (torn) flash.cut('erase');
      },
    };
  }

  /** Raw dump: all partitions concatenated in profile order. */
  image(): Uint8Array {
    return new Uint8Array(this.bytes);
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

  stats(): PartitionStats[] {
    return this.parts.map((p) => ({
      name: p.name, size: p.size, blockSize: this.geometry.blockSize, eraseCounts: Array.from(p.eraseCounts),
      programBytes: p.programBytes, programOps: p.programOps, eraseOps: p.eraseOps,
    }));
  }

  /** Total program+erase operations so far, for choosing cut points. */
  operationCount(): number {
    return this.parts.reduce((n, p) => n + p.programOps + p.eraseOps, 0);
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
