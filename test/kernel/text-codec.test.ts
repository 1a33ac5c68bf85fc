/**
 * utf8Decode: the ASCII fast path (native calls a chunk at a time) decodes
 * exactly as the byte-by-byte decoder did, malformed input and sequences
 * cut by a chunk boundary included.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fc from 'fast-check';
import { utf8Decode, utf8Encode } from '../../firmware/kernel/text-codec';

/** The byte-by-byte decoder as it was before the fast path: the reference. */
/** Decodes UTF-8; malformed sequences become U+FFFD (never throws). */
function referenceDecode(bytes: Uint8Array): string {
  let out = '';
  let chunk: number[] = [];
  const flush = () => {
    out += String.fromCodePoint(...chunk);
    chunk = [];
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let cp = 0xfffd;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0 && cont(bytes, i + 1)) { cp = ((b & 31) << 6) | (bytes[i + 1] & 63); len = 2; }
    else if (b >= 0xe0 && b < 0xf0 && cont(bytes, i + 1) && cont(bytes, i + 2)) {
      const v = ((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) { cp = v; len = 3; }
    } else if (b >= 0xf0 && b < 0xf5 && cont(bytes, i + 1) && cont(bytes, i + 2) && cont(bytes, i + 3)) {
      const v = ((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63);
      if (v >= 0x10000 && v <= 0x10ffff) { cp = v; len = 4; }
    }
    chunk.push(cp);
    if (chunk.length >= 4096) flush();
    i += len;
  }
  flush();
  return out;
}

function cont(bytes: Uint8Array, i: number): boolean {
  return i < bytes.length && (bytes[i] & 0xc0) === 0x80;
}

test('ASCII, multi-byte text and malformed bytes decode as the byte-by-byte decoder did, across chunk boundaries', () => {
  // Bytes biased toward ASCII with lead and continuation bytes mixed in, long enough to span several 2 KiB chunks.
  const byte = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) });
  fc.assert(fc.property(fc.array(byte, { minLength: 0, maxLength: 7000 }), (xs) => {
    const bytes = new Uint8Array(xs);
    assert.is(utf8Decode(bytes), referenceDecode(bytes));
  }), { numRuns: 150 });
});

test('a multi-byte character straddling a chunk boundary stays whole', () => {
  for (let pad = 2040; pad <= 2050; pad++) {
    const text = 'a'.repeat(pad) + 'é€😀' + 'b'.repeat(pad) + 'ü';
    assert.is(utf8Decode(utf8Encode(text)), text, `pad ${pad}`);
  }
});

test.run();
