/**
 * The image's resource pack: the read-only data that ships beside the
 * firmware bundle and that hosts serve to the firmware through the HAL
 * `resources` device (hal/contract.ts), so it is read from the image on
 * demand instead of sitting in the engine's heap. `phone build` writes it
 * next to the bundle (`dist/firmware.js` → `dist/firmware.res`). Layout:
 *
 *   "PHONERES" | directory length u32 LE | directory (UTF-8 JSON: name → {offset, bytes}) | data
 *
 * Offsets count from the start of the data. The format is the hosts' business:
 * the firmware only sees named resources.
 */
import * as fs from 'fs';
import type { Resources } from '../../hal/contract';

const MAGIC = 'PHONERES';
const HEADER_BYTES = 12;

/** Where the resource pack of a bundle lives: beside it, `.js` → `.res`. */
export function resourcePackPath(bundlePath: string): string {
  return bundlePath.replace(/\.js$/, '') + '.res';
}

export function packResources(entries: Record<string, Uint8Array>): Buffer {
  const directory: Record<string, { offset: number; bytes: number }> = {};
  let offset = 0;
  for (const [name, bytes] of Object.entries(entries)) {
    directory[name] = { offset, bytes: bytes.length };
    offset += bytes.length;
  }
  const dir = Buffer.from(JSON.stringify(directory), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'ascii');
  header.writeUInt32LE(dir.length, 8);
  return Buffer.concat([header, dir, ...Object.values(entries)]);
}

/** A parsed pack serving the HAL `resources` device; reads are views, never copies of the whole. */
export class ResourcePack implements Resources {
  private readonly entries = new Map<string, Uint8Array>();

  /** Throws on a pack that is not one (a wrong or truncated file must not boot as "no glyphs"). */
  constructor(readonly bytes: Uint8Array) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < HEADER_BYTES || buf.toString('ascii', 0, 8) !== MAGIC) throw new Error('not a resource pack (no PHONERES header)');
    const dirBytes = buf.readUInt32LE(8);
    const dataAt = HEADER_BYTES + dirBytes;
    if (dataAt > buf.length) throw new Error(`resource pack truncated: directory needs ${dataAt} bytes, file has ${buf.length}`);
    const directory = JSON.parse(buf.toString('utf8', HEADER_BYTES, dataAt)) as Record<string, { offset: number; bytes: number }>;
    for (const [name, e] of Object.entries(directory)) {
      const end = dataAt + e.offset + e.bytes;
      if (!Number.isInteger(e.offset) || !Number.isInteger(e.bytes) || e.offset < 0 || e.bytes < 0 || end > buf.length) {
        throw new Error(`resource pack truncated: ${name} ends at ${end}, file has ${buf.length} bytes`);
      }
      // A plain Uint8Array view: a Buffer's slice would be a view too, and a Buffer crosses the QuickJS bridge as JSON.
      this.entries.set(name, new Uint8Array(bytes.buffer, bytes.byteOffset + dataAt + e.offset, e.bytes));
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  size(name: string): number {
    return this.entries.get(name)?.length ?? 0;
  }

  read(name: string, offset: number, length: number): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new RangeError(`no resource ${name} in the image`);
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > e.length) {
      throw new RangeError(`resource ${name}: ${length} bytes at ${offset} outside its ${e.length}`);
    }
    // A copy: the firmware may keep or change what it reads without touching the image.
    return e.slice(offset, offset + length);
  }
}

/** The pack beside a bundle, or null when there is none (a test image built without one). */
export function loadResourcePack(bundlePath: string): ResourcePack | null {
  const file = resourcePackPath(bundlePath);
  if (!fs.existsSync(file)) return null;
  return new ResourcePack(fs.readFileSync(file));
}
