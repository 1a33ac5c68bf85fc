/**
 * Encoding records for the log: chunking a file's data, sealing sealed
 * classes under the current key generation of their class and user, and
 * unsealing on read; erase and re-key intents; key generations and their
 * destruction.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import { DATA_CLASSES, classKeyName, classKeysOf, type ClassKey, type DataClassId } from './data-classes';
import { StorageUsageError } from './errors';
import { FLAG_ALL_USERS, FLAG_KEY_GENERATION, FLAG_REKEY, FLAG_SEALED, KEY_GENERATION_BYTES, RECORD_HEADER_BYTES, RecordKind, UNIT, decodeMeta, decodeRecordHeader, encodeGeneration, encodeRecord, sealedGeneration, walkRecords } from './record-format';
import { MAX_PATH_BYTES, MAX_USER_BYTES, SEAL_OVERHEAD, USER_HASH_BYTES } from './store-limits';
import type { EraseIntent, FileEntry, Outgoing, RecordRef } from './store-types';
import type { SealedItem } from '../../hal/contract';
import { StoreIndex } from './store-index';

const EMPTY = new Uint8Array(0);

export abstract class SealingStore extends StoreIndex {
  /** Current key generation per class and user (cache of what the keystore holds). */
  protected readonly generations = new Map<string, number>();
  /** Newest key generation per class and user seen in records at mount. */
  protected readonly generationFloors = new Map<string, number>();
  /** Re-key intents seen at mount: their classes and users never seal under a generation below theirs again. */
  protected rekeyIntents: EraseIntent[] = [];


  protected chunks(kind: RecordKind, path: string, data: Uint8Array, cls: DataClassId, user: string, txSeq: number, firstChunk: number): Outgoing[] {
    const pathBytes = this.checkPath(path);
    const userBytes = this.checkUser(user);
    const room = this.roomFor(cls, pathBytes.length, userBytes.length);
    const out: Outgoing[] = [];
    let chunk = firstChunk;
    let at = 0;
    do {
      const piece = data.subarray(at, Math.min(data.length, at + room));
      out.push(this.encode(out.length === 0 ? kind : RecordKind.Append, cls, user, path, pathBytes, userBytes, txSeq, chunk, chunk, piece));
      chunk++;
      at += room;
    } while (at < data.length);
    return out;
  }

  protected encode(kind: RecordKind, cls: DataClassId, user: string, path: string, pathBytes: Uint8Array, userBytes: Uint8Array,
    txSeq: number, first: number, last: number, plain: Uint8Array): Outgoing {
    const sealed = DATA_CLASSES[cls].sealed && kind !== RecordKind.Delete;
    let data = plain;
    let flags = 0;
    if (sealed) {
      const generation = this.currentGeneration(cls, user);
      const key = classKeyName(cls, user || undefined, generation);
      if (!this.crypto.hasKey(key)) this.crypto.generateKey(key);
      data = this.crypto.encrypt(key, plain, this.aad(cls, path));
      flags = FLAG_SEALED;
      if (generation > 0) {
        // Generation 0 records carry no generation field: the format before re-keys existed.
        const withGeneration = new Uint8Array(KEY_GENERATION_BYTES + data.length);
        withGeneration.set(encodeGeneration(generation), 0);
        withGeneration.set(data, KEY_GENERATION_BYTES);
        data = withGeneration;
        flags |= FLAG_KEY_GENERATION;
      }
    }
    const meta = { path, user, origSeq: txSeq, chunkFirst: first, chunkLast: last, data };
    const bytes = encodeRecord(kind, DATA_CLASSES[cls].code, flags, txSeq, meta, pathBytes, userBytes);
    const header = decodeRecordHeader(bytes, 0);
    return { bytes, header, meta: decodeMeta(bytes, 0, header, utf8Decode), size: plain.length };
  }

  /** An erase intent, or (rekeyGen set) a re-key intent to that generation. */
  protected encodeIntent(code: number, allUsers: boolean, userHash: Uint8Array, txSeq: number, rekeyGen: number | null): Outgoing {
    const empty = new Uint8Array(0);
    let data = userHash;
    if (rekeyGen !== null) {
      data = new Uint8Array(USER_HASH_BYTES + KEY_GENERATION_BYTES);
      data.set(userHash, 0);
      data.set(encodeGeneration(rekeyGen), USER_HASH_BYTES);
    }
    const flags = (allUsers ? FLAG_ALL_USERS : 0) | (rekeyGen !== null ? FLAG_REKEY : 0);
    const bytes = encodeRecord(RecordKind.EraseIntent, code, flags, txSeq,
      { path: '', user: '', origSeq: txSeq, chunkFirst: 0, chunkLast: 0, data }, empty, empty);
    const header = decodeRecordHeader(bytes, 0);
    return { bytes, header, meta: decodeMeta(bytes, 0, header, utf8Decode), size: 0 };
  }

  protected aad(cls: DataClassId, path: string): Uint8Array {
    return utf8Encode(`${cls}:${path}`);
  }


  /** A record's data (unsealed), its CRC checked; `bytes`: the record as stored, when already read. */
  protected readData(f: FileEntry, r: RecordRef, bytes = this.part.read(r.block * this.part.blockSize + r.offset, r.extent)): Uint8Array {
    const opened = this.openRecord(f, r, bytes);
    return opened instanceof Uint8Array ? opened : this.crypto.decrypt(opened.keyName, opened.sealed, opened.aad);
  }

  /**
   * readData of many records (`bytes` as stored): CRCs and metadata one by
   * one, and the sealed ones decrypted in one host call where the HAL can
   * (`Crypto.decryptEach`; in QuickJS a host call costs ~0.15 ms, and a boot
   * reads a few hundred sealed records). A record that fails gives its Error.
   */
  protected readDataEach(items: { f: FileEntry; r: RecordRef; bytes: Uint8Array }[]): (Uint8Array | Error)[] {
    const out: (Uint8Array | Error)[] = [];
    const sealed: { at: number; item: SealedItem }[] = [];
    for (const { f, r, bytes } of items) {
      try {
        const opened = this.openRecord(f, r, bytes);
        if (!(opened instanceof Uint8Array)) sealed.push({ at: out.length, item: opened });
        out.push(opened instanceof Uint8Array ? opened : EMPTY);
      } catch (e) {
        out.push(e as Error);
      }
    }
    if (sealed.length === 0) return out;
    const plain = this.crypto.decryptEach
      ? this.crypto.decryptEach(sealed.map((s) => s.item))
      : sealed.map(({ item }) => { try { return this.crypto.decrypt(item.keyName, item.sealed, item.aad); } catch (e) { return (e as Error).message; } });
    sealed.forEach(({ at }, i) => { const p = plain[i]; out[at] = typeof p === 'string' ? new Error(p) : p; });
    return out;
  }

  /** A record's data if stored in clear, else what decrypting it takes; throws when its CRC fails. */
  private openRecord(f: FileEntry, r: RecordRef, bytes: Uint8Array): Uint8Array | SealedItem {
    const h = decodeRecordHeader(bytes, 0);
    let good = false;
    walkRecords(bytes, 0, () => { good = true; });
    if (!good) throw new Error(`store: record of ${f.path} at block ${r.block}+${r.offset} fails its CRC`);
    const m = decodeMeta(bytes, 0, h, utf8Decode);
    const data = bytes.subarray(m.dataOffset, m.dataOffset + m.dataLength);
    if (!(h.flags & FLAG_SEALED)) return data.slice();
    const gen = sealedGeneration(bytes, 0, h, m) ?? 0;
    const sealed = h.flags & FLAG_KEY_GENERATION ? data.subarray(KEY_GENERATION_BYTES) : data;
    return { keyName: classKeyName(f.cls, f.user || undefined, gen), sealed, aad: this.aad(f.cls, f.path) };
  }

  /**
   * The stored bytes of records (in the order given), each run of records
   * in one block read by one flash read: in QuickJS a read is a host call,
   * and a call-list entry's records (its write and its patches) usually
   * share a block.
   */
  protected readRecords(records: RecordRef[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < records.length; ) {
      const block = records[i].block;
      let from = records[i].offset;
      let to = from + records[i].extent;
      let j = i + 1;
      for (; j < records.length && records[j].block === block; j++) {
        from = Math.min(from, records[j].offset);
        to = Math.max(to, records[j].offset + records[j].extent);
      }
      const span = this.part.read(block * this.part.blockSize + from, to - from);
      for (; i < j; i++) out.push(span.subarray(records[i].offset - from, records[i].offset - from + records[i].extent));
    }
    return out;
  }

  protected roomFor(cls: DataClassId, pathBytes: number, userBytes: number): number {
    // One record must fit in an empty block next to a Commit: header + path + user length + 3 numbers + data, padded.
    const room = this.capacity - RECORD_HEADER_BYTES - RECORD_HEADER_BYTES - pathBytes - 1 - userBytes - 12;
    return Math.floor(room / UNIT) * UNIT - (DATA_CLASSES[cls].sealed ? SEAL_OVERHEAD + KEY_GENERATION_BYTES : 0);
  }

  /** Every key generation of the class (all users, or one user: '' the phone's own). */
  protected destroyKeys(cls: DataClassId, user?: string): void {
    for (const k of this.classKeys(cls)) if (user === undefined || k.user === user) this.crypto.destroyKey(k.name);
    if (user !== undefined) this.generations.delete(generationKey(cls, user));
    else for (const key of [...this.generations.keys()]) if (key.startsWith(generationKey(cls, ''))) this.generations.delete(key);
  }

  protected destroyGenerationsBelow(cls: DataClassId, user: string, generation: number): void {
    for (const k of this.classKeys(cls)) if (k.user === user && k.generation < generation) this.crypto.destroyKey(k.name);
  }

  protected classKeys(cls: DataClassId): (ClassKey & { name: string })[] {
    return classKeysOf(this.crypto, cls);
  }

  /**
   * The key generation new records of the class and user are sealed under:
   * the newest key in the keystore, and never below a generation the flash
   * already shows (a keystore restored or lost while the flash kept a re-key
   * intent must not seal new records under a generation that intent dooms).
   */
  protected currentGeneration(cls: DataClassId, user: string): number {
    const cached = this.generations.get(generationKey(cls, user));
    if (cached !== undefined) return cached;
    let generation = this.generationFloors.get(generationKey(cls, user)) ?? 0;
    const code = DATA_CLASSES[cls].code;
    for (const it of this.rekeyIntents) {
      if (it.code === code && it.rekeyGen !== null && (it.allUsers || bytesEqual(this.userHash(user), it.userHash))) generation = Math.max(generation, it.rekeyGen);
    }
    for (const k of this.classKeys(cls)) if (k.user === user) generation = Math.max(generation, k.generation);
    this.generations.set(generationKey(cls, user), generation);
    return generation;
  }

  protected userHash(user: string): Uint8Array {
    return this.crypto.sha256(utf8Encode(`store-user:${user}`)).slice(0, USER_HASH_BYTES);
  }

  protected checkClass(cls: DataClassId): void {
    if (!DATA_CLASSES[cls]) throw new StorageUsageError(`unknown data class "${cls}"`);
  }

  protected checkPath(path: string): Uint8Array {
    const b = utf8Encode(path);
    if (b.length === 0 || b.length > MAX_PATH_BYTES) throw new StorageUsageError(`file name must be 1–${MAX_PATH_BYTES} bytes: "${path.slice(0, 40)}"`);
    return b;
  }

  protected checkUser(user: string): Uint8Array {
    const b = utf8Encode(user);
    if (b.length > MAX_USER_BYTES) throw new StorageUsageError(`user id longer than ${MAX_USER_BYTES} bytes`);
    return b;
  }
}

export function generationKey(cls: DataClassId, user: string): string {
  return `${cls}\u0000${user}`;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
