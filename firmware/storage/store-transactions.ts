/**
 * Files as callers see them: read, write, append, delete, and several
 * changes as one all-or-nothing transaction; appended files are kept to a
 * bounded number of records by merging the newest small ones.
 */
import { utf8Encode } from '../kernel/text-codec';
import { StorageFullError, StorageUsageError } from './errors';
import { RecordKind } from './record-format';
import { MERGE_TRIGGER, READ_BATCH_BYTES } from './store-limits';
import type { Outgoing, PathOps, RecordRef, StagedTransaction, StoreOptions, Transaction } from './store-types';
import { CollectingStore } from './garbage-collection';

export abstract class TransactionalStore extends CollectingStore {

  read(path: string): Uint8Array | null {
    const [data] = this.readEach([path]);
    if (data instanceof Error) throw data;
    return data;
  }

  /**
   * Several files at once (a user's call-list entries): null for a file that
   * does not exist, the Error of one that cannot be read (its CRC, its key),
   * the others read all the same. Their records share flash reads and one
   * decryption call per READ_BATCH_BYTES of records: each batch is copied
   * into its file and dropped before the next is read, so reading a file
   * holds little more than the file (a 650 KB directory file read in one
   * batch was held three times over when joined: as stored, decrypted and
   * joined).
   */
  readEach(paths: string[]): (Uint8Array | null | Error)[] {
    const files = paths.map((p) => this.liveFile(p));
    const out: (Uint8Array | Error | null)[] = files.map((f) => (f ? new Uint8Array(f.records.reduce((n, r) => n + r.size, 0)) : null));
    const filled = files.map(() => 0);
    const refs = files.flatMap((f, file) => (f ? f.records.map((r) => ({ f, r, file })) : []));
    for (let i = 0; i < refs.length;) {
      let end = i + 1;
      for (let bytes = refs[i].r.extent; end < refs.length && bytes + refs[end].r.extent <= READ_BATCH_BYTES; end++) bytes += refs[end].r.extent;
      const batch = refs.slice(i, end);
      const stored = this.readRecords(batch.map((x) => x.r));
      const parts = this.readDataEach(batch.map((x, k) => ({ f: x.f, r: x.r, bytes: stored[k] })));
      parts.forEach((part, k) => {
        const { f, r, file } = batch[k];
        const into = out[file];
        if (!(into instanceof Uint8Array)) return; // failed already
        if (part instanceof Error) out[file] = part;
        else if (part.length !== r.size) out[file] = new Error(`store: record of ${f.path} at block ${r.block}+${r.offset} holds ${part.length} bytes, its header says ${r.size}`);
        else {
          into.set(part, filled[file]);
          filled[file] += part.length;
        }
      });
      i = end;
    }
    return out;
  }

  exists(path: string): boolean {
    return !!this.liveFile(path);
  }

