/**
 * A small DER writer (ITU-T X.690): only what the device certificate needs
 * (device-certificate.ts). Every function returns the complete TLV.
 */
import { concatBytes as concat } from '../kernel/bytes';
import { utf8Encode } from '../kernel/text-codec';

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthBytes(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

export const sequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, concat(items));
export const set = (...items: Uint8Array[]): Uint8Array => tlv(0x31, concat(items));
/** `[n]` EXPLICIT, constructed. */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const bitString = (bytes: Uint8Array): Uint8Array => tlv(0x03, concat([new Uint8Array([0]), bytes]));
export const utf8String = (text: string): Uint8Array => tlv(0x0c, utf8Encode(text));
export const booleanTrue = (): Uint8Array => tlv(0x01, new Uint8Array([0xff]));

/** A non-negative INTEGER from big-endian bytes (a leading 0 added where the top bit is set). */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = bytes.subarray(start);
  return tlv(0x02, body[0] & 0x80 ? concat([new Uint8Array([0]), body]) : body);
}

export const smallInteger = (n: number): Uint8Array => unsignedInteger(new Uint8Array([n]));

/** OBJECT IDENTIFIER from dotted text, e.g. `1.2.840.10045.4.3.2`. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v & 0x7f);
      if (v < 128) break;
    }
    for (let i = 0; i < groups.length - 1; i++) groups[i] |= 0x80;
    out.push(...groups);
  }
  return tlv(0x06, new Uint8Array(out));
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
export function time(ms: number): Uint8Array {
  const d = new Date(ms);
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  const year = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return year < 2050 ? tlv(0x17, utf8Encode(`${two(year % 100)}${rest}`)) : tlv(0x18, utf8Encode(`${year}${rest}`));
}
