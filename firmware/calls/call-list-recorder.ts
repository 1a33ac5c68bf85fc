/**
 * The call-list recorder: keeps the Missed, Received and Placed lists of the
 * current owner (the phone, or the logged-in user) in RAM and on flash.
 *
 * - a call's record is written as `Partial` when the call starts (a power
 *   cut mid-call keeps the call), changed when it changes list (an incoming
 *   call goes from Missed to Received when answered) and completed when it
 *   ends; changes append only the fields that changed to the entry's file
 *   (flash cost per call: the entry once, plus its changes);
 * - `feature.callList.enabled=0` writes nothing at all; a disabled list
 *   keeps nothing;
 * - `callLists.collapseDuplicates`: a call that ends incomplete (never
 *   connected) right after an incomplete one with the same party and
 *   direction is folded into it (count + 1, newest start time);
 * - `callLists.logConsultationCalls=0`: a consultation call is listed only
 *   if it was joined into a conference.
 *
 * The owner's lists are read from flash when first needed (a list shown or
 * exported, a call recorded), not when the owner is set: reading them means
 * decrypting and parsing every entry, most of the calls module's boot time
 * on a phone with full lists, and the idle screen shows nothing of them.
 */
import { listOf, remoteOf, type CallListName, type CallRecord } from './call-record';
import { MAX_ENTRIES_PER_LIST, MAX_PATCHES_PER_ENTRY, type CallListOps, type CallListStore, type StoredEntry } from './call-list-store';

export interface RecorderSettings {
  /** feature.callList.enabled and the list's own enable. */
  listEnabled(list: CallListName): boolean;
  collapseDuplicates(): boolean;
  logConsultationCalls(): boolean;
}

/** Where a call's record currently sits (null: not written). */
export interface RecordHandle {
  /** Whose lists the call was opened in: after a login/logout mid-call it is no longer written (it would land in, and overwrite a slot of, the next owner's lists). */
  owner: string | null;
  /** The entry's slot file. */
  at: string | null;
  consultation: boolean;
  conferenced: boolean;
}

export class CallListRecorder {
  /** The owner's entries, oldest first; null until read from flash. */
  private read: StoredEntry[] | null = null;
  private user: string | null = null;
  private nextSeq = 1;
  private newestAtRead = 0;
  private readonly listeners: (() => void)[] = [];
  private readonly deleteListeners: (() => void)[] = [];

  constructor(private readonly store: CallListStore, private readonly settings: RecorderSettings, private readonly log: (msg: string) => void) {}

  /** Switch owner (login/logout): the lists shown and written are this user's (null: the phone's). */
  setUser(user: string | null): void {
    this.user = user;
    this.reload();
  }

  currentUser(): string | null {
    return this.user;
  }

  /** The owner's lists changed on flash behind the recorder (cleared): read again when next needed. */
  reload(): void {
    this.read = null;
    this.changed();
  }

  /**
   * The newest sequence number the owner's lists held when they were read
   * from flash; null while they are not read (then nothing was recorded for
   * this owner yet: recording reads them first). Entries above it are new.
   */
  newestSeqAtRead(): number | null {
    return this.read === null ? null : this.newestAtRead;
  }

  /** Entries of a list, newest first. */
  list(list: CallListName): CallRecord[] {
    return this.entries.filter((e) => e.list === list).map((e) => e.record).reverse();
  }

