/**
 * Configuration-file encryption (spec: "Encryption"; format in
 * docs/config-encryption.md). Pure: the cipher and digest come from the HAL
 * crypto device given by the caller, so the same code runs in the firmware
 * (inside QuickJS) and in the host CLI (`phone crypt`).
 *
 * An encrypted file is one ASCII header line, then the raw ciphertext:
 *
 *   Crypt=1;KeyDesc=<name>;Alg=AES-128-CBC;IV=<32 hex>;Length=<plaintext bytes>;Digest=SHA-256:<64 hex>;\n
 *   <AES-128-CBC(key, IV, PKCS#7-padded plaintext)>
 *
 * The key comes from `device.sec.configEncryption.key`:
 *   Crypt=1;KeyDesc=<name>;Key=<32 hex digits>;
 */
import { bytesToHex, hexToBytes } from '../kernel/hex';
import type { Crypto } from '../../hal/contract';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';

export interface ConfigEncryptionKey {
  /** The key's name (`KeyDesc`), written into every file it encrypts. */
  description: string;
  /** 16 raw key bytes. */
  key: Uint8Array;
}

/** Why a file could not be decrypted; the message names the file's problem for the log and the screen. */
export type DecryptFailure = 'no-key' | 'bad-header' | 'key-mismatch' | 'truncated' | 'wrong-key-or-corrupt';

export class ConfigDecryptError extends Error {
  constructor(readonly reason: DecryptFailure, message: string) {
    super(message);
    this.name = 'ConfigDecryptError';
  }
}

const MAGIC = 'Crypt=';
const ALGORITHM = 'AES-128-CBC';
const DIGEST_PREFIX = 'SHA-256:';
const BLOCK = 16;
/** A header longer than this is not ours: refuse before scanning a large body for a newline. */
const MAX_HEADER_BYTES = 512;
const KEY_DESC_PATTERN = /^[A-Za-z0-9._@+-]{1,64}$/;

/**
 * Parse `Crypt=1;KeyDesc=<name>;Key=<32 hex>;`. Fields in any order,
 * whitespace around them ignored; the trailing `;` optional. Throws an Error
 * that says what is wrong (never echoes the key).
 */
export function parseEncryptionKey(text: string): ConfigEncryptionKey {
  const fields = splitFields(text.trim());
  if (fields.Crypt !== '1') throw new Error('encryption key must start with Crypt=1');
  const description = fields.KeyDesc ?? '';
  if (!KEY_DESC_PATTERN.test(description)) throw new Error('encryption key needs KeyDesc=<name> (1-64 of A-Z a-z 0-9 . _ @ + -)');
  const hex = fields.Key ?? '';
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`encryption key "${description}" needs Key=<32 hex digits> (AES-128)`);
  return { description, key: hexToBytes(hex) };
}

export function formatEncryptionKey(key: ConfigEncryptionKey): string {
  return `Crypt=1;KeyDesc=${key.description};Key=${bytesToHex(key.key)};`;
}

/** A fresh random key from the crypto device's random source. */
export function generateEncryptionKey(crypto: Crypto, description: string): ConfigEncryptionKey {
  if (!KEY_DESC_PATTERN.test(description)) throw new Error(`key name "${description}" must be 1-64 of A-Z a-z 0-9 . _ @ + -`);
  return { description, key: crypto.randomBytes(16) };
}

