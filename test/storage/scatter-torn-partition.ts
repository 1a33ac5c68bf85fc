/**
 * A NOR partition whose torn operations are harsher than VirtualFlash's
 * prefix model: a torn program lands on a random subset of its units (some
 * whole, some partly, some not at all), a torn erase sets random bytes of
 * the block to 0xFF and leaves the rest, or erases only the block's end. Used to show the store does not
 * depend on the order in which a page or block is written.
 */
import type { FlashPartition } from '../../hal/contract';
import { PowerCutError } from '../../sim/devices/flash';
import { prng } from './store-harness';

export class ScatterTornPartition implements FlashPartition {
  readonly name = 'fs';
  readonly progSize = 16;
  readonly bytes: Uint8Array;
  private opsUntilCut: number | null = null;
  private powered = true;
  private readonly rnd: () => number;
  ops = 0;

  constructor(readonly size: number, readonly blockSize: number, seed: number, image?: Uint8Array) {
    this.bytes = image ? new Uint8Array(image) : new Uint8Array(size).fill(0xff);
    this.rnd = prng(seed);
  }

  cutAfter(ops: number): void { this.opsUntilCut = ops; }
  restore(): void { this.powered = true; this.opsUntilCut = null; }

  read(offset: number, length: number): Uint8Array {
    if (!this.powered) throw new PowerCutError('read (no power)');
    return this.bytes.slice(offset, offset + length);
  }

  program(offset: number, data: Uint8Array): void {
    if (!this.powered) throw new PowerCutError('program (no power)');
    if (offset % 16 || data.length % 16) throw new RangeError('unaligned program');
    this.ops++;
    if (this.tick()) {
      for (let u = 0; u < data.length; u += 16) {
        const r = this.rnd();
        const n = r < 0.4 ? 16 : r < 0.7 ? Math.floor(this.rnd() * 16) : 0;
        for (let i = 0; i < n; i++) this.bytes[offset + u + i] &= data[u + i];
      }
      this.powered = false;
      throw new PowerCutError('program');
    }
    for (let i = 0; i < data.length; i++) this.bytes[offset + i] &= data[i];
  }

  erase(block: number): void {
    if (!this.powered) throw new PowerCutError('erase (no power)');
    this.ops++;
    const at = block * this.blockSize;
    if (this.tick()) {
      const mode = this.rnd();
      if (mode < 0.5) {
        // Only the end of the block got erased: its header still looks valid.
        this.bytes.fill(0xff, at + Math.floor(this.rnd() * this.blockSize), at + this.blockSize);
      } else {
        const p = this.rnd();
        for (let i = 0; i < this.blockSize; i++) if (this.rnd() < p) this.bytes[at + i] = 0xff;
      }
      this.powered = false;
      throw new PowerCutError('erase');
    }
    this.bytes.fill(0xff, at, at + this.blockSize);
  }

  private tick(): boolean {
    if (this.opsUntilCut === null) return false;
    this.opsUntilCut--;
    return this.opsUntilCut <= 0;
  }
}
