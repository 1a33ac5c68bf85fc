/**
 * Delete is erase. A class erase commits an erase intent, destroys the
 * class's keys and erases every block holding a record of the class (the
 * other classes' live records moved out first); a re-key rewrites a class's
 * live files under a new key generation, then does the same for the older
 * generations; clear records of sealed classes left by older firmware are
 * rewritten sealed. A mount that finds an unfinished intent finishes it.
 */
import { bytesToHex } from '../kernel/hex';
import { utf8Decode } from '../kernel/text-codec';
import { party } from '../kernel/party';
import { DATA_CLASSES, classByCode, classKeyName, type DataClassId } from './data-classes';
import { StorageUsageError } from './errors';
import { BLOCK_HEADER_BYTES, FLAG_ALL_USERS, FLAG_REKEY, FLAG_SEALED, KEY_GENERATION_BYTES, RECORD_HEADER_BYTES, RecordKind, UNIT, decodeMeta, decodeRecordHeader, get32, sealedGeneration, walkRecords, type RecordHeader } from './record-format';
import { USER_HASH_BYTES } from './store-limits';
import type { EraseIntent, EraseReport, FileEntry, RecordRef, ScrubMatch, Transaction } from './store-types';
import { TransactionalStore } from './store-transactions';
import { bytesEqual, generationKey } from './record-sealing';

export abstract class ErasingStore extends TransactionalStore {
  /** Mount saw a record of a sealed class in clear (an image from firmware that did not seal the class). */
  protected clearRecordsSeen = false;

  /**
   * Cryptographic erase plus clear: commit an EraseIntent, destroy the
   * class's key(s), and erase every block holding any record of the class
   * (all users, or one user), after moving the other classes' live records
   * out. Works on a full partition. Interrupted, it is finished at mount.
   */
  eraseClass(cls: DataClassId, user?: string): EraseReport {
    this.checkClass(cls);
    const before = { ...this.counters };
    const allUsers = user === undefined;
    const code = DATA_CLASSES[cls].code;
    const userHash = allUsers ? new Uint8Array(0) : this.userHash(user!);
    const intent = this.encodeIntent(code, allUsers, userHash, this.nextTxSeq, null);
    const [ref] = this.commit([intent], 'shrink');
    this.activeIntent = { code, allUsers, userHash, seq: ref.origSeq, ref, rekeyGen: null };
    let done: { blocks: number; moved: number };
    try {
      this.destroyKeys(cls, user);
      this.log(`store: erasing class ${cls}${allUsers ? '' : ` of user ${party(user!, 'user')}`}`);
      done = this.scrub(
        (c, u, origSeq) => c === code && (allUsers || u === user) && origSeq < ref.origSeq,
        (f) => f.cls === cls && (allUsers || f.user === user),
      );
    } finally {
      // Unfinished (no space to move other records, power cut): the committed intent makes the next mount finish it.
      this.activeIntent = null;
    }
    return this.eraseReport(before, done);
  }

  /**
   * Seal what older firmware left in clear: every live file of a sealed
   * class with a clear record is rewritten (sealed), then every block still
   * holding a clear record of a sealed class (live copies gone, stale ones
   * left) is erased. The firmware calls this after mount; inspection tools,
   * which mount read-only, do not. Returns the number of files rewritten.
   */
  sealClearRecords(): number {
    if (!this.clearRecordsSeen) return 0;
    let rewritten = 0;
    for (const f of [...this.files.values()]) {
      if (f.deleted || !DATA_CLASSES[f.cls].sealed || f.records.every((r) => this.isSealedRecord(r))) continue;
      this.write(f.path, this.read(f.path)!, { cls: f.cls, ...(f.user ? { user: f.user } : {}) });
      rewritten++;
    }
    const { blocks } = this.scrub((code, _user, _seq, _gen, h) => {
      const cls = classByCode(code);
      return !!cls && isClearRecordOfSealedClass(cls, h);
    }, () => false);
    this.log(`store: ${rewritten} files of sealed classes were in clear: rewritten sealed, ${blocks} blocks erased`);
    this.clearRecordsSeen = false;
    return rewritten;
  }

