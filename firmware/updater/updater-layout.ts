/**
 * Where things sit in the `updater` flash partition (never touched by a
 * reset): two erase blocks for the boot record (written copy-on-write, one
 * after the other), one block for the update signing key the factory put
 * there, then two equal application slots A and B. A slot holds an update
 * file exactly as it was downloaded (signed manifest + compressed bundle),
 * so the boot loader can check it again before running it.
 */
import type { FlashPartition } from '../../hal/contract';

export type SlotName = 'A' | 'B';
export const SLOT_NAMES: readonly SlotName[] = ['A', 'B'];

export interface SlotExtent {
  /** First erase block of the slot. */
  firstBlock: number;
  blocks: number;
  /** Byte offset in the partition. */
  offset: number;
  /** Capacity, bytes: the largest update file the slot takes. */
  size: number;
}

export interface UpdaterLayout {
  /** The two blocks the boot record alternates between. */
  recordBlocks: [number, number];
  /** Block holding the update signing key. */
  keyBlock: number;
  slots: Record<SlotName, SlotExtent>;
}

const RESERVED_BLOCKS = 3;

export function updaterLayout(part: Pick<FlashPartition, 'size' | 'blockSize'>): UpdaterLayout {
  const blocks = Math.floor(part.size / part.blockSize);
  const slotBlocks = Math.floor((blocks - RESERVED_BLOCKS) / 2);
  if (slotBlocks < 1) throw new Error(`updater partition of ${part.size} bytes has no room for two slots`);
  const slot = (firstBlock: number): SlotExtent => ({ firstBlock, blocks: slotBlocks, offset: firstBlock * part.blockSize, size: slotBlocks * part.blockSize });
  return { recordBlocks: [0, 1], keyBlock: 2, slots: { A: slot(RESERVED_BLOCKS), B: slot(RESERVED_BLOCKS + slotBlocks) } };
}

/** The slot an update goes to: the one not booted (A when the factory image runs). */
export function inactiveSlot(active: SlotName | null): SlotName {
  return active === 'A' ? 'B' : 'A';
}
