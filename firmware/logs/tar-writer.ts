/**
 * A minimal POSIX ustar writer (regular files only), because no maintained
 * tar library runs in QuickJS (they need TextEncoder, streams or Node
 * buffers). Checked against GNU tar in test/logs/log-package.test.ts.
 * Names are ASCII file names of at most 100 bytes (the package's own).
 */
import { utf8Encode } from '../kernel/text-codec';

export interface TarEntry {
  name: string;
  data: Uint8Array;
  /** Modification time, ms since the epoch. */
  mtime: number;
}

const BLOCK = 512;

export function writeTar(entries: TarEntry[]): Uint8Array {
  let total = 2 * BLOCK; // end-of-archive marker
  for (const e of entries) total += BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out.set(header(e), at);
    at += BLOCK;
    out.set(e.data, at);
    at += Math.ceil(e.data.length / BLOCK) * BLOCK;
  }
  return out;
}

function header(e: TarEntry): Uint8Array {
  const name = utf8Encode(e.name);
  if (name.length === 0 || name.length > 100 || /[^\x20-\x7e]/.test(e.name)) throw new Error(`tar: unsupported file name "${e.name}"`);
  const h = new Uint8Array(BLOCK);
  h.set(name, 0);
  field(h, 100, 8, octal(0o644, 7));
  field(h, 108, 8, octal(0, 7));
  field(h, 116, 8, octal(0, 7));
  field(h, 124, 12, octal(e.data.length, 11));
  field(h, 136, 12, octal(Math.max(0, Math.floor(e.mtime / 1000)), 11));
  field(h, 148, 8, '        ');
  h[156] = 0x30; // '0': regular file
  field(h, 257, 6, 'ustar');
  field(h, 263, 2, '00');
  field(h, 265, 32, 'phone');
  field(h, 297, 32, 'phone');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  field(h, 148, 8, octal(sum, 6) + '\0 ');
  return h;
}

function octal(n: number, digits: number): string {
  const s = n.toString(8);
  if (s.length > digits) throw new Error(`tar: value ${n} does not fit ${digits} octal digits`);
  return '0'.repeat(digits - s.length) + s;
}

function field(h: Uint8Array, offset: number, size: number, text: string): void {
  for (let i = 0; i < text.length && i < size; i++) h[offset + i] = text.charCodeAt(i);
}
