/**
 * On-flash layout of block headers and records (docs/storage-format.md).
 * All integers little-endian. Everything is aligned to 16 bytes (the program
 * unit of the boards); unwritten flash reads 0xFF.
 */
import { crc32 } from './crc32';

export const UNIT = 16;
export const BLOCK_HEADER_BYTES = 2 * UNIT;

/** Unit 0 of a block, written right after erase: wear survives the erase. */
export const ERASE_MAGIC = 0x45545350; // "PSTE"
/** Unit 1, written when the block joins the log: its place in log order. */
export const ACTIVE_MAGIC = 0x41545350; // "PSTA"

export const enum RecordKind {
  /** File content replaced: chunk 0 of a new version (more chunks may follow as Append in the same transaction). */
  Write = 1,
  Append = 2,
  Delete = 3,
  Commit = 4,
  /** Several chunks of a file merged into one record (replaces the records it covers). */
  Merge = 5,
  /**
   * "Erase class X (of user U)": committed before a class erase starts, so a
   * mount after a power cut finishes it. Records of the class older than it
   * (origSeq below its own) must not survive. Path empty; data = 8-byte
   * SHA-256 prefix of the user id (absent when FLAG_ALL_USERS).
   */
  EraseIntent = 6,
}

export const FLAG_SEALED = 1;
/** EraseIntent: every user of the class. */
export const FLAG_ALL_USERS = 2;
/** Sealed record: its data starts with the 4-byte key generation that sealed it (absent: generation 0). */
export const FLAG_KEY_GENERATION = 4;
/**
 * EraseIntent of a re-key: data = 8-byte user hash + 4-byte generation G.
 * Sealed records of the class and user under a generation below G must not
 * survive, and the keys of those generations are destroyed.
 */
export const FLAG_REKEY = 8;
export const KEY_GENERATION_BYTES = 4;
export const RECORD_HEADER_BYTES = UNIT;

export interface RecordHeader {
  kind: RecordKind;
  classCode: number;
  flags: number;
  pathLength: number;
  txSeq: number;
  /** Payload bytes after the header (for Commit: the number of records committed). */
  length: number;
  crc: number;
}

export interface RecordPayload {
  path: string;
  user: string;
  /** Transaction that first wrote this record; a GC copy keeps it. Orders versions. */
  origSeq: number;
  chunkFirst: number;
  chunkLast: number;
  /** Data as stored (sealed for personal classes). */
  data: Uint8Array;
}

const PAYLOAD_FIXED = 1 + 12; // user length + origSeq, chunkFirst, chunkLast

export function padded(n: number): number {
  return Math.ceil(n / UNIT) * UNIT;
}

export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export function get32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function encodeBlockUnit(magic: number, value: number): Uint8Array {
  const u = new Uint8Array(UNIT).fill(0xff);
  put32(u, 0, magic);
  put32(u, 4, value);
  put32(u, 8, crc32(u, 0, 8));
  return u;
}

/** The value of a block header unit, or null when absent (erased) or damaged. */
export function decodeBlockUnit(b: Uint8Array, at: number, magic: number): number | null {
  if (get32(b, at) !== magic) return null;
  return get32(b, at + 8) === crc32(b, at, at + 8) ? get32(b, at + 4) : null;
}

export function encodeRecord(kind: RecordKind, classCode: number, flags: number, txSeq: number, p: RecordPayload, pathBytes: Uint8Array, userBytes: Uint8Array): Uint8Array {
  const payloadLength = pathBytes.length + PAYLOAD_FIXED + userBytes.length + p.data.length;
  const out = new Uint8Array(RECORD_HEADER_BYTES + padded(payloadLength)).fill(0xff);
  out[0] = kind;
  out[1] = classCode;
  out[2] = flags;
  out[3] = pathBytes.length;
  put32(out, 4, txSeq);
  put32(out, 8, payloadLength);
  let at = RECORD_HEADER_BYTES;
  out.set(pathBytes, at);
  at += pathBytes.length;
  out[at++] = userBytes.length;
  out.set(userBytes, at);
  at += userBytes.length;
  put32(out, at, p.origSeq);
  put32(out, at + 4, p.chunkFirst);
  put32(out, at + 8, p.chunkLast);
  at += 12;
  out.set(p.data, at);
  put32(out, 12, crc32(out, RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + payloadLength, crc32(out, 0, 12)));
  return out;
}

