/**
 * Writing a verified update file into the inactive slot, power-cut safe:
 *
 * 1. if the inactive slot was bootable (an older image, or the fallback), the
 *    record first marks it `empty`: its blocks are about to be erased;
 * 2. erase and program the slot block by block;
 * 3. read the slot back and compare its SHA-256 with the file's;
 * 4. one record write makes the slot active in `trial` (one boot), with the
 *    running slot as its fallback.
 *
 * A cut before 4 leaves the running slot active; after 4 the new slot boots
 * on trial. Neither case leaves nothing to boot.
 */
import type { Crypto, FlashPartition } from '../../hal/contract';
import { bytesToHex } from '../kernel/hex';
import { EMPTY_SLOT, factoryBootRecord, readBootRecord, writeBootRecord } from './boot-record';
import { padToUnit } from './flash-words';
import { inactiveSlot, updaterLayout, type SlotName } from './updater-layout';

export interface InstallResult {
  slot: SlotName;
  erases: number;
  programmedBytes: number;
}

export function installToInactiveSlot(part: FlashPartition, crypto: Pick<Crypto, 'sha256'>, file: Uint8Array, version: string): InstallResult {
  const layout = updaterLayout(part);
  const record = readBootRecord(part) ?? factoryBootRecord();
  const slot = inactiveSlot(record.active);
  const extent = layout.slots[slot];
  if (file.length > extent.size) throw new Error(`update file of ${file.length} bytes does not fit slot ${slot} (${extent.size} bytes)`);
  let erases = 0;
  let programmedBytes = 0;

  if (record.slots[slot].state !== 'empty' || record.fallback === slot) {
    record.slots[slot] = { ...EMPTY_SLOT };
    if (record.fallback === slot) record.fallback = null;
    writeBootRecord(part, record);
    erases++;
  }

  const blocks = Math.ceil(file.length / part.blockSize);
  for (let i = 0; i < blocks; i++) {
    part.erase(extent.firstBlock + i);
    erases++;
    const chunk = padToUnit(file.subarray(i * part.blockSize, Math.min(file.length, (i + 1) * part.blockSize)), part.progSize);
    part.program(extent.offset + i * part.blockSize, chunk);
    programmedBytes += chunk.length;
  }

  const sha256 = bytesToHex(crypto.sha256(file));
  const written = bytesToHex(crypto.sha256(part.read(extent.offset, file.length)));
  if (written !== sha256) throw new Error(`slot ${slot} reads back differently from what was written (flash fault); not activated`);

  record.slots[slot] = { state: 'trial', version, bytes: file.length, sha256 };
  record.fallback = record.active;
  record.active = slot;
  record.trialBootsLeft = 1;
  writeBootRecord(part, record);
  return { slot, erases: erases + 1, programmedBytes };
}
