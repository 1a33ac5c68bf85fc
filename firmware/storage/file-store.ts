/**
 * The flash store: named files over one raw NOR partition, power-loss safe,
 * wear aware, with cryptographic erase by data class. The on-flash format and
 * the rules that make it safe are in docs/storage-format.md; in short:
 *
 * - the partition is a log of blocks; records are appended to the head block;
 * - every change is a transaction: its records, then a Commit record naming
 *   the transaction and its record count; at mount, records without their
 *   Commit are ignored;
 * - garbage collection copies the live records of one block to the head
 *   (each keeps its original sequence number), commits the copies, voids
 *   the block's header, then erases it; interrupted at any point, the state
 *   at mount is "before" or "after" (duplicates resolve to one);
 * - sealed classes (personal data, secrets) are sealed (AES-256-GCM) under
 *   per-class / per-user keys in the HAL keystore; clear records of a sealed
 *   class left by older firmware are rewritten sealed by `sealClearRecords`; `eraseClass` commits an EraseIntent, destroys the
 *   key and erases every block holding a record of the class, moving the
 *   other classes' live records out first. A mount that finds an unfinished
 *   intent finishes the erase;
 * - `rekeyClass` makes a user's delete an erase: the class's live records
 *   are rewritten under a new key generation in one transaction with a
 *   re-key intent (and the caller's deletes), then the older keys are
 *   destroyed and every block holding records sealed under them erased,
 *   the same way as a class erase (and finished at mount the same way).
 *
 * RAM (docs/storage-format.md, "RAM bound"): one entry per block, one entry
 * per path that still has a record on flash, and one reference per live
 * record; appends are merged so a file keeps at most MERGE_TRIGGER small
 * records; live files are capped by `maxFiles`. Mount holds one block buffer
 * and the record references of one transaction. `read` assembles the file
 * being read.
 */
import type { Crypto, FlashPartition } from '../../hal/contract';
import type { FileInfo, LiveRecord, MountOptions, StoreStats } from './store-types';
import { MountingStore } from './store-mount';

export { DEFAULT_MAX_FILES, MERGE_TRIGGER } from './store-limits';
export type { EraseReport, FileInfo, LiveRecord, MountOptions, StoreOptions, StoreStats, Transaction } from './store-types';

export class FileStore extends MountingStore {
  /** Mount the store on a partition: rebuild the index from flash, finish interrupted erases. */
  static mount(part: FlashPartition, crypto: Crypto, log: (msg: string) => void = () => {}, options: MountOptions = {}): FileStore {
    const store = new FileStore(part, crypto, log, options);
    store.scan();
    return store;
  }

  /**
   * Which transaction wrote the current version of a file (null: no such
   * file). Files written in one transaction share it, whatever happens to
   * them later (garbage collection, merges); a later write of either one
   * changes it. Lets a caller keep a derived file beside its source.
   */
  version(path: string): number | null {
    const f = this.liveFile(path);
    return f ? f.resetSeq : null;
  }

  list(prefix = ''): FileInfo[] {
    const out: FileInfo[] = [];
    for (const f of this.files.values()) {
      if (f.deleted || !f.path.startsWith(prefix)) continue;
      out.push({ path: f.path, size: f.records.reduce((n, r) => n + r.size, 0), cls: f.cls, ...(f.user ? { user: f.user } : {}) });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  stats(): StoreStats {
    let liveBytes = 0;
    let refs = 0;
    for (const f of this.files.values()) {
      for (const r of f.records) liveBytes += r.extent;
      refs += f.records.length + (f.tombstone ? 1 : 0);
    }
    return {
      blocks: this.blocks.count,
      freeBlocks: this.freeCount(),
      files: this.liveFileCount(),
      liveBytes,
      eraseCounts: this.blocks.eraseCounts(),
      ...this.counters,
      index: { entries: this.files.size, refs },
    };
  }

  /** Every live record (data and tombstones) and where it sits: for inspection tools. */
  liveRecords(): LiveRecord[] {
    const out: LiveRecord[] = [];
    for (const f of this.files.values()) {
      for (const r of f.tombstone ? [...f.records, f.tombstone] : f.records) {
        out.push({ path: f.path, cls: f.cls, user: f.user, kind: r.kind, block: r.block, offset: r.offset, extent: r.extent });
      }
    }
    return out;
  }
}
