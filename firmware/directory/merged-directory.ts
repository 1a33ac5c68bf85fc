/**
 * The directory the user sees: personal and global contacts merged (personal
 * wins, identity = contact number, docs/directory.md), kept as two page
 * indexes on flash — by name in `dir.search.field` order, and by number for
 * callers — plus the speed-dial table. Only page heads live in RAM.
 */
import { CONTACT_FIELDS, contactIdentity, identityCandidates, sortKey, type Contact } from './contact';
import { SortedPages, type PageChanges, type PageStore, type SortedPagesState } from './sorted-pages';
import { eachStepwise, runToEnd, type Stepwise } from './stepwise';

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
  /** Write pages no index refers to yet (a rebuild's), before the commit that refers to them; absent: they go with that commit. */
  writeAhead?(pages: PageChanges): void;
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
  /** Identities of global-file contacts a personal contact stands in for (absent in older indexes: unknown). */
  shadowed?: string[];
}

/** A meta page as read from flash: any shape until `fromMeta` checks its version and sort order. */
export type StoredMeta = Partial<DirectoryMeta> | null;

/**
 * The global contacts of a merge, read twice: `each` visits every contact
 * with a reference (false: the source is refused, nothing was visited), `at`
 * gives the contact of a reference again.
 */
export interface GlobalContacts {
  each(visit: (c: Contact, ref: number) => void): boolean;
  /** `each` in bounded steps (a file's 10,000 items over several events); absent: `each` is one step. */
  eachStepwise?(visit: (c: Contact, ref: number) => void): Stepwise<boolean>;
  at(ref: number): Contact | undefined;
}

export const NO_GLOBAL_CONTACTS: GlobalContacts = { each: () => true, at: () => undefined };

/** The global contacts an index holds (a refused file keeps them). */
export function globalContactsIn(m: MergedDirectory | null): GlobalContacts {
  return {
    each(visit) {
      if (!m) return true;
      for (let i = 0; i < m.size(); i++) {
        const e = m.entry(i);
        if (e && e.o === 'g') visit(e.c, i);
      }
      return true;
    },
    at: (ref) => m?.entry(ref)?.c,
  };
}

/** Separates the parts of a merge record; below every character of a sort key, so records sort as their keys. */
const SEP = '\u0000';
/** Contacts read again and added to name pages per step of a stepwise build. */
const FILL_STEP = 250;
/** Pages per write-ahead transaction of a rebuild (≈ 80 KiB): RAM for one batch, few commit records. */
const WRITE_AHEAD_PAGES = 8;

