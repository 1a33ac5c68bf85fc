/**
 * The contacts' identities met in one pass over a directory file, to find
 * the duplicates: 32-bit hashes in typed arrays (open addressing), not a Map
 * of identity strings. With this and SpeedDialOwners, one pass over a
 * 10,000-entry file holds 741 KiB of QuickJS heap beyond its text, against
 * 1,071 KiB with Maps of strings (allocator peak). A hash that matches is
 * only a candidate: the caller reads the earlier item's identity again
 * (`identityAt`), so a collision never drops a contact.
 */
import { fnv1a } from '../kernel/fnv1a';

export class IdentitySet {
  private hashes: Uint32Array;
  /** Per slot: what `firstOrAdd` stored (never 0), or 0 for an empty slot. */
  private values: Int32Array;
  /** Per slot: where the identity can be read again (`identityAt`). */
  private refs: Int32Array;
  private count = 0;

  constructor(private readonly hash: (id: string) => number = fnv1a, slots = 1024) {
    this.hashes = new Uint32Array(slots);
    this.values = new Int32Array(slots);
    this.refs = new Int32Array(slots);
  }

  /**
   * The value stored with an identity equal to `id`, or 0 when there is none:
   * then `id` is added with `value` (not 0) and `ref`.
   */
  firstOrAdd(id: string, value: number, ref: number, identityAt: (ref: number) => string | null): number {
    const h = this.hash(id) >>> 0;
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    for (; this.values[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.hashes[slot] === h && identityAt(this.refs[slot]) === id) return this.values[slot];
    }
    this.hashes[slot] = h;
    this.values[slot] = value;
    this.refs[slot] = ref;
    if (++this.count * 2 > this.hashes.length) this.grow();
    return 0;
  }

  private grow(): void {
    const { hashes, values, refs } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.values = new Int32Array(hashes.length * 2);
    this.refs = new Int32Array(hashes.length * 2);
    const mask = this.hashes.length - 1;
    for (let i = 0; i < hashes.length; i++) {
      if (values[i] === 0) continue;
      let slot = hashes[i] & mask;
      while (this.values[slot] !== 0) slot = (slot + 1) & mask;
      this.hashes[slot] = hashes[i];
      this.values[slot] = values[i];
      this.refs[slot] = refs[i];
    }
  }
}
