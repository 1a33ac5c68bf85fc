/** UTF-8 encode/decode: QuickJS has no TextEncoder/TextDecoder. */

export function utf8Encode(text: string): Uint8Array {
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

/** Bytes per native call on the ASCII path: well inside an engine's argument limit. */
const ASCII_CHUNK = 2048;

/**
 * Decodes UTF-8; malformed sequences become U+FFFD (never throws). ASCII
 * runs (paths, numbers, most configuration and XML) are checked and
 * converted by native calls a chunk at a time: in QuickJS the per-byte loop
 * was a sixth of mounting a full store, and most of reading a large file.
 */
export function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    let end = Math.min(bytes.length, i + ASCII_CHUNK);
    const chunk = bytes.subarray(i, end);
    if (Math.max.apply(null, chunk as unknown as number[]) < 0x80) {
      out += String.fromCharCode.apply(null, chunk as unknown as number[]);
      i = end;
      continue;
    }
    // Not ASCII: split where a character starts (a non-continuation byte; a sequence is at most 4 bytes long).
    if (end < bytes.length) {
      let s = end;
      while (s > i + 1 && end - s < 3 && (bytes[s] & 0xc0) === 0x80) s--;
      if ((bytes[s] & 0xc0) !== 0x80) end = s;
    }
    out += decodeUtf8Bytes(bytes.subarray(i, end));
    i = end;
  }
  return out;
}

function decodeUtf8Bytes(bytes: Uint8Array): string {
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
