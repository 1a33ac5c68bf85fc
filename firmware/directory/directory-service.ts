/**
 * The local contact directory of one boot: sources, merge, edits, lookups.
 *
 * Sources, in the spec's order: the internal local store; when the phone has
 * none (first boot, after a reset) the personal file (`<MAC>-directory.xml`,
 * or `<user>-directory.xml` with a user logged in) is adopted as it; the
 * global file `000000000000-directory.xml` is merged under it. The template
 * `000000000000-directory~.xml` is never merged. Files arrive from the
 * provisioning client (last good copies at boot, `prov:directory` after a
 * download). A file that is not a directory file is refused whole with a log
 * line and the directory shown before stays; in a directory file the valid
 * items load and each bad one is reported (directory-xml.ts), once per file
 * version: the versions reported are kept with the index, so neither a reboot
 * nor a re-sort nor a login logs the same file's problems again.
 */
import { FileProblemLog, fileVersion } from '../kernel/file-problem-log';
import type { ComponentLogger } from '../kernel/logger';
import type { FileStore } from '../storage/file-store';
import { message, type Message } from '../ui/i18n/messages';
import { contactIdentity, contactProblem, displayName, cleanContact, type Contact } from './contact';
import { itemAt } from './directory-item-scanner';
import { runToEnd, type Stepwise } from './stepwise';
import { parseDirectoryXml, readDirectoryXml, readDirectoryXmlStepwise, serializeDirectoryXml, type CountedDirectory, type ParsedDirectory } from './directory-xml';
import { FlashDirectoryStorage, LOCAL_PAGE } from './flash-directory-storage';
import { LocalContacts } from './local-contacts';
import { MergedDirectory, NO_GLOBAL_CONTACTS, globalContactsIn, type DirectoryStorage, type GlobalContacts, type MergedEntry, type StoredMeta } from './merged-directory';
import type { IncomingCallDecision, IncomingCallPolicy, PartyNameLookup } from '../calls/incoming-call-policy';
import { party } from '../kernel/party';

export const GLOBAL_FILE = '000000000000-directory.xml';
export const TEMPLATE_FILE = '000000000000-directory~.xml';
/**
 * Most global contacts merged, per contact the board's local directory holds
 * (10,000 on desk-500, 1,980 on desk-99): what a merge does within the
 * board's CPU budget for one event and its flash. A bigger file loads its
 * first valid items up to the limit; the rest are logged as dropped.
 */
export const GLOBAL_ENTRIES_PER_LOCAL_CONTACT = 20;

export interface DirectoryServiceDeps {
  fs: FileStore;
  log: ComponentLogger;
  mac: string;
  /** `dir.local.contacts.maxNum`, bounded by the board. */
  maxLocal: () => number;
  /** Most entries a global file may have (the board's contact limit × GLOBAL_ENTRIES_PER_LOCAL_CONTACT). */
  maxGlobal: number;
  byFirstName: () => boolean;
  enabled: () => boolean;
  /** Last good downloaded copy of a directory file. */
  sourceText: (name: string) => string | null;
  /**
   * A version of that copy known without reading it (the download cache's
   * digest): a boot whose index already merged it reads no megabyte of XML.
   * Absent: the text's digest.
   */
  sourceVersion?: (name: string) => string | undefined;
  /** The personal file changed on the phone: upload it (the provisioning client gates and encrypts). */
  upload: (text: string, user: string | null) => void;
  /**
   * Run `step` in an event of its own (a 0 ms timer). After the boot a merge
   * runs through it one bounded step per event (a 10,000-entry merge is far
   * beyond one event's CPU allowance), the index before it in force until its
   * commit. Absent: every merge runs whole in the event that asks for it.
   */
  inEvents?: (step: () => void) => void;
  /** Storage for a directory owner (tests and benchmarks pass their own). */
  storageFor?: (user: string | null) => DirectoryStorage & { stage(name: string, text: string): void; dropStaged(): void; stageErase?(): void; has?(name: string): boolean };
}

/** An edit refused says why as a catalog message: the screen shows it in the phone's language. */
export type EditResult = { ok: true } | { ok: false; error: Message };

/** A short digest of a text for "is this the same file" (not a security check). */
export const textDigest = fileVersion;

