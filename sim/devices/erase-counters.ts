/**
 * Per-block erase counters of one flash partition, kept in pages of 64 that
 * are allocated at their first erase: a blank desk-500's 1,552 counters cost
 * nothing and an idle phone's few erased blocks ~0.5 KiB, not 6 KiB each.
 */
const PAGE_SHIFT = 6;
const PAGE = 1 << PAGE_SHIFT;

export class EraseCounters {
  private readonly pages: (Uint32Array | undefined)[];

  constructor(readonly blocks: number) {
    this.pages = new Array<Uint32Array | undefined>(Math.ceil(blocks / PAGE));
  }

  count(block: number): void {
    (this.pages[block >> PAGE_SHIFT] ??= new Uint32Array(PAGE))[block & (PAGE - 1)]++;
  }

  /** Every block's count, in block order. */
  toArray(): number[] {
    const out = new Array<number>(this.blocks).fill(0);
    this.pages.forEach((page, p) => {
      if (page) for (let i = 0; i < PAGE && (p << PAGE_SHIFT) + i < this.blocks; i++) out[(p << PAGE_SHIFT) + i] = page[i];
    });
    return out;
  }
}
