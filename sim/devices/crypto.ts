/**
 * The SoC crypto engine and secure element, on Node's crypto. Named keys live
 * in a keystore outside the flash image (as in a secure element): the flash
 * dump never contains them, and destroying one is a cryptographic erase.
 */
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import type { Crypto, SealedItem, SignatureAlgorithm } from '../../hal/contract';
import { writeFileAtomic } from './atomic-file';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** AES keys are raw 32 bytes; signing keys are PKCS#8 DER (longer), so the length tells them apart in one keystore. */
const AES_KEY_BYTES = 32;

/**
 * Where named keys live: the simulator's in-memory `Keystore`, or a board's
 * root-only directory (hal/linux/directory-keystore.ts). `delete` must leave
 * nothing of the key behind.
 */
export interface KeyStorage {
  get(name: string): Buffer | undefined;
  set(name: string, key: Buffer): void;
  delete(name: string): void;
  names(): string[];
}

export class Keystore implements KeyStorage {
  private keys = new Map<string, Buffer>();

  /** Load from a side file (`<image>.keys.json`); absent file = empty keystore. */
  static load(path: string): Keystore {
    const ks = new Keystore();
    if (fs.existsSync(path)) {
      let raw: Record<string, string>;
      try {
        raw = JSON.parse(fs.readFileSync(path, 'utf8'));
      } catch (e) {
        throw new Error(`keystore ${path} unreadable: ${(e as Error).message}`);
      }
      for (const [name, hex] of Object.entries(raw)) ks.keys.set(name, Buffer.from(hex, 'hex'));
    }
    return ks;
  }

  /** Replaced atomically (a torn keystore would make its flash image unreadable), owner-only. */
  save(path: string): void {
    const raw: Record<string, string> = {};
    for (const [name, key] of this.keys) raw[name] = key.toString('hex');
    writeFileAtomic(path, JSON.stringify(raw, null, 1), 0o600);
  }

  get(name: string): Buffer | undefined { return this.keys.get(name); }
  set(name: string, key: Buffer): void { this.keys.set(name, key); }
  delete(name: string): void {
    const key = this.keys.get(name);
    if (key) key.fill(0);
    this.keys.delete(name);
  }
  names(): string[] { return [...this.keys.keys()].sort(); }
}

/** `K`: where the named keys live (the simulator's Keystore by default, a board's DirectoryKeystore). */
export class NodeCryptoEngine<K extends KeyStorage = Keystore> implements Crypto {
  readonly keystore: K;

  constructor(keystore?: K) {
    this.keystore = keystore ?? (new Keystore() as KeyStorage as K);
  }

