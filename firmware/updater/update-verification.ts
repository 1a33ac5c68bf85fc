/**
 * Whether a parsed update file may be installed on this phone: built for its
 * board, signed by the key in the updater partition (checked by the crypto
 * device), and its payload the one the signature covers. Returns the reason
 * for refusal, or null.
 */
import type { Crypto } from '../../hal/contract';
import { bytesToHex } from '../kernel/hex';
import type { UpdateFile } from './update-file';
import type { UpdateKey } from './update-key';

export function keyIdOf(crypto: Pick<Crypto, 'sha256'>, publicKeyDer: Uint8Array): string {
  return bytesToHex(crypto.sha256(publicKeyDer)).slice(0, 16);
}

export function updateRefusal(file: UpdateFile, key: UpdateKey | null, crypto: Pick<Crypto, 'sha256' | 'verify'>, board: string): string | null {
  const m = file.manifest;
  if (m.board !== board) return `built for board ${m.board}, this phone is ${board}`;
  if (!key) return 'no update signing key in the updater partition: the phone installs no update';
  const keyId = keyIdOf(crypto, key.publicKeyDer);
  if (m.algorithm !== key.algorithm) return `signed with ${m.algorithm}, the phone's key ${keyId} is ${key.algorithm}`;
  let good = false;
  try {
    good = crypto.verify(key.algorithm, key.publicKeyDer, file.manifestBytes, file.signature);
  } catch (e) {
    return `signature not checkable: ${(e as Error).message}`;
  }
  if (!good) return `bad signature: not signed by the phone's update key ${keyId} (file names key ${m.keyId})`;
  if (bytesToHex(crypto.sha256(file.payload)) !== m.payload.sha256) return 'payload does not match the hash its signature covers (altered)';
  return null;
}