  write(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.write(path, data, opts));
  }

  append(path: string, data: Uint8Array, opts: StoreOptions): void {
    this.transaction((tx) => tx.append(path, data, opts));
  }

  delete(path: string): void {
    this.transaction((tx) => tx.delete(path));
  }

  /**
   * Several changes, all or nothing (also across a power cut). Within one
   * transaction a later change to a path replaces an earlier one.
   */
  transaction(fn: (tx: Transaction) => void): void {
    const staged = this.stage(fn);
    if (staged.out.length === 0) return;
    this.checkFileCap(staged.created);
    this.commit(staged.out, staged.onlyDeletes ? 'shrink' : 'data');
    this.afterCommit(staged.ops);
  }

  /** The records of a transaction's changes, encoded (and sealed) but not yet programmed. */
  protected stage(fn: (tx: Transaction) => void): StagedTransaction {
    const txSeq = this.nextTxSeq;
    const ops = new Map<string, PathOps>();
    const writeOps = (path: string, data: Uint8Array, opts: StoreOptions): void => {
      this.checkClass(opts.cls);
      const user = opts.user ?? '';
      const items = this.chunks(RecordKind.Write, path, data, opts.cls, user, txSeq, 0);
      ops.delete(path);
      ops.set(path, { items, nextChunk: items.length, cls: opts.cls, user, creates: !this.liveFile(path) });
    };
    fn({
      write: writeOps,
      append: (path, data, opts) => {
        this.checkClass(opts.cls);
        const user = opts.user ?? '';
        const pending = ops.get(path);
        const f = this.liveFile(path);
        if (pending ? pending.nextChunk === null : !f || f.records.length === 0) return writeOps(path, data, opts);
        const cls = pending ? pending.cls : f!.cls;
        const owner = pending ? pending.user : f!.user;
        if (cls !== opts.cls) throw new StorageUsageError(`append to ${path}: file is of class ${cls}, not ${opts.cls}`);
        if (owner !== user) throw new StorageUsageError(`append to ${path}: file belongs to user "${owner}", not "${user}"`);
        const next = pending ? pending.nextChunk! : f!.records[f!.records.length - 1].last + 1;
        const items = this.chunks(RecordKind.Append, path, data, cls, user, txSeq, next);
        if (pending) {
          pending.items.push(...items);
          pending.nextChunk = next + items.length;
        } else {
          ops.set(path, { items, nextChunk: next + items.length, cls, user, creates: false });
        }
      },
      delete: (path) => {
        ops.delete(path);
        const f = this.liveFile(path);
        if (!f) return;
        const pathBytes = this.checkPath(path);
        ops.set(path, { items: [this.encode(RecordKind.Delete, f.cls, f.user, path, pathBytes, utf8Encode(f.user), txSeq, 0, 0, new Uint8Array(0))], nextChunk: null, cls: f.cls, user: f.user, creates: false });
      },
    });
    const out: Outgoing[] = [];
    let created = 0;
    let onlyDeletes = true;
    for (const op of ops.values()) {
      out.push(...op.items);
      if (op.creates) created++;
      if (op.nextChunk !== null) onlyDeletes = false;
    }
    return { ops, out, created, onlyDeletes };
  }

  protected checkFileCap(created: number): void {
    if (created > 0 && this.liveFileCount() + created > this.maxFiles) {
      throw new StorageFullError(`${this.maxFiles} files is the most this store keeps`);
    }
  }

  protected afterCommit(ops: Map<string, PathOps>): void {
    for (const [path, op] of ops) if (op.nextChunk !== null && op.nextChunk > 1) this.mergeIfFragmented(path);
    this.trimDeletedEntries();
  }

  /** Keep appended files to a bounded number of records by merging the newest small ones. */
  protected mergeIfFragmented(path: string): void {
    const f = this.liveFile(path);
    if (!f) return;
    const pathBytes = utf8Encode(path);
    const userBytes = utf8Encode(f.user);
    const room = this.roomFor(f.cls, pathBytes.length, userBytes.length);
    let small = 0;
    for (const r of f.records) if (r.size < room / 2) small++;
    if (small <= MERGE_TRIGGER) return;
    // The newest run of two or more adjacent small records that fits one record (never chunk 0, the Write).
    const isSmall = (r: RecordRef) => r.size < room / 2;
    let run: RecordRef[] = [];
    let size = 0;
    for (let end = f.records.length - 1; end >= 2 && run.length < 2; end--) {
      if (!isSmall(f.records[end])) continue;
      let start = end;
      size = f.records[end].size;
      while (start - 1 >= 1 && isSmall(f.records[start - 1]) && size + f.records[start - 1].size <= room) size += f.records[--start].size;
      run = f.records.slice(start, end + 1);
    }
    if (run.length < 2) return;
    const data = new Uint8Array(size);
    let at = 0;
    for (const r of run) {
      const d = this.readData(f, r);
      data.set(d, at);
      at += d.length;
    }
    try {
      this.commit([this.encode(RecordKind.Merge, f.cls, f.user, path, pathBytes, userBytes, this.nextTxSeq, run[0].first, run[run.length - 1].last, data)], 'data');
    } catch (e) {
      // The append itself is committed; merging waits for space.
      if (!(e instanceof StorageFullError)) throw e;
      this.log(`store: ${path}: merge of ${run.length} records postponed (${e.message})`);
    }
  }
}