export class DirectoryService {
  private user: string | null = null;
  private storage!: ReturnType<NonNullable<DirectoryServiceDeps['storageFor']>>;
  /**
   * The owner's local store; null while it is still on flash only. A boot
   * whose index is current answers lookups, searches and speed dials from
   * the index alone, so the local page (500 contacts: ~25 KiB, ~4 ms to read
   * in QuickJS) is read at the first edit, personal file, merge or count.
   */
  private local: LocalContacts | null = LocalContacts.empty();
  private merged: MergedDirectory | null = null;
  private readonly listeners: (() => void)[] = [];
  private readonly problems: FileProblemLog;
  /** The first start (at boot, with the boot's allowance) is over: merges from now on go step by step. */
  private booted = false;
  /** The merge running step by step, and how to start it again (an edit committed meanwhile). */
  private job: { steps: Stepwise<void>; restart: () => void } | null = null;

  constructor(private readonly d: DirectoryServiceDeps) {
    this.problems = new FileProblemLog((line) => d.log.warning(`directory: ${line}`));
  }

  /** Load the directory of the phone (or of `user`). */
  start(user: string | null = null): void {
    // A merge still running belongs to the owner or sort order before: dropped, its pages orphans the next build deletes.
    this.job = null;
    this.user = user;
    this.storage?.dropStaged();
    this.storage = this.d.storageFor ? this.d.storageFor(user) : new FlashDirectoryStorage(this.d.fs, user);
    // The global file's versions stay known across owners in this boot; another owner's personal file does not.
    this.problems.forget((k) => !k.startsWith(GLOBAL_FILE + '@'));
    this.local = LocalContacts.empty();
    try {
      // One read of the meta page for the index and the versions reported.
      const meta = MergedDirectory.readMeta(this.storage);
      this.problems.remember(MergedDirectory.reportedIn(meta));
      this.load(meta);
    } catch (e) {
      this.unreadable(e);
    }
    this.booted = true;
  }

  /** Flash that cannot be read (a record failing its CRC): an empty directory for this owner, never the previous owner's. */
  private unreadable(e: unknown): void {
    this.storage.dropStaged();
    this.local = LocalContacts.empty();
    this.merged = null;
    this.d.log.error(`directory: cannot load the directory of ${this.ownerName()} (${(e as Error).message}); empty until the next directory file`);
  }

  private load(meta: StoredMeta): void {
    this.merged = MergedDirectory.fromMeta(this.storage, this.d.byFirstName(), meta);
    const known = this.d.sourceVersion?.(GLOBAL_FILE);
    let globalText: string | null | undefined;
    const globalDigest = known ?? ((globalText = this.d.sourceText(GLOBAL_FILE)) === null ? '' : textDigest(globalText));
    const current = !!this.merged && this.merged.globalDigest() === globalDigest;
    // A current index with a local store on flash needs nothing more now; else the store is read (or the personal file adopted).
    let adopted = false;
    if (current && this.storage.has?.(LOCAL_PAGE)) this.local = null;
    else adopted = this.readLocal();
    const loaded = () => {
      this.keepReported();
      // The count of local contacts when the store was read; the index alone does not know it.
      this.d.log.info(`directory: ${this.size()} contacts${this.local ? ` (${this.local.count()} local)` : ''} for ${this.ownerName()}`);
    };
    if (!current || adopted) {
      // An index sorted the other way (dir.search.field changed) still holds the global contacts a refused file keeps.
      const previous = this.merged ?? MergedDirectory.fromMeta(this.storage, !this.d.byFirstName(), meta);
      this.rebuild(globalText === undefined ? this.d.sourceText(GLOBAL_FILE) : globalText, previous, loaded);
    } else loaded();
  }

  /** Read the owner's local store, or adopt the personal file when there is none (or it is unreadable): true when adopted (staged; a merge must follow). */
  private readLocal(): boolean {
    const stored = this.storage.read(LOCAL_PAGE);
    const fromStore = stored === null ? null : LocalContacts.fromText(stored);
    if (stored !== null && !fromStore) this.d.log.error(`directory: local store of ${this.ownerName()} unreadable; starting from the personal file`);
    this.local = fromStore ?? LocalContacts.empty();
    if (fromStore) return false;
    const text = this.d.sourceText(this.personalFileName());
    return text !== null && this.adoptPersonal(text, false);
  }