  /** Every entry of the owner, oldest first (for export). */
  all(): CallRecord[] {
    return this.entries.map((e) => e.record);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A call started: write its Partial record. */
  open(record: CallRecord, consultation = false): RecordHandle {
    const handle: RecordHandle = { owner: this.user, at: null, consultation, conferenced: false };
    this.place(handle, record);
    return handle;
  }

  /**
   * The call progressed (connected, party changed, conference). Written only
   * when the entry changes list or appears (answered: Missed → Received;
   * joined into a conference); otherwise the completion carries it, which
   * saves a flash write per call.
   */
  update(handle: RecordHandle, record: CallRecord): void {
    if (this.ownerChanged(handle)) return;
    if (handle.at && this.entryAt(handle.at)?.list === listOf(record)) return;
    this.place(handle, record);
  }

  /** The call ended with `record`'s disposition. */
  finish(handle: RecordHandle, record: CallRecord): void {
    if (this.ownerChanged(handle)) return;
    if (handle.consultation && !handle.conferenced && !this.settings.logConsultationCalls()) {
      if (handle.at) this.commit((ops) => this.remove(ops, handle.at!));
      handle.at = null;
      return;
    }
    const list = listOf(record);
    const incomplete = record.connections.length === 0;
    if (incomplete && this.settings.collapseDuplicates() && this.settings.listEnabled(list)) {
      const previous = this.entries.filter((e) => e.list === list && e !== this.entryAt(handle.at)).pop();
      if (previous && previous.record.connections.length === 0 && previous.record.direction === record.direction
        && previous.record.disposition !== 'Partial' && remoteOf(previous.record).address === remoteOf(record).address) {
        const folded: CallRecord = { ...record, seq: this.takeSeq(), count: previous.record.count + record.count };
        this.commit((ops) => {
          if (handle.at) this.remove(ops, handle.at);
          this.put(ops, previous.slot, folded);
        });
        handle.at = previous.slot;
        return;
      }
    }
    this.place(handle, record);
  }

  /** Delete one entry of a list (index in newest-first order): erased, not only hidden (one re-key of the owner's lists). */
  deleteEntry(list: CallListName, index: number): void {
    const entry = this.entries.filter((e) => e.list === list).reverse()[index];
    if (!entry) return;
    this.commit((ops) => this.remove(ops, entry.slot), 'erase');
    this.deleteListeners.forEach((l) => l());
  }

  /** Clear one list, or all of them: erased, not only hidden (one re-key of the owner's lists). */
  clear(list?: CallListName): void {
    const doomed = this.entries.filter((e) => !list || e.list === list);
    if (doomed.length === 0) return;
    this.commit((ops) => doomed.forEach((e) => this.remove(ops, e.slot)), 'erase');
    this.deleteListeners.forEach((l) => l());
  }

  /**
   * Called after a person deleted entries (one, a list, all; keypad or web):
   * a copy uploaded to the provisioning server must lose them too.
   */
  onDeleted(listener: () => void): void {
    this.deleteListeners.push(listener);
  }

  /** Replace the owner's lists with imported records (one transaction; newest MAX_ENTRIES_PER_LIST per list). */
  replaceAll(records: CallRecord[]): void {
    const old = [...this.entries];
    const keep = new Map<CallListName, CallRecord[]>();
    for (const r of records) {
      const list = listOf(r);
      if (!this.settings.listEnabled(list)) continue;
      keep.set(list, [...(keep.get(list) ?? []), r].slice(-MAX_ENTRIES_PER_LIST));
    }
    let slot = 0;
    this.commit((ops) => {
      old.forEach((e) => this.remove(ops, e.slot));
      for (const rs of keep.values()) rs.forEach((r) => this.put(ops, String(slot++), { ...r, seq: this.takeSeq() }));
    });
  }

  // ── internals ──

  /** The owner's entries, read from flash on first use. */
  private get entries(): StoredEntry[] {
    return this.readLists();
  }

  private set entries(entries: StoredEntry[]) {
    this.read = entries;
  }

  private readLists(): StoredEntry[] {
    if (this.read === null) {
      this.read = this.store.load(this.user);
      this.newestAtRead = this.read.reduce((n, e) => Math.max(n, e.record.seq), 0);
      this.nextSeq = this.newestAtRead + 1;
    }
    return this.read;
  }

  /** The next entry's sequence number: above every stored one (the lists are read first). */
  private takeSeq(): number {
    this.readLists();
    return this.nextSeq++;
  }

  /** The owner switched since the call opened: its record is dropped (the previous owner's lists are gone or not shown). */
  private ownerChanged(handle: RecordHandle): boolean {
    if (handle.owner === this.user) return false;
    handle.at = null;
    return true;
  }

  /**
   * Write `record` where its call's entry is: its changed fields appended to
   * the entry's file, or (new, or patched MAX_PATCHES_PER_ENTRY times) the
   * whole entry. Its list may have grown past the cap: the list's oldest
   * entry goes in the same transaction.
   */
  private place(handle: RecordHandle, record: CallRecord): void {
    const list = listOf(record);
    const wanted = this.settings.listEnabled(list) && !(handle.consultation && !handle.conferenced && !this.settings.logConsultationCalls());
    if (!wanted) {
      if (handle.at) this.commit((ops) => this.remove(ops, handle.at!));
      handle.at = null;
      return;
    }
    const current = this.entryAt(handle.at);
    const slot = current ? current.slot : this.slotFor(list);
    const rec = { ...record, seq: current ? current.record.seq : this.takeSeq() };
    this.commit((ops) => {
      if (current) this.change(ops, current, rec);
      else this.put(ops, slot, rec);
      const others = this.entries.filter((e) => e.list === list && e.slot !== slot);
      for (const e of others.slice(0, Math.max(0, others.length - (MAX_ENTRIES_PER_LIST - 1)))) this.remove(ops, e.slot);
    });
    handle.at = slot;
  }

  /** A new entry's slot: the list's oldest entry's when the list is full (overwritten, no delete needed), else a free one. */
  private slotFor(list: CallListName): string {
    const used = this.entries.filter((e) => e.list === list);
    if (used.length >= MAX_ENTRIES_PER_LIST) return used[0].slot;
    for (let s = 0; ; s++) if (!this.entries.some((e) => e.slot === String(s))) return String(s);
  }

  private entryAt(slot: string | null): StoredEntry | undefined {
    return slot === null ? undefined : this.entries.find((e) => e.slot === slot);
  }

  private pending: (() => void)[] = [];

  private put(ops: CallListOps, slot: string, record: CallRecord): void {
    ops.put(slot, record);
    this.keep(slot, record, 0);
  }

  /** The fields of `record` that differ from the entry's, appended; the whole entry when that is no smaller or the file has enough patches. */
  private change(ops: CallListOps, entry: StoredEntry, record: CallRecord): void {
    const fields: Partial<CallRecord> = {};
    const was = entry.record as unknown as Record<string, unknown>;
    const now = record as unknown as Record<string, unknown>;
    for (const k of Object.keys(now)) if (JSON.stringify(was[k]) !== JSON.stringify(now[k])) (fields as Record<string, unknown>)[k] = now[k];
    if (Object.keys(fields).length === 0) return;
    if (entry.patches >= MAX_PATCHES_PER_ENTRY || Object.keys(was).some((k) => now[k] === undefined) || JSON.stringify(fields).length >= JSON.stringify(record).length) {
      this.put(ops, entry.slot, record);
      return;
    }
    ops.patch(entry.slot, fields);
    this.keep(entry.slot, record, entry.patches + 1);
  }

  /** RAM follows once the transaction commits, with a copy of what was written (the controller keeps changing its record: the next change is diffed against this). */
  private keep(slot: string, written: CallRecord, patches: number): void {
    const record = JSON.parse(JSON.stringify(written)) as CallRecord;
    this.pending.push(() => {
      this.entries = this.entries.filter((e) => e.slot !== slot);
      this.entries.push({ list: listOf(record), slot, record, patches });
      this.entries.sort((a, b) => a.record.seq - b.record.seq);
    });
  }

  private remove(ops: CallListOps, slot: string): void {
    if (!this.entryAt(slot)) return;
    ops.remove(slot);
    this.pending.push(() => { this.entries = this.entries.filter((e) => e.slot !== slot); });
  }

  /** One store transaction (with 'erase': and a re-key); RAM follows only once it committed (a failed write keeps the last good lists). */
  private commit(fn: (ops: CallListOps) => void, mode: 'keep' | 'erase' = 'keep'): void {
    this.pending = [];
    try {
      if (mode === 'erase') this.store.changeAndErase(this.user, fn);
      else this.store.change(this.user, fn);
    } catch (e) {
      this.pending = [];
      this.log(`call list write failed (${(e as Error).message}): lists unchanged`);
      return;
    }
    for (const apply of this.pending) apply();
    this.pending = [];
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
