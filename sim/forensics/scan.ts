/**
 * Forensic scan of a raw flash dump: every place where any of the given
 * strings occurs as raw bytes, in UTF-8, UTF-16LE or UTF-16BE, located by
 * partition and block. This is what QA runs after a reset to show that the
 * erased data cannot be read back from the chip. It looks at bytes only: it
 * does not parse the store, so it also finds stale, torn or orphaned copies.
 */
import type { FlashGeometry } from '../devices/flash';

export type RawEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export const RAW_ENCODINGS: RawEncoding[] = ['utf-8', 'utf-16le', 'utf-16be'];

export interface RawHit {
  /** The string searched for. */
  needle: string;
  encoding: RawEncoding;
  /** Offset in the whole dump. */
  offset: number;
  /** Partition holding the first byte (null when the geometry does not cover the offset). */
  partition: string | null;
  partitionOffset: number;
  /** Erase block inside the partition. */
  block: number;
}

/** The bytes a string occupies in one encoding. */
export function encodeNeedle(text: string, encoding: RawEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16le') return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return be;
}

/**
 * Find every raw occurrence of each needle (empty needles are ignored) in
 * every encoding. Hits are sorted by offset, then needle. Overlapping hits
 * are all reported, except that a UTF-16BE match which is a UTF-16LE match
 * seen one byte early is reported once, as UTF-16LE. The geometry (board profile `flash`) places each hit in
 * its partition and block; without it, hits carry partition null and block
 * numbers of `blockSize` 4096.
 */
export function findRawStrings(image: Uint8Array, needles: string[], geometry?: FlashGeometry): RawHit[] {
  const buf = Buffer.isBuffer(image) ? image : Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  const hits: RawHit[] = [];
  const seen = new Set<string>();
  for (const needle of needles) {
    if (needle.length === 0 || seen.has(needle)) continue;
    seen.add(needle);
    const done = new Set<string>();
    for (const encoding of RAW_ENCODINGS) {
      const bytes = encodeNeedle(needle, encoding);
      // UTF-16 of a string can equal its UTF-8 (never for non-empty text), but LE and BE of a palindrome can coincide.
      const key = bytes.toString('hex');
      if (done.has(key)) continue;
      done.add(key);
      for (let at = buf.indexOf(bytes, 0); at >= 0; at = buf.indexOf(bytes, at + 1)) {
        hits.push({ needle, encoding, offset: at, ...locate(at, geometry) });
      }
    }
    // ASCII text in UTF-16LE also matches as UTF-16BE one byte earlier (the zero bytes line up): report it once, as LE.
    const le = new Set(hits.filter((h) => h.needle === needle && h.encoding === 'utf-16le').map((h) => h.offset));
    for (let i = hits.length - 1; i >= 0; i--) {
      const h = hits[i];
      if (h.needle === needle && h.encoding === 'utf-16be' && le.has(h.offset + 1)) hits.splice(i, 1);
    }
  }
  return hits.sort((a, b) => a.offset - b.offset || (a.needle < b.needle ? -1 : a.needle > b.needle ? 1 : 0));
}

/** Partition, offset inside it and erase block of a dump offset. */
export function locate(offset: number, geometry?: FlashGeometry): { partition: string | null; partitionOffset: number; block: number } {
  const blockSize = geometry?.blockSize ?? 4096;
  let base = 0;
  for (const p of geometry?.partitions ?? []) {
    if (offset < base + p.size) return { partition: p.name, partitionOffset: offset - base, block: Math.floor((offset - base) / blockSize) };
    base += p.size;
  }
  return { partition: null, partitionOffset: offset - base, block: Math.floor((offset - base) / blockSize) };
}

/** One line per hit, for CLI output and failure messages. */
export function describeHit(h: RawHit): string {
  const where = h.partition === null ? `offset 0x${h.offset.toString(16)}` : `${h.partition}+0x${h.partitionOffset.toString(16)} (block ${h.block})`;
  return `"${h.needle}" ${h.encoding} at ${where}, dump offset 0x${h.offset.toString(16)}`;
}
