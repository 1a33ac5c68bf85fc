/**
 * The strongest forensic check of "delete is erase": every record of a raw
 * flash dump (live, stale, uncommitted — as `phone inspect` lists them,
 * sim/cli/commands/inspect.ts), with EVERY key the keystore still holds
 * tried on every sealed one. What decrypts is what an attacker holding the
 * chip and its secure element could still read. Not a test file itself.
 */
import type { BoardProfile } from '../../hal/boards';
import type { Crypto } from '../../hal/contract';
import { inspectImage } from '../../sim/cli/commands/inspect';
import type { FlashGeometry } from '../../sim/devices/flash';
import { FLAG_KEY_GENERATION, FLAG_SEALED, KEY_GENERATION_BYTES, RecordKind, decodeMeta, decodeRecordHeader } from '../../firmware/storage/record-format';

export interface DecryptedRecord {
  /** Offset of the record in the dump. */
  start: number;
  path: string;
  cls: string;
  user: string;
  /** As inspect sees it: live, stale, or null when the store would repair itself first. */
  live: boolean | null;
  /** The keystore key that opened it. */
  key: string;
  text: string;
}

/** Every sealed record of the dump that some key of the keystore decrypts, with its plain text. */
export function decryptableRecords(image: Uint8Array, flash: BoardProfile | FlashGeometry, crypto: Pick<Crypto, 'listKeys' | 'decrypt'>): DecryptedRecord[] {
  const profile = ('flash' in flash ? flash : { profile: 'test-geometry', flash }) as BoardProfile;
  const keys = crypto.listKeys('store.');
  const out: DecryptedRecord[] = [];
  for (const part of inspectImage(image, profile).partitions) {
    for (const r of part.records) {
      const h = decodeRecordHeader(image, r.start);
      if (!(h.flags & FLAG_SEALED) || h.kind === RecordKind.Delete || h.kind === RecordKind.EraseIntent) continue;
      const m = decodeMeta(image, r.start, h, (b) => Buffer.from(b).toString('utf8'));
      let data = image.subarray(r.start + m.dataOffset, r.start + m.dataOffset + m.dataLength);
      if (h.flags & FLAG_KEY_GENERATION) data = data.subarray(KEY_GENERATION_BYTES);
      const aad = new Uint8Array(Buffer.from(`${r.cls}:${r.path}`, 'utf8'));
      for (const key of keys) {
        try {
          const plain = crypto.decrypt(key, data, aad);
          out.push({ start: r.start, path: r.path, cls: r.cls, user: r.user, live: r.live, key, text: Buffer.from(plain).toString('utf8') });
          break;
        } catch {
          // Not this key.
        }
      }
    }
  }
  return out;
}

/** The decryptable records whose text contains any of `needles`. */
export function decryptableMentions(records: DecryptedRecord[], needles: string[]): string[] {
  return records.filter((r) => needles.some((n) => r.text.includes(n))).map((r) => `${r.live ? 'live' : 'stale'} ${r.cls} record ${r.path} (user "${r.user}") opens with ${r.key}: ${r.text.slice(0, 80)}`);
}