  sha1(data: Uint8Array): Uint8Array { return digest('sha1', data); }
  sha256(data: Uint8Array): Uint8Array { return digest('sha256', data); }
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(nodeCrypto.createHmac('sha256', key).update(data).digest());
  }
  pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
    return new Uint8Array(nodeCrypto.pbkdf2Sync(password, salt, iterations, length, 'sha256'));
  }
  randomBytes(length: number): Uint8Array { return new Uint8Array(nodeCrypto.randomBytes(length)); }

  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const c = nodeCrypto.createCipheriv(cbcName(key), key, iv);
    return new Uint8Array(Buffer.concat([c.update(plaintext), c.final()]));
  }
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    const d = nodeCrypto.createDecipheriv(cbcName(key), key, iv);
    return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
  }

  generateKey(name: string): void { this.keystore.set(name, nodeCrypto.randomBytes(AES_KEY_BYTES)); }
  hasKey(name: string): boolean { return this.keystore.get(name) !== undefined; }
  destroyKey(name: string): void { this.keystore.delete(name); }
  listKeys(prefix = ''): string[] { return this.keystore.names().filter((n) => n.startsWith(prefix)); }

  encrypt(keyName: string, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
    const key = this.key(keyName);
    const iv = nodeCrypto.randomBytes(IV_BYTES);
    const c = nodeCrypto.createCipheriv('aes-256-gcm', key, iv);
    if (aad) c.setAAD(aad);
    const ct = Buffer.concat([c.update(plaintext), c.final()]);
    return new Uint8Array(Buffer.concat([iv, ct, c.getAuthTag()]));
  }

  decrypt(keyName: string, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
    const key = this.key(keyName);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error(`sealed data too short (${sealed.length} bytes)`);
    const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const d = nodeCrypto.createDecipheriv('aes-256-gcm', key, b.subarray(0, IV_BYTES));
    if (aad) d.setAAD(aad);
    d.setAuthTag(b.subarray(b.length - TAG_BYTES));
    try {
      return new Uint8Array(Buffer.concat([d.update(b.subarray(IV_BYTES, b.length - TAG_BYTES)), d.final()]));
    } catch {
      throw new Error(`decryption under key "${keyName}" failed: data was altered or belongs to another key`);
    }
  }

  decryptEach(items: SealedItem[]): (Uint8Array | string)[] {
    return items.map((it) => {
      try {
        return this.decrypt(it.keyName, it.sealed, it.aad);
      } catch (e) {
        return (e as Error).message;
      }
    });
  }

  verify(algorithm: SignatureAlgorithm, publicKeyDer: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
    const key = nodeCrypto.createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
    const expected = algorithm === 'ed25519' ? 'ed25519' : 'ec';
    if (key.asymmetricKeyType !== expected || (algorithm === 'ecdsa-p256' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) {
      throw new Error(`public key is ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}, not ${algorithm}`);
    }
    try {
      return nodeCrypto.verify(algorithm === 'ed25519' ? null : 'sha256', data, key, signature);
    } catch {
      // A malformed signature (wrong length, bad DER) is a failed check, not a fault.
      return false;
    }
  }

  generateSigningKey(name: string): void {
    const { privateKey } = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.keystore.set(name, privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer);
  }

  importSigningKey(name: string, pkcs8Der: Uint8Array): void {
    let key: nodeCrypto.KeyObject;
    try {
      key = nodeCrypto.createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
    } catch (e) {
      throw new Error(`signing key "${name}": not a PKCS#8 DER private key (${(e as Error).message})`);
    }
    checkP256(name, key);
    this.keystore.set(name, key.export({ format: 'der', type: 'pkcs8' }) as Buffer);
  }

  signingPublicKey(name: string): Uint8Array {
    const key = nodeCrypto.createPublicKey(this.signingKey(name));
    return new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  }

  sign(name: string, data: Uint8Array): Uint8Array {
    return new Uint8Array(nodeCrypto.sign('sha256', data, this.signingKey(name)));
  }

  /**
   * Host side only (never part of the HAL contract): the private key as PEM for
   * the host's own TLS listener (sim/devices/http-server.ts), which stands in
   * for a TLS stack inside the secure element.
   */
  signingKeyPem(name: string): string {
    return this.signingKey(name).export({ format: 'pem', type: 'pkcs8' }) as string;
  }

  private signingKey(name: string): nodeCrypto.KeyObject {
    const raw = this.keystore.get(name);
    if (!raw) throw new Error(`no key "${name}" in the keystore`);
    if (raw.length === AES_KEY_BYTES) throw new Error(`key "${name}" is an AES key, not a signing key`);
    const key = nodeCrypto.createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
    checkP256(name, key);
    return key;
  }

  private key(name: string): Buffer {
    const key = this.keystore.get(name);
    if (!key) throw new Error(`no key "${name}" in the keystore`);
    if (key.length !== AES_KEY_BYTES) throw new Error(`key "${name}" is a signing key, not an AES key`);
    return key;
  }
}

function checkP256(name: string, key: nodeCrypto.KeyObject): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`signing key "${name}" is ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}, not ECDSA P-256`);
  }
}

function digest(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.createHash(algorithm).update(data).digest());
}

function cbcName(key: Uint8Array): string {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new Error(`AES key must be 16 or 32 bytes, got ${key.length}`);
}