/** First page id of a rebuild: after every id in use (the index's, and orphans a cut rebuild left). */
function freshPageId(storage: DirectoryStorage, previous: MergedDirectory | null): number {
  let next = previous ? previous.nextPageId() : 0;
  for (const name of storage.existing()) {
    const id = Number(name.slice(1));
    if ((name[0] === NAME_PREFIX || name[0] === NUMBER_PREFIX) && Number.isInteger(id) && id >= next) next = id + 1;
  }
  return next;
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
    /** Null: unknown (an index written before this was kept). */
    private readonly shadowed: Set<string> | null,
  ) {}

  /** The index as last committed, or null when there is none (first boot) or it was sorted the other way. */
  static open(storage: DirectoryStorage, byFirstName: boolean): MergedDirectory | null {
    return MergedDirectory.fromMeta(storage, byFirstName, MergedDirectory.readMeta(storage));
  }

  /**
   * The meta page as stored (null: none, or not JSON), read once for both
   * the index and its reported versions: in QuickJS a page read costs about
   * 0.13 ms per KiB (flash reads, CRC, decryption), and a 10,500-contact
   * index's meta page is ~10 KiB.
   */
  static readMeta(storage: DirectoryStorage): StoredMeta {
    const text = storage.read(META_PAGE);
    if (!text) return null;
    try {
      const meta = JSON.parse(text) as unknown;
      return meta !== null && typeof meta === 'object' ? (meta as Partial<DirectoryMeta>) : null;
    } catch {
      return null;
    }
  }

  /** The index a meta page describes, or null when there is none or it was sorted the other way. */
  static fromMeta(storage: DirectoryStorage, byFirstName: boolean, stored: StoredMeta): MergedDirectory | null {
    if (!stored || stored.v !== 2 || stored.byFirst !== byFirstName) return null;
    const meta = stored as DirectoryMeta;
    return new MergedDirectory(storage, byFirstName, meta.global,
      new SortedPages<PackedEntry>(storage, NAME_PREFIX, meta.names),
      new SortedPages<string>(storage, NUMBER_PREFIX, meta.numbers),
      new Map(meta.speedDials),
      reportedOf(meta),
      Array.isArray(meta.shadowed) ? new Set(meta.shadowed) : null);
  }

  /** The reported file versions kept in a meta page, also when its index is unusable (sorted the other way, older format). */
  static reportedIn(stored: StoredMeta): string[] {
    return stored ? reportedOf(stored) : [];
  }

  /**
   * Merge and write the whole index. Bounded memory: the global contacts are
   * read twice from their source (once to sort compact records of sort key
   * and reference, once in sorted order to fill pages), and pages go to
   * flash as they fill, ahead of the commit that makes them the index (the
   * meta page, with the deletion of the old pages): until then the old index
   * stays whole, also across a power cut. Returns null (nothing changed) when
   * the source refuses its file; throws (old index intact) when flash cannot
   * take the new one.
   */
  static build(storage: DirectoryStorage, byFirstName: boolean, personal: readonly Contact[], hidden: ReadonlySet<string>, global: GlobalContacts, globalDigest: string, previous: MergedDirectory | null, reported: () => readonly string[] = () => []): MergedDirectory | null {
    return runToEnd(MergedDirectory.buildStepwise(storage, byFirstName, personal, hidden, global, globalDigest, previous, reported));
  }

  /**
   * `build` in bounded steps (stepwise.ts), so a 10,000-entry merge runs over
   * many events within the per-event CPU allowance. Between steps the old
   * index stays the one in force (its pages untouched, the new ones written
   * ahead under fresh ids); the last step commits. A caller that drops the
   * steps half-way leaves orphan pages the next build deletes.
   */
  static *buildStepwise(storage: DirectoryStorage, byFirstName: boolean, personal: readonly Contact[], hidden: ReadonlySet<string>, global: GlobalContacts, globalDigest: string, previous: MergedDirectory | null, reported: () => readonly string[] = () => []): Stepwise<MergedDirectory | null> {
    const personalIds = new Map<string, number>();
    personal.forEach((c, i) => personalIds.set(contactIdentity(c.ct), i));
    const speedDials = new Map<string, string>();
    // One string per contact: sort key, then origin (upper case: its speed dial is dropped) and reference.
    const records: string[] = [];
    // Personal speed dials first: a global contact whose index a personal one took keeps its place but not the index.
    personal.forEach((c, i) => {
      const id = contactIdentity(c.ct);
      if (personalIds.get(id) !== i) return;
      let origin = 'p';
      if (c.sd) {
        if (speedDials.has(c.sd)) origin = 'P';
        else speedDials.set(c.sd, id);
      }
      records.push(sortKey(c, byFirstName) + SEP + origin + i);
    });
    const shadowed = new Set<string>();
    const visitGlobal = (c: Contact, ref: number) => {
      const id = contactIdentity(c.ct);
      if (hidden.has(id)) return;
      if (personalIds.has(id)) {
        shadowed.add(id);
        return;
      }
      let origin = 'G';
      if (c.sd && !speedDials.has(c.sd)) {
        speedDials.set(c.sd, id);
        origin = 'g';
      }
      records.push(sortKey(c, byFirstName) + SEP + origin + ref);
    };
    const accepted = global.eachStepwise ? yield* global.eachStepwise(visitGlobal) : global.each(visitGlobal);
    if (!accepted) return null;
    yield;
    records.sort();
    yield;

    const written = new Set<string>();
    let batch: PageChanges = new Map();
    const flush = (name: string, text: string) => {
      batch.set(name, text);
      written.add(name);
      if (storage.writeAhead && batch.size >= WRITE_AHEAD_PAGES) {
        storage.writeAhead(batch);
        batch = new Map();
      }
    };
    const firstId = freshPageId(storage, previous);
    const nameWriter = SortedPages.writer<PackedEntry>(storage, NAME_PREFIX, firstId, flush);
    yield* eachStepwise(records, FILL_STEP, (r) => {
      const cut = r.indexOf(SEP, r.indexOf(SEP) + 1);
      const origin = r[cut + 1];
      const ref = Number(r.slice(cut + 2));
      let c = origin === 'p' || origin === 'P' ? personal[ref] : global.at(ref);
      if (!c) throw new Error(`directory source lost contact ${ref}`);
      if ((origin === 'P' || origin === 'G') && c.sd) {
        c = { ...c };
        delete c.sd;
      }
      nameWriter.add(r.slice(0, cut), pack({ c, o: origin === 'p' || origin === 'P' ? 'p' : 'g' }));
    });
    const names = nameWriter.finish();
    yield;
    // The number index: the same records turned into "identity, sort key" (the key ends with the identity).
    yield* eachStepwise(records, FILL_STEP * 4, (r, i) => {
      const cut = r.indexOf(SEP, r.indexOf(SEP) + 1);
      const key = r.slice(0, cut);
      records[i] = key.slice(key.indexOf(SEP) + 1) + SEP + key;
    });
    records.sort();
    yield;
    const numberWriter = SortedPages.writer<string>(storage, NUMBER_PREFIX, names.snapshot().nextId, flush);
    yield* eachStepwise(records, FILL_STEP * 2, (r) => {
      const cut = r.indexOf(SEP);
      numberWriter.add(r.slice(0, cut), r.slice(cut + 1));
    });
    records.length = 0;
    const numbers = numberWriter.finish();

    // The last pages go with the commit.
    const changes: PageChanges = batch;
    for (const name of storage.existing()) if (!written.has(name)) changes.set(name, null);
    const dir = new MergedDirectory(storage, byFirstName, globalDigest, names, numbers, speedDials, reported().slice(), shadowed);
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

  /**
   * Whether the global file merged has a contact of this identity that a
   * personal one stands in for: known without reading the file (a key
   * event cannot scan 10,000 items); undefined when this index does not know.
   */
  shadowsGlobal(id: string): boolean | undefined {
    return this.shadowed ? this.shadowed.has(id) : undefined;
  }

  private entryById(id: string): MergedEntry | undefined {
    const key = this.numbers.find(id);
    return key === undefined ? undefined : unpack(this.names.find(key));
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
    if (this.entryById(id)?.o === 'g') this.shadowed?.add(id);
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

  /** Page ids from here on are unused by this index. */
  nextPageId(): number {
    return Math.max(this.names.snapshot().nextId, this.numbers.snapshot().nextId);
  }

  private metaText(): string {
    const meta: DirectoryMeta = { v: 2, byFirst: this.byFirstName, global: this.globalDigestText, names: this.names.snapshot(), numbers: this.numbers.snapshot(), speedDials: [...this.speedDials], reported: this.reported, ...(this.shadowed ? { shadowed: [...this.shadowed] } : {}) };
    return JSON.stringify(meta);
  }
}

function reportedOf(meta: Partial<DirectoryMeta>): string[] {
  return Array.isArray(meta.reported) ? meta.reported.filter((r) => typeof r === 'string') : [];
}
