/**
 * The key of the log redaction hash: 32 random bytes from the HAL, kept in
 * the flash store as `logs/redaction.key` in class `logs`, so it is sealed
 * under the keystore key of that class and goes with the logs: a reset that
 * erases the logs class (eraseClass('logs')) destroys it, and the redaction
 * filter (./logs-module.ts) notices that and makes a new one, so tokens after
 * the erase cannot be tied to tokens before it.
 */
import type { Crypto } from '../../hal/contract';
import type { FileStore } from '../storage/file-store';

export const REDACTION_KEY_PATH = 'logs/redaction.key';

export function loadRedactionKey(store: FileStore, crypto: Crypto, log: (m: string) => void): Uint8Array {
  const existing = store.read(REDACTION_KEY_PATH);
  if (existing && existing.length === 32) return existing;
  const key = crypto.randomBytes(32);
  try {
    store.write(REDACTION_KEY_PATH, key, { cls: 'logs' });
  } catch (e) {
    // Tokens stay consistent for this boot only.
    log(`log redaction key not stored (${(e as Error).message}): tokens will differ after a reboot`);
  }
  return key;
}
