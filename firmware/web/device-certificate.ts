/**
 * The web server's TLS certificate: a provisioned one (PEM certificate and
 * PKCS#8 private key given by configuration, `device.sec.TLS.customDeviceCert1.*`)
 * or else a per-device self-signed one made on first boot.
 *
 * The private key lives in the crypto device under `web.tls.*` (it is never
 * in flash or in the firmware's memory); the certificate (public) in nvram,
 * class `certificates`. The resets that remove certificates and keys
 * (Reset Device Settings, Reset to Factory and Factory Partial) destroy both
 * through the data-class declaration of web-module.ts, and the next boot makes
 * a new one. Built here with a small DER writer and `crypto.sign`:
 * ECDSA P-256 with SHA-256, X.509 v3, subject and issuer CN = the phone's
 * host name, subjectAltName DNS of the same name.
 */
import type { BoardInfo, Crypto } from '../../hal/contract';
import type { ComponentLogger } from '../kernel/logger';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { bitString, booleanTrue, explicit, octetString, oid, sequence, set, smallInteger, time, tlv, unsignedInteger, utf8String } from './der';
import { pemDecode, pemEncode } from './pem';

/** Every web TLS key starts with this (the `deviceKeys` of the `certificates` class). */
export const WEB_KEY_PREFIX = 'web.tls';
export const SELF_SIGNED_KEY = 'web.tls.device';
export const PROVISIONED_KEY = 'web.tls.provisioned';
const SELF_SIGNED_FILE = 'web/device-cert.pem';
const PROVISIONED_FILE = 'web/provisioned-cert.pem';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** RFC 5280 4.1.2.5: no well-defined expiration date. A device cannot renew its own certificate. */
const NO_EXPIRY = Date.UTC(9999, 11, 31, 23, 59, 59);
/** A board without a set clock at first boot (1970) still gets a certificate valid today. */
const EARLIEST_NOT_BEFORE = Date.UTC(2024, 0, 1);

export interface ServedCertificate {
  certificatePem: string;
  keyName: string;
  origin: 'provisioned' | 'self-signed';
}

export interface CertificateDeps {
  crypto: Crypto;
  nvram: FileStore;
  board: BoardInfo;
  now(): number;
  log: ComponentLogger;
}

/** The phone's name in its certificate (and how a browser reaches it by mDNS). */
export function deviceHostName(board: BoardInfo): string {
  return `phone-${board.mac.toLowerCase()}.local`;
}

/** The certificate to serve: the provisioned one if adopted, else the self-signed one (made now if absent or its key is gone). */
export function servedCertificate(d: CertificateDeps): ServedCertificate {
  const provisioned = readPem(d.nvram, PROVISIONED_FILE);
  if (provisioned && keyMatches(d.crypto, PROVISIONED_KEY, provisioned)) {
    return { certificatePem: provisioned, keyName: PROVISIONED_KEY, origin: 'provisioned' };
  }
  const existing = readPem(d.nvram, SELF_SIGNED_FILE);
  if (existing && keyMatches(d.crypto, SELF_SIGNED_KEY, existing)) {
    return { certificatePem: existing, keyName: SELF_SIGNED_KEY, origin: 'self-signed' };
  }
  d.crypto.generateSigningKey(SELF_SIGNED_KEY);
  const der = buildSelfSignedCertificate(d.crypto, SELF_SIGNED_KEY, deviceHostName(d.board), d.now());
  const pem = pemEncode('CERTIFICATE', der);
  d.nvram.write(SELF_SIGNED_FILE, utf8Encode(pem), { cls: 'certificates' });
  d.log.notice(`device certificate generated (self-signed, ECDSA P-256, CN=${deviceHostName(d.board)})`);
  return { certificatePem: pem, keyName: SELF_SIGNED_KEY, origin: 'self-signed' };
}

/**
 * Adopt a provisioned certificate and key (PEM). Null when adopted (or
 * already in force); else why it was refused: the certificate in force stays.
 */
export function adoptProvisionedCertificate(d: CertificateDeps, certificatePem: string, privateKeyPem: string): string | null {
  const certDer = pemDecode('CERTIFICATE', certificatePem);
  if (!certDer) return 'the certificate is not a PEM CERTIFICATE';
  const keyDer = pemDecode('PRIVATE KEY', privateKeyPem);
  if (!keyDer) return 'the private key is not a PEM PRIVATE KEY (PKCS#8)';
  const current = readPem(d.nvram, PROVISIONED_FILE);
  if (current === certificatePem && keyMatches(d.crypto, PROVISIONED_KEY, current)) return null;
  const staging = `${PROVISIONED_KEY}.new`;
  try {
    d.crypto.importSigningKey(staging, keyDer);
    if (!contains(certDer, d.crypto.signingPublicKey(staging))) return 'the private key does not belong to the certificate';
    d.crypto.importSigningKey(PROVISIONED_KEY, keyDer);
  } catch (e) {
    return `the private key was refused (${(e as Error).message})`;
  } finally {
    d.crypto.destroyKey(staging);
    keyDer.fill(0);
  }
  d.nvram.write(PROVISIONED_FILE, utf8Encode(certificatePem), { cls: 'certificates' });
  return null;
}

export function buildSelfSignedCertificate(crypto: Crypto, keyName: string, hostName: string, now: number): Uint8Array {
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(hostName))));
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const notBefore = Math.max(now - 24 * 3600_000, EARLIEST_NOT_BEFORE);
  const extension = (id: string, critical: boolean, value: Uint8Array) =>
    sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));
  const extensions = sequence(
    // CA:TRUE as `openssl req -x509` makes it: the certificate is its own trust anchor in a browser or curl --cacert.
    extension('2.5.29.19', true, sequence(booleanTrue())),
    // digitalSignature, keyCertSign
    extension('2.5.29.15', true, tlv(0x03, new Uint8Array([0x02, 0x84]))),
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
    extension('2.5.29.17', false, sequence(tlv(0x82, utf8Encode(hostName)))),
  );
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(NO_EXPIRY)),
    name,
    crypto.signingPublicKey(keyName),
    explicit(3, extensions),
  );
  return sequence(tbs, algorithm, bitString(crypto.sign(keyName, tbs)));
}

function readPem(nvram: FileStore, file: string): string | null {
  const bytes = nvram.read(file);
  return bytes ? utf8Decode(bytes) : null;
}

/** The key is in the crypto device and is the one of this certificate (its SubjectPublicKeyInfo is in the certificate). */
function keyMatches(crypto: Crypto, keyName: string, certificatePem: string): boolean {
  if (!crypto.hasKey(keyName)) return false;
  const der = pemDecode('CERTIFICATE', certificatePem);
  try {
    return der !== null && contains(der, crypto.signingPublicKey(keyName));
  } catch {
    return false;
  }
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}


