/**
 * The log package of a simulated phone, made on the host from its flash
 * (an image file, or the running phone's flash dump) and keystore with the
 * firmware's own function (firmware/logs/log-package.ts): what `phone logs
 * package` and the browser UI's "Download logs" hand out. Lines still in
 * the running firmware's RAM buffer (at most a few seconds) are not in it.
 */
import type { Crypto } from '../../hal/contract';
import type { BoardProfile } from '../../hal/boards';
import { buildLogPackage } from '../../firmware/logs/log-package';
import { RotatingLogFile, type LogName } from '../../firmware/logs/rotating-log-file';
import { utf8Decode } from '../../firmware/kernel/text-codec';
import { FileStore } from '../../firmware/storage/file-store';
import { VirtualFlash } from '../devices/flash';

/** Keys may be used, never made or destroyed: mounting a copy must not touch the phone's keystore. */
function readOnlyCrypto(c: Crypto): Crypto {
  const refuse = (what: string) => (): never => { throw new Error(`${what}: the log package reads the keystore only`); };
  return {
    sha1: (d) => c.sha1(d),
    sha256: (d) => c.sha256(d),
    hmacSha256: (k, d) => c.hmacSha256(k, d),
    pbkdf2Sha256: (p, s, i, l) => c.pbkdf2Sha256(p, s, i, l),
    randomBytes: (n) => c.randomBytes(n),
    aesCbcEncrypt: (k, iv, d) => c.aesCbcEncrypt(k, iv, d),
    aesCbcDecrypt: (k, iv, d) => c.aesCbcDecrypt(k, iv, d),
    hasKey: (n) => c.hasKey(n),
    listKeys: (p) => c.listKeys(p),
    encrypt: (n, d, aad) => c.encrypt(n, d, aad),
    decrypt: (n, d, aad) => c.decrypt(n, d, aad),
    verify: (a, k, d, sig) => c.verify(a, k, d, sig),
    signingPublicKey: (n) => c.signingPublicKey(n),
    sign: (n, d) => c.sign(n, d),
    generateKey: refuse('generateKey'),
    generateSigningKey: refuse('generateSigningKey'),
    importSigningKey: refuse('importSigningKey'),
    destroyKey: refuse('destroyKey'),
  };
}

/** Mount a private copy of the `fs` partition of a raw flash image (all partitions, board order). */
export function mountFsCopy(image: Uint8Array, profile: BoardProfile, crypto: Crypto): FileStore {
  const flash = VirtualFlash.fromImage(profile.flash, Buffer.from(image));
  return FileStore.mount(flash.open('fs'), readOnlyCrypto(crypto));
}

export interface PackageFromFlash {
  image: Uint8Array;
  profile: BoardProfile;
  crypto: Crypto;
  mac: string;
  now?: number;
}

export function logPackageFromFlash(o: PackageFromFlash): Promise<Uint8Array> {
  const fs = mountFsCopy(o.image, o.profile, o.crypto);
  return buildLogPackage({ fs, mac: o.mac.toLowerCase(), now: o.now ?? Date.now(), firmwareVersion: 'read from flash by the simulator' });
}

/** One log's text (every kept generation, oldest first). */
export function logTextFromFlash(o: Omit<PackageFromFlash, 'mac' | 'now'>, name: LogName): string {
  const fs = mountFsCopy(o.image, o.profile, o.crypto);
  return utf8Decode(new RotatingLogFile(fs, name, () => ({ maxBytes: Infinity, maxFiles: Infinity })).readAll());
}