export function encodeCommit(txSeq: number, count: number): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES).fill(0xff);
  out[0] = RecordKind.Commit;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  put32(out, 4, txSeq);
  put32(out, 8, count);
  put32(out, 12, crc32(out, 0, 12));
  return out;
}

/** Bytes compared per native call: well inside an engine's argument limit. */
const CLEAN_CHUNK = 2048;

/**
 * Are bytes [from, to) all erased (0xFF)? `Math.min` over a chunk runs as one
 * native call: in QuickJS a byte loop over a 4 MiB partition took six times
 * as long and 1,200 interrupt polls, past a board's per-event allowance.
 */
export function isClean(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i += CLEAN_CHUNK) {
    if (Math.min.apply(null, bytes.subarray(i, Math.min(to, i + CLEAN_CHUNK)) as unknown as number[]) !== 0xff) return false;
  }
  return true;
}

/** True when the 16 bytes at `at` were never programmed: the end of a block's log. */
export function isErasedUnit(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + UNIT && i < b.length; i++) if (b[i] !== 0xff) return false;
  return true;
}

export function decodeRecordHeader(b: Uint8Array, at: number): RecordHeader {
  return readRecordHeader(b, at, blankHeader());
}

function blankHeader(): RecordHeader {
  return { kind: RecordKind.Write, classCode: 0, flags: 0, pathLength: 0, txSeq: 0, length: 0, crc: 0 };
}

/** The header at `at`, written into `h`: a walk reuses one object (an object per record was a third of a walk in QuickJS). */
export function readRecordHeader(b: Uint8Array, at: number, h: RecordHeader): RecordHeader {
  h.kind = b[at];
  h.classCode = b[at + 1];
  h.flags = b[at + 2];
  h.pathLength = b[at + 3];
  h.txSeq = get32(b, at + 4);
  h.length = get32(b, at + 8);
  h.crc = get32(b, at + 12);
  return h;
}

/** Total bytes the record occupies, or null when its header cannot be a record that fits. */
export function recordExtent(h: RecordHeader, at: number, end: number): number | null {
  if (h.kind < RecordKind.Write || h.kind > RecordKind.EraseIntent) return null;
  const extent = h.kind === RecordKind.Commit ? RECORD_HEADER_BYTES : RECORD_HEADER_BYTES + padded(h.length);
  return at + extent <= end ? extent : null;
}

export function recordCrcOk(b: Uint8Array, at: number, h: RecordHeader): boolean {
  if (h.kind === RecordKind.Commit) return h.crc === crc32(b, at, at + 12);
  const seed = crc32(b, at, at + 12);
  return h.crc === crc32(b, at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + h.length, seed);
}

/** True when the payload's own length fields agree with the record length (checked after the CRC). */
export function payloadFits(b: Uint8Array, at: number, h: RecordHeader): boolean {
  if (h.kind === RecordKind.Commit) return true;
  if (h.pathLength + PAYLOAD_FIXED > h.length) return false;
  const userLength = b[at + RECORD_HEADER_BYTES + h.pathLength];
  return h.pathLength + PAYLOAD_FIXED + userLength <= h.length;
}

/** The key generation that sealed a record (0 without FLAG_KEY_GENERATION), or null when it is not sealed. */
export function sealedGeneration(b: Uint8Array, at: number, h: RecordHeader, m: RecordMeta): number | null {
  if (h.kind === RecordKind.Commit || h.kind === RecordKind.EraseIntent || h.kind === RecordKind.Delete || !(h.flags & FLAG_SEALED)) return null;
  if (!(h.flags & FLAG_KEY_GENERATION)) return 0;
  return m.dataLength >= KEY_GENERATION_BYTES ? get32(b, at + m.dataOffset) : null;
}

export function encodeGeneration(generation: number): Uint8Array {
  const out = new Uint8Array(KEY_GENERATION_BYTES);
  put32(out, 0, generation);
  return out;
}

/**
 * Path, user and chunk fields of a record whose CRC checked out, without
 * copying its data; written into `into` when given (a mount reuses one).
 */