  protected holdsClearRecordsOfSealedClasses(b: number): boolean {
    let found = false;
    walkRecords(this.readBlock(b), BLOCK_HEADER_BYTES, (_at, h) => {
      const cls = h.kind === RecordKind.Commit || h.kind === RecordKind.EraseIntent ? undefined : classByCode(h.classCode);
      if (cls && isClearRecordOfSealedClass(cls, h)) found = true;
    });
    return found;
  }

  protected isSealedRecord(r: RecordRef): boolean {
    const h = decodeRecordHeader(this.part.read(r.block * this.part.blockSize + r.offset, RECORD_HEADER_BYTES), 0);
    return (h.flags & FLAG_SEALED) !== 0;
  }

  /**
   * Delete is erase: make everything of class `cls` of `user` ('' or
   * absent: the phone's own) that is no longer live undecryptable and gone
   * from flash. In ONE transaction: the caller's `changes` (typically the
   * deletes the user asked for), every other live file of the class and
   * user rewritten under a new key generation, and a re-key intent. Then
   * the older generations' keys are destroyed and every block holding a
   * record sealed under them is erased (other records moved out first), as
   * in a class erase. A power cut before the Commit leaves the old state
   * (changes not made); after it the new one, finished at mount.
   */
  rekeyClass(cls: DataClassId, user = '', changes?: (tx: Transaction) => void): EraseReport {
    this.checkClass(cls);
    if (!DATA_CLASSES[cls].sealed) throw new StorageUsageError(`class ${cls} is not sealed: nothing to re-key`);
    this.checkUser(user);
    const before = { ...this.counters };
    const code = DATA_CLASSES[cls].code;
    const generation = this.currentGeneration(cls, user) + 1;
    this.crypto.generateKey(classKeyName(cls, user || undefined, generation));
    this.generations.set(generationKey(cls, user), generation);
    const userHash = this.userHash(user);
    // A failure before the Commit (flash full) leaves the new key sealing nothing that counts; later writes simply use it.
    const staged = this.stage((tx) => {
      // Rewrites first: the caller's changes then replace, extend or delete them like any later change in a transaction.
      for (const f of [...this.files.values()]) {
        if (f.deleted || f.cls !== cls || f.user !== user) continue;
        let data: Uint8Array | null;
        try {
          data = this.read(f.path);
        } catch (e) {
          // Unreadable already: it goes with the old generation.
          this.log(`store: ${f.path} unreadable (${(e as Error).message}): not carried into the new key`);
          continue;
        }
        if (data) tx.write(f.path, data, { cls, ...(user ? { user } : {}) });
      }
      changes?.(tx);
    });
    this.checkFileCap(staged.created);
    const refs = this.commit([...staged.out, this.encodeIntent(code, false, userHash, this.nextTxSeq, generation)], 'data');
    const intentRef = refs[refs.length - 1];
    this.activeIntent = { code, allUsers: false, userHash, seq: intentRef.origSeq, ref: intentRef, rekeyGen: generation };
    let done: { blocks: number; moved: number };
    try {
      this.destroyGenerationsBelow(cls, user, generation);
      this.log(`store: re-keyed class ${cls}${user ? ` of user ${party(user, 'user')}` : ''} to generation ${generation}`);
      done = this.scrub(
        (c, u, _origSeq, gen) => c === code && u === user && gen !== null && gen < generation,
        (f) => f.cls === cls && f.user === user && f.records.some((r) => r.gen >= 0 && r.gen < generation),
      );
    } finally {
      this.activeIntent = null;
    }
    this.trimDeletedEntries();
    return this.eraseReport(before, done);
  }

