/**
 * The call-list recorder: keeps the Missed, Received and Placed lists of the
 * current owner (the phone, or the logged-in user) in RAM and on flash.
 *
 * - a call's record is written as `Partial` when the call starts, moved
 *   when it changes list (an incoming call goes from Missed to Received
 *   when answered) and completed when it ends;
 * - `feature.callList.enabled=0` writes nothing at all; a disabled list
 *   keeps nothing;
 * - `callLists.collapseDuplicates`: a call that ends incomplete (never
 *   connected) right after an incomplete one with the same party and
 *   direction is folded into it (count + 1, newest start time);
 * - `callLists.logConsultationCalls=0`: a consultation call is listed only
 *   if it was joined into a conference.
 */
import { listOf, remoteOf, type CallListName, type CallRecord } from './call-record';
import { MAX_ENTRIES_PER_LIST, type CallListOps, type CallListStore, type StoredEntry } from './call-list-store';

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
  at: { list: CallListName; slot: number } | null;
  consultation: boolean;
  conferenced: boolean;
}

export class CallListRecorder {
  private entries: StoredEntry[] = [];
  private user: string | null = null;
  private nextSeq = 1;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly store: CallListStore, private readonly settings: RecorderSettings, private readonly log: (msg: string) => void) {}

  /** Switch owner (login/logout): the lists shown and written are this user's (null: the phone's). */
  setUser(user: string | null): void {
    this.user = user;
    this.reload();
  }

  currentUser(): string | null {
    return this.user;
  }

  reload(): void {
    this.entries = this.store.load(this.user);
    this.nextSeq = this.entries.reduce((n, e) => Math.max(n, e.record.seq + 1), 1);
    this.changed();
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
    if (handle.at && handle.at.list === listOf(record)) return;
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
        const folded: CallRecord = { ...record, seq: this.nextSeq++, count: previous.record.count + record.count };
        this.commit((ops) => {
          if (handle.at) this.remove(ops, handle.at);
          this.put(ops, previous.list, previous.slot, folded);
        });
        handle.at = { list, slot: previous.slot };
        return;
      }
    }
    this.place(handle, record);
  }

  /** Delete one entry of a list (index in newest-first order): erased, not only hidden (one re-key of the owner's lists). */
  deleteEntry(list: CallListName, index: number): void {
    const entry = this.entries.filter((e) => e.list === list).reverse()[index];
    if (entry) this.commit((ops) => this.remove(ops, entry), 'erase');
  }

  /** Clear one list, or all of them: erased, not only hidden (one re-key of the owner's lists). */
  clear(list?: CallListName): void {
    const doomed = this.entries.filter((e) => !list || e.list === list);
    if (doomed.length > 0) this.commit((ops) => doomed.forEach((e) => this.remove(ops, e)), 'erase');
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
    this.commit((ops) => {
      old.forEach((e) => this.remove(ops, e));
      for (const [list, rs] of keep) rs.forEach((r, slot) => this.put(ops, list, slot, { ...r, seq: this.nextSeq++ }));
    });
  }

  // ── internals ──

  /** The owner switched since the call opened: its record is dropped (the previous owner's lists are gone or not shown). */
  private ownerChanged(handle: RecordHandle): boolean {
    if (handle.owner === this.user) return false;
    handle.at = null;
    return true;
  }

  /** Write `record` to the list it belongs to now (moving it if its list changed). */
  private place(handle: RecordHandle, record: CallRecord): void {
    const list = listOf(record);
    const wanted = this.settings.listEnabled(list) && !(handle.consultation && !handle.conferenced && !this.settings.logConsultationCalls());
    if (!wanted) {
      if (handle.at) this.commit((ops) => this.remove(ops, handle.at!));
      handle.at = null;
      return;
    }
    const stay = handle.at && handle.at.list === list ? handle.at : null;
    const slot = stay ? stay.slot : this.freeSlot(list);
    const rec = { ...record, seq: stay ? this.entryAt(stay)?.record.seq ?? this.nextSeq++ : this.nextSeq++ };
    this.commit((ops) => {
      if (handle.at && !stay) this.remove(ops, handle.at);
      this.put(ops, list, slot, rec);
    });
    handle.at = { list, slot };
  }

  /** A free slot, or the oldest entry's (dropped). */
  private freeSlot(list: CallListName): number {
    const used = this.entries.filter((e) => e.list === list);
    for (let s = 0; s < MAX_ENTRIES_PER_LIST; s++) if (!used.some((e) => e.slot === s)) return s;
    return used[0].slot;
  }

  private entryAt(at: { list: CallListName; slot: number } | null): StoredEntry | undefined {
    return at ? this.entries.find((e) => e.list === at.list && e.slot === at.slot) : undefined;
  }

  private pending: (() => void)[] = [];

  private put(ops: CallListOps, list: CallListName, slot: number, record: CallRecord): void {
    ops.put(list, slot, record);
    this.pending.push(() => {
      this.entries = this.entries.filter((e) => !(e.list === list && e.slot === slot));
      this.entries.push({ list, slot, record });
      this.entries.sort((a, b) => a.record.seq - b.record.seq);
    });
  }

  private remove(ops: CallListOps, at: { list: CallListName; slot: number }): void {
    if (!this.entryAt(at)) return;
    ops.remove(at.list, at.slot);
    this.pending.push(() => { this.entries = this.entries.filter((e) => !(e.list === at.list && e.slot === at.slot)); });
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
