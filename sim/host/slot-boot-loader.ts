/**
 * The boot loader of the simulator and of `phone run` on a board: what a
 * boot ROM and updater stage do before the application starts. It reads the boot record in the `updater`
 * partition (firmware/updater/boot-selection.ts: trial-boot accounting and
 * rollback, written to the virtual flash like any firmware write) and loads
 * the chosen slot's update file: its stored hash checked against the record,
 * the bundle and its resource pack inflated and checked against the signed manifest. No record, or
 * nothing bootable left: the factory image (the `dist/firmware.js` file).
 */
import * as nodeCrypto from 'crypto';
import { inflateSync } from 'fflate';
import type { Flash, FlashPartition } from '../../hal/contract';
import type { SlotInfo } from '../../firmware/updater/boot-record';
import { chooseBootSlot } from '../../firmware/updater/boot-selection';
import { parseUpdateFile } from '../../firmware/updater/update-file';
import { updaterLayout, type SlotName } from '../../firmware/updater/updater-layout';
import { BundleSourceMap } from '../source-map';
import type { LoadedImage } from './firmware-image-cache';
import { ResourcePack } from './resource-pack';

export interface BootImage extends LoadedImage {
  /** `factory image`, or `slot B (0.2.0, trial)`. */
  label: string;
  /** Rollbacks and trial boots, for the serial console. */
  notes: string[];
}

/** Images inflated from slots, by file hash: a reboot into the same slot does not inflate again. */
const inflated = new Map<string, SlotImage>();

interface SlotImage { code: string; resources: ResourcePack | null }
const NO_SOURCE_MAP = new BundleSourceMap('');

/** Throws what the flash throws while the boot record is written (PowerCutError in the simulator). */
export function loadBootImage(flash: Flash, factory: LoadedImage): BootImage {
  if (!flash.partitions().includes('updater')) return { ...factory, label: 'factory image', notes: [] };
  const part = flash.open('updater');
  const choice = chooseBootSlot(part, (slot, info) => slotImage(part, slot, info) !== null);
  if (choice.slot === null) return { ...factory, label: 'factory image', notes: choice.notes };
  const { code, resources } = slotImage(part, choice.slot, choice.info!)!;
  return { code, resources, sourceMap: NO_SOURCE_MAP, build: { version: choice.version ?? '', hash: choice.info!.sha256.slice(0, 12), builtAt: 0 }, label: `slot ${choice.slot} (${choice.version}${choice.trial ? ', trial' : ''})`, notes: choice.notes };
}

/** The bundle and resource pack in a slot, or null when the slot's bytes do not match its record or its manifest. */
function slotImage(part: FlashPartition, slot: SlotName, info: SlotInfo): SlotImage | null {
  if (info.bytes <= 0) return null;
  const extent = updaterLayout(part).slots[slot];
  if (info.bytes > extent.size) return null;
  const cached = inflated.get(info.sha256);
  const bytes = part.read(extent.offset, info.bytes);
  if (sha256Hex(bytes) !== info.sha256) return null;
  if (cached !== undefined) return cached;
  const parsed = parseUpdateFile(bytes);
  if (!parsed.ok) return null;
  const { payload, manifest } = parsed.file;
  if (sha256Hex(payload) !== manifest.payload.sha256) return null;
  let image: Uint8Array;
  try {
    image = manifest.payload.encoding === 'deflate-raw' ? inflateSync(payload) : payload;
  } catch {
    return null;
  }
  const { bundleBytes, resourceBytes = 0, resourceSha256 } = manifest.payload;
  if (image.length !== bundleBytes + resourceBytes) return null;
  const bundle = image.subarray(0, bundleBytes);
  if (sha256Hex(bundle) !== manifest.payload.bundleSha256) return null;
  let resources: ResourcePack | null = null;
  if (resourceBytes > 0) {
    const pack = image.subarray(bundleBytes);
    if (sha256Hex(pack) !== resourceSha256) return null;
    try {
      resources = new ResourcePack(pack);
    } catch {
      return null;
    }
  }
  const loaded = { code: Buffer.from(bundle).toString('utf8'), resources };
  if (inflated.size >= 4) inflated.delete(inflated.keys().next().value!);
  inflated.set(info.sha256, loaded);
  return loaded;
}

function sha256Hex(data: Uint8Array): string {
  return nodeCrypto.createHash('sha256').update(data).digest('hex');
}