  /** What an erase or re-key cost, from the counters before it and the scrub's result. */
  protected eraseReport(before: { programOps: number; programBytes: number; eraseOps: number }, done: { blocks: number; moved: number }): EraseReport {
    return {
      blocksErased: done.blocks,
      recordsMoved: done.moved,
      programOps: this.counters.programOps - before.programOps,
      programBytes: this.counters.programBytes - before.programBytes,
      eraseOps: this.counters.eraseOps - before.eraseOps,
    };
  }

  /**
   * Erase every block that holds a record matching `match` (committed or not,
   * live or dead), every damaged block and every unclean free block, after
   * removing `doomed` files from the index and moving the live records of
   * the others out. Victims with the most garbage go first, so the copies
   * always fit.
   */
  protected scrub(match: ScrubMatch, doomed: (f: FileEntry) => boolean): { blocks: number; moved: number } {
    for (const f of [...this.files.values()]) {
      if (doomed(f) && !f.deleted) {
        f.records = [];
        f.deleted = true;
      }
      if (doomed(f)) f.tombstone = null;
    }
    const t = this.blocks;
    // Block numbers. Blank (never used) flash needs nothing; anything else outside the log may hold class data.
    const victims: number[] = this.dirtyOutsideLog();
    for (let b = 0; b < t.count; b++) {
      if (!t.isActive(b)) continue;
      const bytes = this.readBlock(b);
      let hit = t.damaged[b] === 1;
      walkRecords(bytes, BLOCK_HEADER_BYTES, (at, h) => {
        if (hit || h.kind === RecordKind.Commit || h.kind === RecordKind.EraseIntent) return;
        const m = decodeMeta(bytes, at, h, utf8Decode);
        if (match(h.classCode, m.user, m.origSeq, sealedGeneration(bytes, at, h, m), h)) hit = true;
      });
      if (hit) victims.push(b);
    }
    for (const b of victims) if (!t.isActive(b)) this.eraseBlock(b, false);
    // A victim holding the Commit of live records elsewhere takes their blocks with it (they move first).
    const remaining = victims.filter((b) => t.isActive(b));
    for (let grew = true; grew; ) {
      grew = false;
      const chosen = new Set(remaining);
      const visit = (r: RecordRef) => {
        if (chosen.has(r.commitBlock) && !chosen.has(r.block)) {
          chosen.add(r.block);
          remaining.push(r.block);
          grew = true;
        }
      };
      for (const f of this.files.values()) {
        f.records.forEach(visit);
        if (f.tombstone) visit(f.tombstone);
      }
    }
    let moved = 0;
    const erased = victims.filter((b) => !t.isActive(b)).length + remaining.length;
    while (remaining.length) {
      // Most garbage first (the copies always fit), never a block still pinned by another victim's records.
      const { live, pinned } = this.liveLayout();
      let pick = -1;
      for (let i = 0; i < remaining.length; i++) {
        const b = remaining[i];
        if (pinned[b]) continue;
        if (pick < 0 || live[b] < live[remaining[pick]] || (live[b] === live[remaining[pick]] && t.seq[b] < t.seq[remaining[pick]])) pick = i;
      }
      if (pick < 0) pick = remaining.reduce((m, b, i) => (t.seq[b] < t.seq[remaining[m]] ? i : m), 0);
      const [b] = remaining.splice(pick, 1);
      moved += this.relocate(b);
    }

    return { blocks: erased, moved };
  }

