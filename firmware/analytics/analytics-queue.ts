/**
 * The upload queue on flash: one file per message, `analytics/q/<seq>`, in
 * the sealed `analytics` class, so messages survive reboots and power cuts
 * and a class erase removes them all. Each enqueue and each acknowledge is
 * one atomic store commit: after a power cut at any flash operation a
 * message is either wholly there or not, and one that was sent but whose
 * removal was cut is sent again (at-least-once; its id lets the receiver
 * drop the duplicate).
 *
 * Bounded: when full, the oldest message is dropped in the same commit as the
 * new one is written. Drops are counted in the next message enqueued
 * (`droppedBefore`); dropping a message that carried such a count adds it to
 * the count again, so no drop goes unreported.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';

const PREFIX = 'analytics/q/';
const STATE = 'analytics/state';

export interface QueuedMessage {
  seq: number;
  /** Message id for de-duplication by the receiver (also inside `body`). */
  id: string;
  service: string;
  /** The JSON payload as published. */
  body: string;
}

interface StoredMessage { id: string; service: string; body: string; droppedBefore: number }

export class AnalyticsQueue {
  private seqs: number[] = [];
  /** Drops not yet reported in a message. */
  private unreported = 0;

  constructor(private readonly fs: FileStore, private capacity: number, private readonly log: (m: string) => void) {
    this.reload();
  }

  /** Re-read from flash (after a class erase, or at boot). */
  reload(): void {
    this.seqs = [];
    for (const f of this.fs.list(PREFIX)) {
      const seq = Number(f.path.slice(PREFIX.length));
      if (Number.isInteger(seq) && seq > 0) this.seqs.push(seq);
    }
    this.seqs.sort((a, b) => a - b);
    try {
      const state = this.fs.read(STATE);
      this.unreported = state ? Number(JSON.parse(utf8Decode(state)).dropped) || 0 : 0;
    } catch (e) {
      this.log(`analytics queue state unreadable (${(e as Error).message}): drop count restarts at 0`);
      this.unreported = 0;
    }
  }

  get length(): number {
    return this.seqs.length;
  }

  /** Drops waiting to be reported with the next message. */
  get pendingDrops(): number {
    return this.unreported;
  }

  setCapacity(n: number): void {
    this.capacity = Math.max(1, n);
  }

  /**
   * Add a message; `build` gets the number of drops it must report and returns
   * its id and body. Throws when the store refuses the write (nothing changed).
   */
  enqueue(service: string, build: (droppedBefore: number) => { id: string; body: string }): QueuedMessage {
    const victims = this.seqs.length >= this.capacity ? this.seqs.slice(0, this.seqs.length - this.capacity + 1) : [];
    let dropped = this.unreported;
    for (const v of victims) dropped += 1 + (this.readStored(v)?.droppedBefore ?? 0);
    const { id, body } = build(dropped);
    const seq = (this.seqs.length ? this.seqs[this.seqs.length - 1] : 0) + 1;
    const stored: StoredMessage = { id, service, body, droppedBefore: dropped };
    this.fs.transaction((tx) => {
      for (const v of victims) tx.delete(PREFIX + v);
      tx.write(PREFIX + seq, utf8Encode(JSON.stringify(stored)), { cls: 'analytics' });
      // The count now travels in this message.
      if (this.fs.exists(STATE)) tx.delete(STATE);
    });
    if (victims.length) this.log(`analytics queue full (${this.capacity}): dropped ${victims.length} oldest message(s)`);
    this.seqs = this.seqs.filter((s) => !victims.includes(s));
    this.seqs.push(seq);
    this.unreported = 0;
    return { seq, id, service, body };
  }

  /** The oldest message, or null. A message that cannot be read is removed and counted as dropped. */
  oldest(): QueuedMessage | null {
    while (this.seqs.length) {
      const seq = this.seqs[0];
      const m = this.readStored(seq);
      if (m) return { seq, id: m.id, service: m.service, body: m.body };
      this.log(`analytics message ${seq} unreadable: dropped`);
      this.unreported++;
      try {
        this.fs.transaction((tx) => {
          tx.delete(PREFIX + seq);
          tx.write(STATE, utf8Encode(JSON.stringify({ dropped: this.unreported })), { cls: 'analytics' });
        });
      } catch { /* retried at the next read */ }
      this.seqs.shift();
    }
    return null;
  }

  /** The broker has it (PUBACK): remove it. */
  acknowledge(seq: number): void {
    this.fs.delete(PREFIX + seq);
    this.seqs = this.seqs.filter((s) => s !== seq);
  }

  private readStored(seq: number): StoredMessage | null {
    try {
      const bytes = this.fs.read(PREFIX + seq);
      if (!bytes) return null;
      const m = JSON.parse(utf8Decode(bytes)) as StoredMessage;
      return typeof m.body === 'string' && typeof m.service === 'string' ? m : null;
    } catch {
      return null;
    }
  }
}