  /**
   * The local store, read from flash at its first need after a boot that
   * did without it. What the boot would have done with it then is done now:
   * an unreadable store is replaced by the personal file (merged, unless the
   * caller is the merge), a store that cannot be read leaves this owner's
   * directory empty.
   */
  private localContacts(mergeAdopted = true): LocalContacts {
    if (this.local) return this.local;
    try {
      if (this.readLocal() && mergeAdopted) this.rebuild(this.d.sourceText(GLOBAL_FILE));
    } catch (e) {
      this.unreadable(e);
    }
    return this.local ?? LocalContacts.empty();
  }

  /** A user logged in or out: that owner's local store and personal file from now on. */
  switchUser(user: string | null): void {
    if (user === this.user) return;
    this.start(user);
    this.changed();
  }

  currentUser(): string | null {
    return this.user;
  }

  personalFileName(): string {
    return `${this.user ?? this.d.mac}-directory.xml`;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A directory file downloaded by the provisioning client (only sent when it changed). */
  fileArrived(name: string, text: string): void {
    // Whatever an earlier event staged and did not commit (it was cut short) is not carried into this one
    // (a merge still running step by step carries what it staged to its commit).
    if (!this.job) this.storage.dropStaged();
    if (name === TEMPLATE_FILE || /-directory~\.xml$/.test(name)) {
      this.d.log.notice(`directory: ${name} is the template: not merged (remove the ~ from its name on the server to use it as the global directory)`);
      return;
    }
    if (name === GLOBAL_FILE) {
      this.d.log.info(`directory: merging ${GLOBAL_FILE} (${text.length} characters)`);
      this.rebuild(text);
    } else if (name === this.personalFileName()) {
      if (textDigest(text) === this.localContacts().fileDigest()) return;
      if (this.adoptPersonal(text, true)) this.rebuild(this.d.sourceText(GLOBAL_FILE));
      else this.keepReported();
    } else return;
    this.changed();
  }

  // ── reading ──

  size(): number {
    return this.merged?.size() ?? 0;
  }

  localCount(): number {
    return this.localContacts().count();
  }

  search(prefix: string): { start: number; count: number } {
    return this.merged ? this.merged.search(prefix) : { start: 0, count: 0 };
  }

  entry(pos: number): MergedEntry | undefined {
    return this.merged?.entry(pos);
  }

  lookup(address: string): MergedEntry | undefined {
    if (!this.d.enabled() || !this.merged || !address) return undefined;
    return this.merged.lookup(address);
  }

  speedDial(index: number): Contact | undefined {
    if (!this.d.enabled()) return undefined;
    return this.merged?.bySpeedDial(String(index))?.c;
  }

  speedDialIndexes(): number[] {
    return (this.merged?.speedDialIndexes() ?? []).map(Number);
  }

  /** The personal file as the phone writes and uploads it. */
  personalXml(): string {
    return serializeDirectoryXml(this.localContacts().contacts());
  }

  // ── editing (the UI checks read-only and password before it gets here) ──

  /** Add a contact, or save an edit of the contact `previousCt` (personal or global: the edit becomes personal). */
  put(raw: Partial<Contact>, previousCt?: string): EditResult {
    const local = this.localContacts();
    const c = cleanContact(raw);
    const problem = contactProblem(c);
    if (problem) return { ok: false, error: problem };
    const id = contactIdentity(c.ct);
    const replacing = previousCt !== undefined ? contactIdentity(previousCt) : undefined;
    const existing = this.merged?.lookup(c.ct);
    if (existing && contactIdentity(existing.c.ct) === id && id !== replacing) return { ok: false, error: message('contact.error.duplicate', { number: c.ct }) };
    if (c.sd) {
      const owner = this.merged?.bySpeedDial(c.sd);
      if (owner && contactIdentity(owner.c.ct) !== id && contactIdentity(owner.c.ct) !== replacing) return { ok: false, error: message('contact.error.speedDialTaken', { sd: c.sd, name: displayName(owner.c) }) };
    }
    const isLocal = !!local.find(c.ct) || (previousCt !== undefined && !!local.find(previousCt));
    if (!isLocal && local.count() >= this.d.maxLocal()) return { ok: false, error: message('contact.error.full', { max: this.d.maxLocal() }) };
    const next = local.withPut(c, previousCt);
    return this.commitEdit(next, (m) => m.putPersonal(c, previousCt), `saved ${party(c.ct, 'address')}`);
  }

  remove(ct: string): EditResult {
    const local = this.localContacts();
    const entry = this.merged?.lookup(ct);
    if (!entry) return { ok: false, error: message('contact.error.notFound', { number: ct }) };
    const next = local.withRemoved(ct, entry.o === 'g' || this.globalFileHas(contactIdentity(ct)));
    // Delete is erase: the commit re-keys the owner's directory, so the contact's old pages decrypt no more.
    return this.commitEdit(next, (m) => { m.remove(ct); }, `deleted ${party(ct, 'address')}`, true);
  }

  // ── call handling (firmware/calls/incoming-call-policy.ts) ──

  readonly incomingCallPolicy: IncomingCallPolicy = (remote) => {
    const e = this.lookup(remote.address);
    if (!e) return { action: 'ring' };
    const c = e.c;
    const named = !!(c.fn || c.ln || c.lb);
    const decision: IncomingCallDecision = { action: 'ring' };
    if (named) decision.displayName = displayName(c);
    if (c.rt) decision.ringTone = Number(c.rt);
    // Auto-divert beats auto-reject (spec item fields).
    if (c.ad === '1' && c.dc) {
      decision.action = 'divert';
      decision.divertTo = c.dc;
    } else if (c.ar === '1') decision.action = 'reject';
    return decision;
  };

  readonly partyName: PartyNameLookup = (address) => {
    const e = this.lookup(address);
    if (!e || !(e.c.fn || e.c.ln || e.c.lb)) return undefined;
    return displayName(e.c);
  };

  // ── internals ──

  private ownerName(): string {
    return this.user === null ? 'the phone' : `user ${party(this.user, 'user')}`;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private commitEdit(next: LocalContacts, apply: (m: MergedDirectory) => void, what: string, erase = false): EditResult {
    const text = serializeDirectoryXml(next.contacts());
    next.setFileDigest(textDigest(text));
    this.storage.stage(LOCAL_PAGE, next.text());
    if (erase) this.storage.stageErase?.();
    try {
      if (!this.merged) throw new Error('no directory index');
      apply(this.merged);
    } catch (e) {
      // Flash full or failing: nothing was committed; reload what is on flash.
      this.storage.dropStaged();
      this.merged = MergedDirectory.open(this.storage, this.d.byFirstName());
      this.d.log.error(`directory: could not save (${(e as Error).message}); directory unchanged`);
      return { ok: false, error: message('contact.error.storageFull') };
    }
    this.local = next;
    // A merge running step by step read the local contacts before this edit: it starts again with them.
    this.job?.restart();
    this.d.log.info(`directory: ${what} (${next.count()} local contacts)`);
    this.d.upload(text, this.user);
    this.changed();
    return { ok: true };
  }

  /** Take a downloaded personal file as the local store (staged: committed with the rebuild that follows). */
  private adoptPersonal(text: string, downloaded: boolean): boolean {
    const name = this.personalFileName();
    const max = this.d.maxLocal();
    const parsed = this.read(name, text, max);
    if (!parsed.ok) return false;
    this.local = LocalContacts.adopt(parsed.contacts, textDigest(text));
    this.storage.stage(LOCAL_PAGE, this.local.text());
    this.d.log.notice(`directory: ${name} ${downloaded ? 'downloaded' : 'adopted'} as the local directory (${parsed.contacts.length} contacts)`);
    return true;
  }

  /**
   * Merge the local store with the global file text (the current global contacts when that text is refused),
   * then run `done`: whole now at boot (or without `inEvents`), else one bounded step per event.
   */
  private rebuild(globalText: string | null, previous: MergedDirectory | null = this.merged, done: () => void = () => {}): void {
    this.localContacts(false);
    const steps = this.rebuilding(globalText, previous);
    if (!this.d.inEvents || !this.booted) {
      this.job = null;
      runToEnd(steps);
      done();
      return;
    }
    const job = { steps, restart: () => this.rebuild(globalText, previous, done) };
    this.job = job;
    const step = () => {
      if (this.job !== job) return; // superseded: another merge, another owner
      if (!job.steps.next().done) {
        this.d.inEvents!(step);
        return;
      }
      this.job = null;
      done();
      this.changed();
    };
    this.d.inEvents(step);
  }

  private *rebuilding(globalText: string | null, previous: MergedDirectory | null): Stepwise<void> {
    const digest = globalText === null ? '' : this.d.sourceVersion?.(GLOBAL_FILE) ?? textDigest(globalText);
    const source = globalText === null ? NO_GLOBAL_CONTACTS : this.globalFileContacts(globalText);
    const local = this.localContacts(false);
    const build = (global: GlobalContacts) => MergedDirectory.buildStepwise(this.storage, this.d.byFirstName(), local.contacts(), local.hidden(), global, digest, this.merged, () => this.reportedToKeep());
    try {
      // A refused file keeps the global contacts before it, and counts as handled: the next boot does not read it again.
      const merged = (yield* build(source)) ?? (yield* build(globalContactsIn(previous)));
      if (!merged) throw new Error('no global contacts to keep');
      this.merged = merged;
      this.d.log.info(`directory: merged ${local.count()} local and ${merged.size() - local.count()} global contacts: ${merged.size()} for ${this.ownerName()}`);
    } catch (e) {
      this.storage.dropStaged();
      this.d.log.error(`directory: could not store the merged directory (${(e as Error).message}); keeping the last good one`);
      this.merged = MergedDirectory.open(this.storage, this.d.byFirstName()) ?? this.merged;
      const stored = this.storage.read(LOCAL_PAGE);
      this.local = (stored !== null ? LocalContacts.fromText(stored) : null) ?? this.local;
    }
  }

  /** The global file's contacts for a merge, read item by item; its refusal or problems logged once per version. */
  private globalFileContacts(text: string): GlobalContacts {
    const max = this.d.maxGlobal;
    const logged = (read: CountedDirectory) => this.logged(GLOBAL_FILE, text, read).ok;
    return {
      each: (visit) => logged(readDirectoryXml(text, max, visit)),
      *eachStepwise(visit) {
        return logged(yield* readDirectoryXmlStepwise(text, max, visit));
      },
      at: (ref) => itemAt(text, ref).contact ?? undefined,
    };
  }

  /** Parse a directory file; a refusal or the items' problems logged once per file version. */
  private read(name: string, text: string, max: number): ParsedDirectory {
    return this.logged(name, text, parseDirectoryXml(text, max));
  }

  private logged<T extends CountedDirectory>(name: string, text: string, parsed: T): T {
    const version = textDigest(text);
    if (!parsed.ok) {
      if (this.problems.firstTime(name, version)) this.d.log.error(`directory: ${name} refused: ${parsed.error}; keeping the last good directory (${this.size()} contacts)`);
      return parsed;
    }
    const loaded = parsed.items - parsed.dropped;
    this.problems.report(name, version, `${parsed.items} items: ${loaded} loaded (${parsed.changed} of them with a field cut or dropped), ${parsed.dropped} dropped`, parsed.problems);
    return parsed;
  }

  /** The reported versions this owner's index keeps: the global file's and this owner's personal file's. */
  private reportedToKeep(): string[] {
    const own = [GLOBAL_FILE + '@', this.personalFileName() + '@'];
    return this.problems.versions().filter((k) => own.some((p) => k.startsWith(p)));
  }

  /** Store the reported versions with the index when they changed without a rebuild (a refused personal file). */
  private keepReported(): void {
    try {
      this.merged?.setReported(this.reportedToKeep());
    } catch (e) {
      this.storage.dropStaged();
      this.d.log.error(`directory: could not store which files were reported (${(e as Error).message})`);
    }
  }

  /** The global file on hand lists this identity (a personal contact may hide a global one with the same number). */
  private globalFileHas(id: string): boolean {
    const known = this.merged?.shadowsGlobal(id);
    if (known !== undefined) return known;
    const text = this.d.sourceText(GLOBAL_FILE);
    if (text === null) return false;
    let found = false;
    const read = readDirectoryXml(text, this.d.maxGlobal, (c) => { if (!found && contactIdentity(c.ct) === id) found = true; });
    return !read.ok || found;
  }
}