  /** Finish class erases a power cut interrupted; scrub data whose key is gone. */
  protected finishErases(intents: EraseIntent[], oldest: Map<string, { code: number; user: string; origSeq: number }>,
    oldestGen: Map<string, { code: number; user: string; gen: number }>, orphanKeys: Map<string, { code: number; user: string; gen: number }>): void {
    const newest = new Map<string, EraseIntent>();
    for (const it of intents) {
      const key = `${it.code}\u0000${it.allUsers ? '*' : bytesToHex(it.userHash)}`;
      const seen = newest.get(key);
      if (!seen || it.seq > seen.seq) newest.set(key, it);
    }
    let dirty: boolean | null = null;
    for (const it of newest.values()) {
      const cls = classByCode(it.code);
      if (!cls) continue;
      const matchesUser = (user: string) => it.allUsers || bytesEqual(this.userHash(user), it.userHash);
      const rekeyGen = it.rekeyGen;
      let leftovers = false;
      if (rekeyGen !== null) {
        for (const o of oldestGen.values()) if (o.code === it.code && o.gen < rekeyGen && matchesUser(o.user)) leftovers = true;
      } else {
        for (const o of oldest.values()) if (o.code === it.code && o.origSeq < it.seq && matchesUser(o.user)) leftovers = true;
      }
      // A torn erase or torn record may hold class data outside the log: scrub it even when the log is clean.
      if (!leftovers) {
        if (dirty === null) dirty = this.hasDirtyBlocks();
        if (!dirty) continue;
      }
      this.log(`store: finishing interrupted ${rekeyGen === null ? 'erase' : 're-key'} of class ${cls}`);
      this.activeIntent = it;
      if (rekeyGen !== null) {
        if (leftovers) for (const o of oldestGen.values()) if (o.code === it.code && matchesUser(o.user)) this.destroyGenerationsBelow(cls, o.user, rekeyGen);
        this.scrub((c, u, _origSeq, gen) => c === it.code && gen !== null && gen < rekeyGen && matchesUser(u),
          (f) => f.cls === cls && matchesUser(f.user) && f.records.some((r) => r.gen >= 0 && r.gen < rekeyGen));
      } else {
        if (leftovers) {
          if (it.allUsers) this.destroyKeys(cls);
          else for (const o of oldest.values()) if (o.code === it.code && matchesUser(o.user)) this.destroyKeys(cls, o.user);
        }
        this.scrub((c, u, origSeq) => c === it.code && origSeq < it.seq && matchesUser(u), (f) => f.cls === cls && f.resetSeq < it.seq && matchesUser(f.user));
      }
      this.activeIntent = null;
      dirty = false;
    }
    for (const { code, user, gen } of orphanKeys.values()) {
      const cls = classByCode(code)!;
      if (this.crypto.hasKey(classKeyName(cls, user || undefined, gen))) continue;
      this.log(`store: records of class ${cls}${user ? ` of user ${party(user, 'user')}` : ''} have no key (erased): scrubbing them`);
      this.scrub((c, u, _origSeq, g) => c === code && u === user && g === gen, (f) => f.cls === cls && f.user === user && f.records.some((r) => r.gen === gen));
    }
  }

  protected hasDirtyBlocks(): boolean {
    const t = this.blocks;
    for (let b = 0; b < t.count; b++) if (t.isActive(b) && t.damaged[b] === 1) return true;
    return this.dirtyOutsideLog().length > 0;
  }
}

/** An erase or re-key intent as read from flash (data: user hash, and for a re-key the generation). */
export function intentOf(code: number, flags: number, data: Uint8Array, seq: number, ref: RecordRef): EraseIntent {
  const rekey = (flags & FLAG_REKEY) !== 0 && data.length >= USER_HASH_BYTES + KEY_GENERATION_BYTES;
  return {
    code, allUsers: (flags & FLAG_ALL_USERS) !== 0, seq, ref,
    userHash: rekey ? data.slice(0, USER_HASH_BYTES) : data,
    rekeyGen: rekey ? get32(data, USER_HASH_BYTES) : null,
  };
}

/** A data record (deletes carry no data) of a class that seals, written in clear. */
export function isClearRecordOfSealedClass(cls: DataClassId, h: RecordHeader): boolean {
  return DATA_CLASSES[cls].sealed && h.kind !== RecordKind.Delete && (h.flags & FLAG_SEALED) === 0;
}
