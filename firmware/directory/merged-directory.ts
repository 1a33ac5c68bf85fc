/**
 * The directory the user sees: personal and global contacts merged (personal
 * wins, identity = contact number, docs/directory.md), kept as two page
 * indexes on flash — by name in `dir.search.field` order, and by number for
 * callers — plus the speed-dial table. Only page heads live in RAM.
 */
import { CONTACT_FIELDS, contactIdentity, identityCandidates, sortKey, type Contact } from './contact';
import { SortedPages, type PageChanges, type PageStore, type SortedPagesState } from './sorted-pages';

export interface MergedEntry {
  c: Contact;
  /** Where the merged contact came from: the personal (local) store or the global file. */
  o: 'p' | 'g';
}

/** An entry as a page stores it: origin, then the item fields in CONTACT_FIELDS order ('' when absent, trailing ones dropped). */
type PackedEntry = string[];

function pack(e: MergedEntry): PackedEntry {
  const out: string[] = [e.o];
  for (const f of CONTACT_FIELDS) out.push(e.c[f] ?? '');
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

function unpack(p: PackedEntry | undefined): MergedEntry | undefined {
  if (!p) return undefined;
  const c: Partial<Contact> = {};
  for (let i = 0; i < CONTACT_FIELDS.length; i++) if (p[i + 1]) c[CONTACT_FIELDS[i]] = p[i + 1];
  return { c: c as Contact, o: p[0] === 'p' ? 'p' : 'g' };
}

export interface DirectoryStorage extends PageStore {
  /** Write (text) and delete (null) these pages in one atomic step; throws (nothing changed) when it cannot. */
  commit(changes: PageChanges): void;
  /** Names of the pages stored now (a rebuild deletes those it does not reuse, orphans included). */
  existing(): string[];
}

interface DirectoryMeta {
  /** Page format version (2: packed entries). */
  v: 2;
  byFirst: boolean;
  /** Digest of the last global file text handled ('' when none): merged, or refused with the contacts before it kept. */
  global: string;
  /** Directory file versions (`file@digest`) whose problems were logged: not logged again after a reboot. */
  reported?: string[];
  names: SortedPagesState;
  numbers: SortedPagesState;
  speedDials: [string, string][];
}

export const META_PAGE = 'meta';
const NAME_PREFIX = 'n';
const NUMBER_PREFIX = 't';

export class MergedDirectory {
  private constructor(
    private readonly storage: DirectoryStorage,
    readonly byFirstName: boolean,
    private globalDigestText: string,
    private names: SortedPages<PackedEntry>,
    private numbers: SortedPages<string>,
    private speedDials: Map<string, string>,
    private reported: string[],
  ) {}

  /** The index as last committed, or null when there is none (first boot) or it was sorted the other way. */
  static open(storage: DirectoryStorage, byFirstName: boolean): MergedDirectory | null {
    const text = storage.read(META_PAGE);
    if (!text) return null;
    let meta: DirectoryMeta;
    try {
      meta = JSON.parse(text) as DirectoryMeta;
    } catch {
      return null;
    }
    if (meta.v !== 2 || meta.byFirst !== byFirstName) return null;
    return new MergedDirectory(storage, byFirstName, meta.global,
      new SortedPages<PackedEntry>(storage, NAME_PREFIX, meta.names),
      new SortedPages<string>(storage, NUMBER_PREFIX, meta.numbers),
      new Map(meta.speedDials),
      reportedOf(meta));
  }

  /** The reported file versions kept in the index, also when the index itself is unusable (sorted the other way, older format). */
  static reportedIn(storage: DirectoryStorage): string[] {
    try {
      return reportedOf(JSON.parse(storage.read(META_PAGE) ?? '{}') as Partial<DirectoryMeta>);
    } catch {
      return [];
    }
  }

  /** Merge and write the whole index in one commit. Throws (old index intact) when flash cannot take it. */
  static build(storage: DirectoryStorage, byFirstName: boolean, personal: readonly Contact[], hidden: ReadonlySet<string>, global: readonly Contact[], globalDigest: string, previous: MergedDirectory | null, reported: readonly string[] = []): MergedDirectory {
    const byId = new Map<string, MergedEntry>();
    for (const c of global) {
      const id = contactIdentity(c.ct);
      if (!hidden.has(id)) byId.set(id, { c, o: 'g' });
    }
    for (const c of personal) byId.set(contactIdentity(c.ct), { c, o: 'p' });
    const speedDials = new Map<string, string>();
    // Personal speed dials first: a global contact whose index a personal one took keeps its place but not the index.
    for (const origin of ['p', 'g'] as const) {
      for (const [id, e] of byId) {
        if (e.o !== origin || !e.c.sd) continue;
        if (speedDials.has(e.c.sd)) {
          const c = { ...e.c };
          delete c.sd;
          e.c = c;
        } else speedDials.set(e.c.sd, id);
      }
    }
    const named: { k: string; v: PackedEntry }[] = [];
    const numbered: { k: string; v: string }[] = [];
    for (const [id, e] of byId) {
      const k = sortKey(e.c, byFirstName);
      named.push({ k, v: pack(e) });
      numbered.push({ k: id, v: k });
    }
    named.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    numbered.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const changes: PageChanges = new Map();
    for (const name of storage.existing()) changes.set(name, null);
    const prevState = previous ? previous.snapshot() : null;
    const names = SortedPages.build(storage, NAME_PREFIX, prevState?.names ?? null, named, changes);
    // Number pages continue the id sequence after the name pages' (fresh ids: old pages are only deleted).
    const numbers = SortedPages.build(storage, NUMBER_PREFIX, prevState?.numbers ?? null, numbered, changes);
    const dir = new MergedDirectory(storage, byFirstName, globalDigest, names, numbers, speedDials, reported.slice());
    changes.set(META_PAGE, dir.metaText());
    storage.commit(changes);
    return dir;
  }

  globalDigest(): string {
    return this.globalDigestText;
  }

  /** Keep these reported file versions with the index (commits the meta page when they changed; throws when flash cannot take it). */
  setReported(reported: readonly string[]): void {
    // Compared as sets: the same versions in another order are not worth a flash write.
    if (reported.length === this.reported.length && reported.every((r) => this.reported.includes(r))) return;
    this.reported = reported.slice();
    this.commit(new Map());
  }

  size(): number {
    return this.names.size();
  }

  /** Contacts whose sort key starts with `prefix` (lower-cased): first position and count. */
  search(prefix: string): { start: number; count: number } {
    const p = prefix.toLowerCase();
    if (!p) return { start: 0, count: this.names.size() };
    const start = this.names.lowerBound(p);
    const end = this.names.lowerBound(p + '\uffff');
    return { start, count: end - start };
  }

  entry(pos: number): MergedEntry | undefined {
    return unpack(this.names.at(pos)?.v);
  }

  /** The contact a caller's address belongs to. */
  lookup(address: string): MergedEntry | undefined {
    for (const id of identityCandidates(address)) {
      const key = this.numbers.find(id);
      if (key !== undefined) return unpack(this.names.find(key));
    }
    return undefined;
  }

  bySpeedDial(index: string): MergedEntry | undefined {
    const id = this.speedDials.get(index);
    return id === undefined ? undefined : this.lookup(id);
  }

  speedDialIndexes(): string[] {
    return [...this.speedDials.keys()].sort((a, b) => Number(a) - Number(b));
  }

  /** A personal contact added or edited (replacing the entry of `previousCt`, if given). Commits. */
  putPersonal(c: Contact, previousCt?: string): void {
    const changes: PageChanges = new Map();
    if (previousCt !== undefined) this.removeId(contactIdentity(previousCt), changes);
    const id = contactIdentity(c.ct);
    this.removeId(id, changes);
    for (const [sd, owner] of this.speedDials) if (owner === id) this.speedDials.delete(sd);
    const k = sortKey(c, this.byFirstName);
    this.names.insert(k, pack({ c, o: 'p' }), changes);
    this.numbers.insert(id, k, changes);
    if (c.sd) this.speedDials.set(c.sd, id);
    this.commit(changes);
  }

  /** A contact deleted by the user. Commits. */
  remove(ct: string): boolean {
    const changes: PageChanges = new Map();
    const removed = this.removeId(contactIdentity(ct), changes);
    if (removed) this.commit(changes);
    return removed;
  }

  private removeId(id: string, changes: PageChanges): boolean {
    const key = this.numbers.find(id);
    if (key === undefined) return false;
    this.names.remove(key, changes);
    this.numbers.remove(id, changes);
    for (const [sd, owner] of this.speedDials) if (owner === id) this.speedDials.delete(sd);
    return true;
  }

  private commit(changes: PageChanges): void {
    changes.set(META_PAGE, this.metaText());
    this.storage.commit(changes);
  }

  private snapshot(): { names: SortedPagesState; numbers: SortedPagesState } {
    return { names: this.names.snapshot(), numbers: this.numbers.snapshot() };
  }

  private metaText(): string {
    const meta: DirectoryMeta = { v: 2, byFirst: this.byFirstName, global: this.globalDigestText, names: this.names.snapshot(), numbers: this.numbers.snapshot(), speedDials: [...this.speedDials], reported: this.reported };
    return JSON.stringify(meta);
  }
}

function reportedOf(meta: Partial<DirectoryMeta>): string[] {
  return Array.isArray(meta.reported) ? meta.reported.filter((r) => typeof r === 'string') : [];
}
