/**
 * Update signing keys on the build host: a PKCS#8 PEM private key (Ed25519 by
 * default, or ECDSA P-256) made by `phone keygen` for development, or a
 * production key kept offline / in an HSM (docs/update.md). The phone holds
 * only the public half, in its updater partition.
 */
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import type { SignatureAlgorithm } from '../../hal/contract';

export interface SigningKey {
  algorithm: SignatureAlgorithm;
  privateKey: nodeCrypto.KeyObject;
  /** DER SubjectPublicKeyInfo, as the phone's key block holds it. */
  publicKeyDer: Buffer;
}

export function generateSigningKey(algorithm: SignatureAlgorithm = 'ed25519'): SigningKey {
  const pair = algorithm === 'ed25519'
    ? nodeCrypto.generateKeyPairSync('ed25519')
    : nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return fromPrivateKey(pair.privateKey);
}

export function signingKeyFromPem(pem: string, source = 'key'): SigningKey {
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPrivateKey(pem);
  } catch (e) {
    throw new Error(`${source}: not a PEM private key (${(e as Error).message})`);
  }
  return fromPrivateKey(key, source);
}

export function loadSigningKey(file: string): SigningKey {
  return signingKeyFromPem(fs.readFileSync(file, 'utf8'), file);
}

export function privateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyPem(key: SigningKey): string {
  return nodeCrypto.createPublicKey(key.privateKey).export({ format: 'pem', type: 'spki' }).toString();
}

/** Signature over `data` as the phone checks it (`Crypto.verify`). */
export function sign(key: SigningKey, data: Uint8Array): Buffer {
  return nodeCrypto.sign(key.algorithm === 'ed25519' ? null : 'sha256', data, key.privateKey);
}

/** First 16 hex digits of the SHA-256 of the public key (what manifests and log lines call the key). */
export function keyId(publicKeyDer: Uint8Array): string {
  return nodeCrypto.createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 16);
}

function fromPrivateKey(privateKey: nodeCrypto.KeyObject, source = 'key'): SigningKey {
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  let algorithm: SignatureAlgorithm;
  if (type === 'ed25519') algorithm = 'ed25519';
  else if (type === 'ec' && curve === 'prime256v1') algorithm = 'ecdsa-p256';
  else throw new Error(`${source}: a ${type}${curve ? ` ${curve}` : ''} key; update keys are Ed25519 or ECDSA P-256`);
  const publicKeyDer = nodeCrypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { algorithm, privateKey, publicKeyDer };
}
