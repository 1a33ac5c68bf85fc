/**
 * Parsing what a browser sends, refusing what it must not: the request
 * target (percent-decoded once; `..`, `.`, encoded slashes and backslashes,
 * control characters and over-long targets refused: the pages are a fixed
 * table, so there is nothing to climb to, but a path that needed any of this
 * is an attack or a bug and is refused, not repaired), query strings,
 * urlencoded and multipart/form-data bodies, and the Cookie header.
 * Every failure is a `BadRequest` whose message says what was wrong (logged
 * by the server, answered 400) and never echoes the input.
 */
import { utf8Decode } from '../kernel/text-codec';

export class BadRequest extends Error {}

export const MAX_TARGET_LENGTH = 2048;
const MAX_FIELDS = 256;

export interface ParsedTarget {
  /** Decoded, normalised: starts with `/`, no empty, `.` or `..` segments. */
  path: string;
  query: Record<string, string>;
}

export function parseTarget(target: string): ParsedTarget {
  if (target.length > MAX_TARGET_LENGTH) throw new BadRequest(`request target longer than ${MAX_TARGET_LENGTH} characters`);
  if (!target.startsWith('/')) throw new BadRequest('request target is not an absolute path');
  if (/[\u0000-\u0020\u007f]/.test(target)) throw new BadRequest('control character or space in the request target');
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  if (/%2f|%5c|\\/i.test(rawPath)) throw new BadRequest('encoded slash or backslash in the path');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new BadRequest('malformed percent-encoding in the path');
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw new BadRequest('control character in the decoded path');
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) throw new BadRequest('path traversal (. or .. segment) refused');
  return { path: '/' + segments.join('/'), query: parseUrlEncoded(rawQuery, 'query') };
}

/** `a=1&b=x+y` → fields; a repeated name keeps its last value. */
export function parseUrlEncoded(text: string, what: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (text === '') return out;
  const pairs = text.split('&');
  if (pairs.length > MAX_FIELDS) throw new BadRequest(`${what} has more than ${MAX_FIELDS} fields`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      out[decodeURIComponent(name.replace(/\+/g, ' '))] = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      throw new BadRequest(`malformed percent-encoding in the ${what}`);
    }
  }
  return out;
}

export interface ParsedForm {
  form: Record<string, string>;
  files: Record<string, { fileName: string; bytes: Uint8Array }>;
}

/** A POST body by its Content-Type: urlencoded or multipart/form-data; anything else is refused. */
export function parseForm(contentType: string, body: Uint8Array): ParsedForm {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || (type === '' && body.length === 0)) {
    return { form: parseUrlEncoded(decodeUtf8(body, 'form body'), 'form body'), files: Object.create(null) };
  }
  if (type === 'multipart/form-data') {
    const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
    if (!m) throw new BadRequest('multipart body without a boundary');
    return parseMultipart(body, m[1] ?? m[2]);
  }
  throw new BadRequest(`form body of type "${type.slice(0, 40)}" (urlencoded or multipart/form-data expected)`);
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  const text = utf8Decode(bytes);
  if (text.indexOf('\ufffd') >= 0) throw new BadRequest(`${what} is not valid UTF-8`);
  return text;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** RFC 7578: parts between `--boundary` lines, each with headers, a blank line and its content; ends with `--boundary--`. */
export function parseMultipart(body: Uint8Array, boundary: string): ParsedForm {
  const form: Record<string, string> = Object.create(null);
  const files: ParsedForm['files'] = Object.create(null);
  const delimiter = ascii(`--${boundary}`);
  const crlfDelimiter = ascii(`\r\n--${boundary}`);
  const blank = ascii('\r\n\r\n');
  let at = indexOf(body, delimiter, 0);
  if (at !== 0) throw new BadRequest('multipart body does not start with its boundary');
  at += delimiter.length;
  let parts = 0;
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return { form, files }; // closing `--`
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new BadRequest('multipart boundary not followed by a line end');
    at += 2;
    if (++parts > MAX_FIELDS) throw new BadRequest(`multipart body has more than ${MAX_FIELDS} parts`);
    const headerEnd = indexOf(body, blank, at);
    if (headerEnd < 0) throw new BadRequest('multipart part without the blank line after its headers');
    const headers = decodeUtf8(body.subarray(at, headerEnd), 'multipart part headers');
    const next = indexOf(body, crlfDelimiter, headerEnd + 4);
    if (next < 0) throw new BadRequest('multipart body ends without its closing boundary');
    const content = body.slice(headerEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headers);
    if (!disposition) throw new BadRequest('multipart part without Content-Disposition: form-data');
    const name = /\bname="([^"]*)"/i.exec(disposition[1]);
    if (!name) throw new BadRequest('multipart part without a field name');
    const fileName = /\bfilename="([^"]*)"/i.exec(disposition[1]);
    if (fileName) files[name[1]] = { fileName: fileName[1], bytes: content };
    else form[name[1]] = decodeUtf8(content, 'multipart text field');
    at = next + crlfDelimiter.length;
  }
}

/** Cookie header → name/value pairs. A piece without `=` is ignored (browsers send what other local servers set). */
export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const piece of header.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    out[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  return out;
}
