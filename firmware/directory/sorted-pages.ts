/**
 * A sorted list of (key, value) entries kept on flash in pages, with only
 * each page's first key and count in RAM: a search is a binary search over
 * those, then one page read. This is what lets a 10,000-entry directory be
 * searched per keystroke without holding it in RAM (docs/directory.md).
 *
 * Pages are written through a `PageStore` that commits a set of page changes
 * atomically; `insert`/`remove` touch one page (splitting a full one,
 * dropping an empty one) so a user's edit rewrites a few hundred bytes.
 */

export interface PageStore {
  read(name: string): string | null;
}

/** Page writes (text) and deletions (null) to commit together with the index state. */
export type PageChanges = Map<string, string | null>;

export interface PageRef { id: number; first: string; count: number }
export interface SortedPagesState { refs: PageRef[]; nextId: number }

interface Page<T> { k: string[]; v: T[] }

/**
 * Entries per page at a rebuild: 128 keeps a 10,500-contact directory at
 * ≈ 170 pages per index generation, so the old and the new generation both
 * fit the store's file cap while a rebuild writes the new one ahead.
 */
export const PAGE_ENTRIES = 128;
const PAGE_SPLIT = 2 * PAGE_ENTRIES;
const CACHED_PAGES = 4;

export class SortedPages<T> {
  private readonly cache = new Map<number, Page<T>>();
  /** Position of each page's first entry (prefix sums of counts). */
  private starts: number[] = [];
  private total = 0;

  constructor(private readonly store: PageStore, private readonly prefix: string, private state: SortedPagesState) {
    this.recount();
  }

  /**
   * Lay out entries arriving in key order (keys unique) into fresh pages, one
   * page in RAM at a time: `flush` gets each page as it fills. Ids continue
   * after `firstId`, so the pages of the index in use are not overwritten.
   */
  static writer<T>(store: PageStore, prefix: string, firstId: number, flush: (name: string, text: string) => void): { add(k: string, v: T): void; finish(): SortedPages<T> } {
    const refs: PageRef[] = [];
    let nextId = firstId;
    let page: Page<T> = { k: [], v: [] };
    const emit = () => {
      if (page.k.length === 0) return;
      const id = nextId++;
      flush(prefix + id, JSON.stringify(page));
      refs.push({ id, first: page.k[0], count: page.k.length });
      page = { k: [], v: [] };
    };
    return {
      add(k, v) {
        page.k.push(k);
        page.v.push(v);
        if (page.k.length >= PAGE_ENTRIES) emit();
      },
      finish() {
        emit();
        return new SortedPages<T>(store, prefix, { refs, nextId });
      },
    };
  }

  snapshot(): SortedPagesState {
    return { refs: this.state.refs.map((r) => ({ ...r })), nextId: this.state.nextId };
  }

  size(): number {
    return this.total;
  }

  /** Position of the first entry whose key is >= `key`. */
  lowerBound(key: string): number {
    const refs = this.state.refs;
    // First page whose first key is >= key: the answer lies in the page before it, or starts it.
    let lo = 0;
    let hi = refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (refs[mid].first < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const p = lo - 1;
    const page = this.page(p);
    let a = 0;
    let b = page.k.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (page.k[m] < key) a = m + 1;
      else b = m;
    }
    return this.starts[p] + a;
  }

  /** Entry at `pos` (0 ≤ pos < size). */
  at(pos: number): { k: string; v: T } | undefined {
    if (pos < 0 || pos >= this.total) return undefined;
    const p = this.pageOf(pos);
    const page = this.page(p);
    const i = pos - this.starts[p];
    return { k: page.k[i], v: page.v[i] };
  }

  find(key: string): T | undefined {
    const e = this.at(this.lowerBound(key));
    return e && e.k === key ? e.v : undefined;
  }

  /** Insert or replace the entry with this key. */
  insert(key: string, value: T, changes: PageChanges): void {
    const refs = this.state.refs;
    if (refs.length === 0) {
      const id = this.state.nextId++;
      const page: Page<T> = { k: [key], v: [value] };
      refs.push({ id, first: key, count: 1 });
      this.put(0, page, changes);
      this.recount();
      return;
    }
    let p = 0;
    while (p + 1 < refs.length && refs[p + 1].first <= key) p++;
    const page = this.copyOf(p);
    let i = 0;
    while (i < page.k.length && page.k[i] < key) i++;
    if (page.k[i] === key) page.v[i] = value;
    else { page.k.splice(i, 0, key); page.v.splice(i, 0, value); }
    if (page.k.length > PAGE_SPLIT) {
      const half = page.k.length >> 1;
      const second: Page<T> = { k: page.k.splice(half), v: page.v.splice(half) };
      const id = this.state.nextId++;
      refs.splice(p + 1, 0, { id, first: second.k[0], count: second.k.length });
      this.put(p + 1, second, changes);
    }
    this.put(p, page, changes);
    this.recount();
  }

  remove(key: string, changes: PageChanges): boolean {
    const pos = this.lowerBound(key);
    const e = this.at(pos);
    if (!e || e.k !== key) return false;
    const p = this.pageOf(pos);
    const page = this.copyOf(p);
    const i = pos - this.starts[p];
    page.k.splice(i, 1);
    page.v.splice(i, 1);
    if (page.k.length === 0) {
      const [gone] = this.state.refs.splice(p, 1);
      this.cache.delete(gone.id);
      changes.set(this.prefix + gone.id, null);
    } else this.put(p, page, changes);
    this.recount();
    return true;
  }

  private put(p: number, page: Page<T>, changes: PageChanges): void {
    const ref = this.state.refs[p];
    ref.first = page.k[0];
    ref.count = page.k.length;
    this.remember(ref.id, page);
    changes.set(this.prefix + ref.id, JSON.stringify(page));
  }

  private copyOf(p: number): Page<T> {
    const page = this.page(p);
    return { k: page.k.slice(), v: page.v.slice() };
  }

  private page(p: number): Page<T> {
    const ref = this.state.refs[p];
    const cached = this.cache.get(ref.id);
    if (cached) {
      this.cache.delete(ref.id);
      this.cache.set(ref.id, cached);
      return cached;
    }
    const text = this.store.read(this.prefix + ref.id);
    if (text === null) throw new Error(`directory index page ${this.prefix}${ref.id} missing`);
    const page = JSON.parse(text) as Page<T>;
    this.remember(ref.id, page);
    return page;
  }

  private remember(id: number, page: Page<T>): void {
    this.cache.delete(id);
    this.cache.set(id, page);
    while (this.cache.size > CACHED_PAGES) this.cache.delete(this.cache.keys().next().value as number);
  }

  private pageOf(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private recount(): void {
    this.starts = [];
    let n = 0;
    for (const r of this.state.refs) {
      this.starts.push(n);
      n += r.count;
    }
    this.total = n;
  }
}
