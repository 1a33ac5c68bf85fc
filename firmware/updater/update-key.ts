/**
 * The public key update files must be signed with, kept in the `updater`
 * partition's key block (written at the factory, or by the simulator's
 * staging; never by a reset or an update). Format (little-endian):
 *
 *   "PKEY" | algorithm u8 (1 ed25519, 2 ecdsa-p256) | 0xFF | key length u16 | key (DER SubjectPublicKeyInfo) | CRC-32 u32
 */
import type { FlashPartition, SignatureAlgorithm } from '../../hal/contract';
import { crc32 } from '../storage/crc32';
import { asciiBytes, padToUnit, readU32, startsWithAscii, writeU32 } from './flash-words';
import { updaterLayout } from './updater-layout';

export interface UpdateKey {
  algorithm: SignatureAlgorithm;
  /** DER SubjectPublicKeyInfo. */
  publicKeyDer: Uint8Array;
}

const MAGIC = 'PKEY';
const HEADER = 8;
const ALGORITHMS: SignatureAlgorithm[] = ['ed25519', 'ecdsa-p256'];

export function readUpdateKey(part: FlashPartition): UpdateKey | null {
  const at = updaterLayout(part).keyBlock * part.blockSize;
  const head = part.read(at, HEADER);
  if (!startsWithAscii(head, MAGIC)) return null;
  const algorithm = ALGORITHMS[head[4] - 1];
  const length = head[6] | (head[7] << 8);
  if (!algorithm || length === 0 || length > part.blockSize - HEADER - 4) return null;
  const bytes = part.read(at, HEADER + length + 4);
  if (crc32(bytes, 0, HEADER + length) !== readU32(bytes, HEADER + length)) return null;
  return { algorithm, publicKeyDer: bytes.slice(HEADER, HEADER + length) };
}

/** The factory's step (and the simulator's): erase the key block and program `key` into it. */
export function writeUpdateKey(part: FlashPartition, key: UpdateKey): void {
  const at = updaterLayout(part).keyBlock;
  const bytes = new Uint8Array(HEADER + key.publicKeyDer.length + 4);
  bytes.set(asciiBytes(MAGIC), 0);
  bytes[4] = ALGORITHMS.indexOf(key.algorithm) + 1;
  bytes[5] = 0xff;
  bytes[6] = key.publicKeyDer.length & 0xff;
  bytes[7] = key.publicKeyDer.length >> 8;
  bytes.set(key.publicKeyDer, HEADER);
  writeU32(bytes, HEADER + key.publicKeyDer.length, crc32(bytes, 0, HEADER + key.publicKeyDer.length));
  part.erase(at);
  part.program(at * part.blockSize, padToUnit(bytes, part.progSize));
}