/** Whether `bytes` is an encrypted file (starts with the `Crypt=` header). Plain .cfg/.xml files never do. */
export function isEncryptedFile(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

export function encryptConfigFile(crypto: Crypto, key: ConfigEncryptionKey, plaintext: Uint8Array): Uint8Array {
  const iv = crypto.randomBytes(BLOCK);
  const digest = bytesToHex(crypto.sha256(plaintext));
  const header = `Crypt=1;KeyDesc=${key.description};Alg=${ALGORITHM};IV=${bytesToHex(iv)};Length=${plaintext.length};Digest=${DIGEST_PREFIX}${digest};\n`;
  const head = utf8Encode(header);
  const body = crypto.aesCbcEncrypt(key.key, iv, plaintext);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

export interface EncryptedFileHeader {
  keyDescription: string;
  iv: Uint8Array;
  length: number;
  digestHex: string;
  /** Offset of the ciphertext. */
  bodyOffset: number;
}

export function readEncryptedHeader(bytes: Uint8Array): EncryptedFileHeader {
  let end = -1;
  for (let i = 0; i < Math.min(bytes.length, MAX_HEADER_BYTES); i++) if (bytes[i] === 10) { end = i; break; }
  if (end < 0) {
    const reason = bytes.length < MAX_HEADER_BYTES ? 'truncated' : 'bad-header';
    throw new ConfigDecryptError(reason, reason === 'truncated' ? 'file ends inside its encryption header' : 'encryption header line missing or too long');
  }
  const fields = splitFields(utf8Decode(bytes.subarray(0, end)).replace(/\r$/, ''));
  if (fields.Crypt !== '1') throw new ConfigDecryptError('bad-header', `unsupported encryption header Crypt=${fields.Crypt ?? '?'}`);
  if ((fields.Alg ?? ALGORITHM) !== ALGORITHM) throw new ConfigDecryptError('bad-header', `unsupported cipher ${fields.Alg}`);
  const iv = fields.IV ?? '';
  if (!/^[0-9a-fA-F]{32}$/.test(iv)) throw new ConfigDecryptError('bad-header', 'encryption header IV must be 32 hex digits');
  const lengthText = fields.Length ?? '';
  if (!/^\d{1,9}$/.test(lengthText)) throw new ConfigDecryptError('bad-header', 'encryption header Length must be a byte count');
  const digest = fields.Digest ?? '';
  if (!digest.startsWith(DIGEST_PREFIX) || !/^[0-9a-fA-F]{64}$/.test(digest.slice(DIGEST_PREFIX.length))) {
    throw new ConfigDecryptError('bad-header', 'encryption header Digest must be SHA-256:<64 hex>');
  }
  return {
    keyDescription: fields.KeyDesc ?? '',
    iv: hexToBytes(iv),
    length: Number(lengthText),
    digestHex: digest.slice(DIGEST_PREFIX.length).toLowerCase(),
    bodyOffset: end + 1,
  };
}

/**
 * Decrypt and verify. Throws ConfigDecryptError when there is no key, the
 * file names another key, is cut short, or does not decrypt to its digest.
 */
export function decryptConfigFile(crypto: Crypto, key: ConfigEncryptionKey | null, bytes: Uint8Array): Uint8Array {
  const header = readEncryptedHeader(bytes);
  if (!key) throw new ConfigDecryptError('no-key', `file is encrypted with key "${header.keyDescription}" but the phone has no encryption key`);
  if (header.keyDescription && header.keyDescription !== key.description) {
    throw new ConfigDecryptError('key-mismatch', `file is encrypted with key "${header.keyDescription}", the phone has key "${key.description}"`);
  }
  const body = bytes.subarray(header.bodyOffset);
  const expected = (Math.floor(header.length / BLOCK) + 1) * BLOCK;
  if (body.length < expected) throw new ConfigDecryptError('truncated', `file is truncated: ${body.length} of ${expected} encrypted bytes`);
  if (body.length > expected) throw new ConfigDecryptError('wrong-key-or-corrupt', `file has ${body.length - expected} bytes past its encrypted body`);
  let plain: Uint8Array;
  try {
    plain = crypto.aesCbcDecrypt(key.key, header.iv, body);
  } catch {
    throw new ConfigDecryptError('wrong-key-or-corrupt', `file does not decrypt with key "${key.description}" (bad padding: wrong key or corrupted)`);
  }
  if (plain.length !== header.length || bytesToHex(crypto.sha256(plain)) !== header.digestHex) {
    throw new ConfigDecryptError('wrong-key-or-corrupt', `decrypted file does not match its Digest (wrong key or corrupted)`);
  }
  return plain;
}

function splitFields(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of line.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return fields;
}
