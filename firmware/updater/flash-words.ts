/** Little-endian integers in flash headers, and padding to the program unit (erased flash reads 0xFF). */

export function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff; b[at + 1] = (v >>> 8) & 0xff; b[at + 2] = (v >>> 16) & 0xff; b[at + 3] = (v >>> 24) & 0xff;
}

/** `bytes` padded with 0xFF to a multiple of `unit` (padding programs nothing). */
export function padToUnit(bytes: Uint8Array, unit: number): Uint8Array {
  const length = Math.ceil(bytes.length / unit) * unit;
  if (length === bytes.length) return bytes;
  const out = new Uint8Array(length).fill(0xff);
  out.set(bytes);
  return out;
}

export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

export function startsWithAscii(b: Uint8Array, text: string, at = 0): boolean {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
