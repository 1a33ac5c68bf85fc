/**
 * UTF-8 encode/decode. QuickJS has no TextEncoder/TextDecoder, and its
 * interpreter spends about 0.3 µs a byte in a loop: a 30 KiB calls file took
 * 10 ms to encode. So a text of some size goes to the host's codec (HAL
 * `text`, installed at boot) in one call; a short or a very long one, or any
 * text on a host without a codec, stays here, where the engine's native URI codecs do the
 * multi-byte work. Text those refuse — a lone surrogate, malformed bytes —
 * takes the code-point loops, which define the results.
 */
import type { TextCodec } from '../../hal/contract';

const NOT_ASCII = /[^\x00-\x7f]/;
/** Chars per String.fromCharCode call: well under any engine's argument limit. */
const CHUNK = 8192;
/** From this length a host call costs less than the loop here. */
const HOST_FROM = 256;
/**
 * Up to this length: above it, the copy a host call makes (its JSON) would
 * count against the heap peak of a big file, and the native paths here
 * are within a few times of the host anyway.
 */
const HOST_UP_TO = 64 * 1024;

let host: TextCodec | null = null;

/** The host's codec (HAL `text`), null for none. */
export function installTextCodec(codec: TextCodec | null): void {
  host = codec;
}

export function utf8Encode(text: string): Uint8Array {
  if (host && text.length >= HOST_FROM && text.length <= HOST_UP_TO) return host.encode(text);
  let bytes = text;
  if (NOT_ASCII.test(text)) {
    try {
      bytes = unescape(encodeURIComponent(text));
    } catch {
      return utf8EncodeByCodePoint(text);
    }
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

/**
 * Decodes UTF-8; malformed sequences become U+FFFD (never throws). A long
 * text is decoded CHUNK bytes at a time, each cut before a byte that starts
 * a character: decoded whole, a non-ASCII text of 650 KB held its bytes, its
 * Latin-1 form, that form escaped and the result at once (+1.4 MiB of heap),
 * and one malformed byte sent all of it through the code-point loop.
 */
export function utf8Decode(bytes: Uint8Array): string {
  if (host && bytes.length >= HOST_FROM && bytes.length <= HOST_UP_TO) return host.decode(bytes);
  let text = '';
  for (let at = 0; at < bytes.length;) {
    let end = Math.min(bytes.length, at + CHUNK);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end++;
    text += decodeChunk(bytes.subarray(at, end));
    at = end;
  }
  return text;
}

/** UTF-8 bytes that start a character and end before one (or at the end). */
function decodeChunk(bytes: Uint8Array): string {
  let chars = '';
  // Continuation bytes can run past CHUNK: still within the engine's argument limit per call.
  for (let at = 0; at < bytes.length; at += CHUNK) chars += String.fromCharCode.apply(null, bytes.subarray(at, at + CHUNK) as unknown as number[]);
  if (!NOT_ASCII.test(chars)) return chars;
  try {
    return decodeURIComponent(escape(chars));
  } catch {
    return utf8DecodeByCodePoint(bytes);
  }
}

/** The reference encoder: a lone surrogate becomes U+FFFD. */
export function utf8EncodeByCodePoint(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return new Uint8Array(out);
}

/** The reference decoder: each malformed sequence becomes U+FFFD. */
export function utf8DecodeByCodePoint(bytes: Uint8Array): string {
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