export function decodeMeta(b: Uint8Array, at: number, h: RecordHeader, decodeText: (bytes: Uint8Array) => string, into?: RecordMeta): RecordMeta {
  let p = at + RECORD_HEADER_BYTES;
  const path = decodeText(b.subarray(p, p + h.pathLength));
  p += h.pathLength;
  const userLength = b[p++];
  // Most records are the phone's own (no user): no decode, which costs a typed-array view and a native call in QuickJS.
  const user = userLength === 0 ? '' : decodeText(b.subarray(p, p + userLength));
  p += userLength;
  const m = into ?? { path, user, origSeq: 0, chunkFirst: 0, chunkLast: 0, dataOffset: 0, dataLength: 0 };
  m.path = path;
  m.user = user;
  m.origSeq = get32(b, p);
  m.chunkFirst = get32(b, p + 4);
  m.chunkLast = get32(b, p + 8);
  m.dataOffset = p + 12 - at;
  m.dataLength = at + RECORD_HEADER_BYTES + h.length - (p + 12);
  return m;
}

export interface RecordMeta {
  path: string;
  user: string;
  origSeq: number;
  chunkFirst: number;
  chunkLast: number;
  /** Where the (possibly sealed) data starts, relative to the record start. */
  dataOffset: number;
  dataLength: number;
}

/** A copy of a whole record carrying a new transaction number (GC copy): same content, CRC recomputed. */
export function withTxSeq(record: Uint8Array, txSeq: number): Uint8Array {
  const copy = record.slice();
  put32(copy, 4, txSeq);
  const h = decodeRecordHeader(copy, 0);
  put32(copy, 12, h.kind === RecordKind.Commit ? crc32(copy, 0, 12) : crc32(copy, RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + h.length, crc32(copy, 0, 12)));
  return copy;
}

/**
 * Give a record built for one transaction the number of another (the store
 * took numbers for garbage collection meanwhile): header txSeq and payload
 * origSeq both become `txSeq`, CRC recomputed.
 */
export function restamp(record: Uint8Array, txSeq: number): Uint8Array {
  const copy = record.slice();
  put32(copy, 4, txSeq);
  const h = decodeRecordHeader(copy, 0);
  const userLengthAt = RECORD_HEADER_BYTES + h.pathLength;
  put32(copy, userLengthAt + 1 + copy[userLengthAt], txSeq);
  put32(copy, 12, crc32(copy, RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + h.length, crc32(copy, 0, 12)));
  return copy;
}

export interface BlockWalk {
  /** Offset just past the last good record (where the next append would go). */
  end: number;
  /** Why the walk stopped before the end of the block, when the rest is not clean erased flash. */
  damage: string | null;
}

/**
 * Walk the records of a block from `from`: calls `visit` for each record
 * whose header, extent, CRC and payload lengths check out, and stops at the
 * first erased unit (end of log) or the first bad record (a torn write or
 * damage: nothing after it is trusted). Erased-looking space followed by
 * programmed bytes counts as damage too, so nothing is ever appended over
 * partly programmed flash. Records starting before `verifiedEnd` were
 * verified before (a mount checkpoint vouches for them): their CRC is not
 * computed again, everything else is still checked. The header handed to
 * `visit` is the walk's one header object, rewritten for the next record.
 */
export function walkRecords(bytes: Uint8Array, from: number, visit: (at: number, h: RecordHeader, extent: number) => void, verifiedEnd = from): BlockWalk {
  const size = bytes.length;
  // One header object for the whole walk, rewritten for each record: a visitor copies what it keeps.
  const h = blankHeader();
  let at = from;
  while (at + UNIT <= size) {
    if (isErasedUnit(bytes, at)) {
      // A verified block was verified to its blank tail, and nothing is programmed after the end of a closed block.
      // Otherwise the tail is checked natively (isClean): a byte loop over it was most of a mount's walk in QuickJS.
      if (at < verifiedEnd || isClean(bytes, at, size)) return { end: at, damage: null };
      let i = at;
      while (bytes[i] === 0xff) i++;
      return { end: at, damage: `programmed bytes at ${i} after the end of the log at ${at}` };
    }
    readRecordHeader(bytes, at, h);
    const extent = recordExtent(h, at, size);
    if (extent === null) return { end: at, damage: `no valid record header at ${at}` };
    if (at >= verifiedEnd && !recordCrcOk(bytes, at, h)) return { end: at, damage: `record at ${at} fails its CRC (torn write?)` };
    if (!payloadFits(bytes, at, h)) return { end: at, damage: `record at ${at} has inconsistent lengths` };
    visit(at, h, extent);
    at += extent;
  }
  return { end: at, damage: null };
}
