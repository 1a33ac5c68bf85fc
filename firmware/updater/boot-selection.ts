/**
 * The boot loader's decision, shared by every host that boots from the A/B
 * slots (the simulator today): which slot runs, with trial-boot accounting in
 * the boot record.
 *
 * - a slot in `trial` with boots left: one boot is used up (record written
 *   BEFORE the slot runs, so a slot that hangs, crashes or loses power before
 *   reaching idle has used its boot);
 * - a slot in `trial` with none left never reached idle: it becomes `bad` and
 *   the fallback boots (the rollback);
 * - a slot whose bytes no longer match the record (`slotIntact` false), or that
 *   is empty or bad: the fallback boots;
 * - no record, or nothing left to fall back to: the factory image.
 *
 * Every step is one copy-on-write record write, so a power cut anywhere leaves
 * a record from before or after the step, and both boot something.
 */
import type { FlashPartition } from '../../hal/contract';
import { readBootRecord, writeBootRecord, type BootRecord, type SlotInfo } from './boot-record';
import type { SlotName } from './updater-layout';

export interface BootChoice {
  /** null: the factory image. */
  slot: SlotName | null;
  /** The slot's version ('' for the factory image: the host knows it). */
  version: string;
  /** The slot's record entry (null for the factory image). */
  info: SlotInfo | null;
  /** This boot is a trial of a newly installed slot. */
  trial: boolean;
  /** What happened, for the boot log (rollbacks named). */
  notes: string[];
}

export function chooseBootSlot(part: FlashPartition, slotIntact: (slot: SlotName, info: SlotInfo) => boolean): BootChoice {
  const stored = readBootRecord(part);
  if (!stored) return { slot: null, version: '', info: null, trial: false, notes: [] };
  const record: BootRecord = JSON.parse(JSON.stringify(stored));
  const notes: string[] = [];
  // Each pass either boots or moves to the fallback, which is never the slot just left: at most three passes.
  for (let pass = 0; pass < 3 && record.active !== null; pass++) {
    const slot = record.active;
    const info = record.slots[slot];
    let problem = '';
    if (info.state === 'empty' || info.state === 'bad') problem = `is ${info.state}`;
    else if (!slotIntact(slot, info)) problem = 'does not match its recorded hash (flash damaged)';
    else if (info.state === 'trial' && record.trialBootsLeft <= 0) problem = 'did not reach idle on its trial boot';
    if (!problem) {
      if (info.state === 'trial') {
        record.trialBootsLeft--;
        writeBootRecord(part, record);
        notes.push(`slot ${slot} (${info.version}): trial boot`);
      }
      return { slot, version: info.version, info, trial: info.state === 'trial', notes };
    }
    const to = record.fallback !== null && record.fallback !== slot ? record.fallback : null;
    notes.push(`slot ${slot} (${info.version || 'no image'}) ${problem}: rolling back to ${to ? `slot ${to} (${record.slots[to].version})` : 'the factory image'}`);
    if (info.state !== 'empty') record.slots[slot] = { ...info, state: 'bad' };
    record.active = to;
    record.fallback = null;
    record.trialBootsLeft = 0;
    writeBootRecord(part, record);
  }
  return { slot: null, version: '', info: null, trial: false, notes };
}
