/**
 * The boot record: which slot boots, what each slot holds and in which state,
 * and the trial boots a new slot has left. It lives in two erase blocks of the
 * `updater` partition and is written copy-on-write, like the flash store's
 * records: a new copy goes to the block NOT holding the newest valid copy,
 * with a sequence number one higher and a CRC over it. A power cut while the
 * other block is erased or programmed leaves a torn copy the CRC rejects, and
 * the previous copy stands. Format (little-endian):
 *
 *   "BREC" | sequence u32 | body length u32 | body (JSON) | CRC-32 of all before, u32
 *
 * Slot states: `empty` (nothing bootable: never written, or being written),
 * `trial` (installed, booted at most `trialBootsLeft` more times before it is
 * given up unless the firmware marks it `good` on reaching idle), `good`,
 * `bad` (failed its trial: kept to refuse the same image again).
 */
import type { FlashPartition } from '../../hal/contract';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import { crc32 } from '../storage/crc32';
import { asciiBytes, padToUnit, readU32, startsWithAscii, writeU32 } from './flash-words';
import { updaterLayout, type SlotName } from './updater-layout';

export type SlotState = 'empty' | 'trial' | 'good' | 'bad';

export interface SlotInfo {
  state: SlotState;
  /** Firmware version of the image in the slot ('' when empty). */
  version: string;
  /** Length of the update file in the slot, bytes. */
  bytes: number;
  /** SHA-256 (hex) of the update file in the slot: the boot loader checks it before running the slot. */
  sha256: string;
}

export interface BootRecord {
  /** Slot to boot; null: the factory image. */
  active: SlotName | null;
  /** What boots when the active slot fails its trial; null: the factory image. */
  fallback: SlotName | null;
  /** Boots the active slot may still make in `trial` state before the fallback takes over. */
  trialBootsLeft: number;
  slots: Record<SlotName, SlotInfo>;
}

const MAGIC = 'BREC';
const HEADER = 12;

export const EMPTY_SLOT: SlotInfo = { state: 'empty', version: '', bytes: 0, sha256: '' };

/** A phone that never installed an update: the factory image boots. */
export function factoryBootRecord(): BootRecord {
  return { active: null, fallback: null, trialBootsLeft: 0, slots: { A: { ...EMPTY_SLOT }, B: { ...EMPTY_SLOT } } };
}

interface StoredCopy {
  block: number;
  sequence: number;
  record: BootRecord;
}

/** The newest valid copy, or null when neither block holds one (factory state). */
export function readBootRecord(part: FlashPartition): BootRecord | null {
  return newestCopy(part)?.record ?? null;
}

/** Write `record` as the new newest copy (one erase and one program of the block not holding the current copy). */
export function writeBootRecord(part: FlashPartition, record: BootRecord): void {
  const layout = updaterLayout(part);
  const current = newestCopy(part);
  const block = current && current.block === layout.recordBlocks[0] ? layout.recordBlocks[1] : layout.recordBlocks[0];
  const body = utf8Encode(JSON.stringify(record));
  if (HEADER + body.length + 4 > part.blockSize) throw new Error(`boot record of ${body.length} bytes does not fit a ${part.blockSize}-byte block`);
  const bytes = new Uint8Array(HEADER + body.length + 4);
  bytes.set(asciiBytes(MAGIC), 0);
  writeU32(bytes, 4, ((current?.sequence ?? 0) + 1) >>> 0);
  writeU32(bytes, 8, body.length);
  bytes.set(body, HEADER);
  writeU32(bytes, HEADER + body.length, crc32(bytes, 0, HEADER + body.length));
  part.erase(block);
  part.program(block * part.blockSize, padToUnit(bytes, part.progSize));
}

function newestCopy(part: FlashPartition): StoredCopy | null {
  let best: StoredCopy | null = null;
  for (const block of updaterLayout(part).recordBlocks) {
    const copy = readCopy(part, block);
    // Sequence numbers compare with wrap-around (a phone never writes 2^31 records, but a torn header must not win).
    if (copy && (!best || ((copy.sequence - best.sequence) | 0) > 0)) best = copy;
  }
  return best;
}

function readCopy(part: FlashPartition, block: number): StoredCopy | null {
  const head = part.read(block * part.blockSize, HEADER);
  if (!startsWithAscii(head, MAGIC)) return null;
  const length = readU32(head, 8);
  if (length > part.blockSize - HEADER - 4) return null;
  const bytes = part.read(block * part.blockSize, HEADER + length + 4);
  if (crc32(bytes, 0, HEADER + length) !== readU32(bytes, HEADER + length)) return null;
  const record = parseRecord(utf8Decode(bytes.subarray(HEADER, HEADER + length)));
  return record ? { block, sequence: readU32(head, 4), record } : null;
}

function parseRecord(text: string): BootRecord | null {
  try {
    const r = JSON.parse(text) as BootRecord;
    const slotName = (s: unknown) => s === null || s === 'A' || s === 'B';
    if (!r || !slotName(r.active) || !slotName(r.fallback) || typeof r.trialBootsLeft !== 'number' || !r.slots?.A || !r.slots?.B) return null;
    return r;
  } catch {
    return null;
  }
}
