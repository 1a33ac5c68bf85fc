/**
 * The signed update file the phone fetches from `APP_FILE_PATH` (made by
 * `phone image`; docs/update.md). Little-endian:
 *
 *   "PHONEUPD" | manifest length u32 | signature length u32 | manifest (UTF-8 JSON) | signature | payload
 *
 * The signature covers the manifest bytes; the manifest carries the payload's
 * length and SHA-256, so one signature check plus one hash check over native
 * crypto prove the whole file. The payload is the firmware bundle
 * (dist/firmware.js) followed by its resource pack (dist/firmware.res: the
 * font's glyphs, served by the HAL `resources` device), raw-deflate
 * compressed together so two fit the updater partition.
 */
import type { SignatureAlgorithm } from '../../hal/contract';
import { utf8Decode } from '../kernel/text-codec';
import { readU32, startsWithAscii } from './flash-words';

export const UPDATE_FILE_MAGIC = 'PHONEUPD';
export const UPDATE_HEADER_BYTES = 16;
const MAX_MANIFEST_BYTES = 4096;
const MAX_SIGNATURE_BYTES = 512;

export interface UpdateManifest {
  format: 1;
  /** Firmware version of the bundle (package.json's, as the firmware reports it). */
  version: string;
  /** Board profile id the image is built for (`desk-500`). */
  board: string;
  algorithm: SignatureAlgorithm;
  /** First 16 hex digits of the SHA-256 of the signing public key (DER), to name the key in messages. */
  keyId: string;
  payload: {
    encoding: 'deflate-raw' | 'identity';
    bytes: number;
    /** SHA-256 (hex) of the payload as stored. */
    sha256: string;
    /** Length and SHA-256 (hex) of the bundle once inflated: the first bundleBytes of the inflated payload. */
    bundleBytes: number;
    bundleSha256: string;
    /** Length and SHA-256 (hex) of the resource pack that follows the bundle; absent for an image without one. */
    resourceBytes?: number;
    resourceSha256?: string;
  };
  /** Build time, ISO 8601 (informational). */
  built?: string;
}

export interface UpdateFile {
  manifest: UpdateManifest;
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  payload: Uint8Array;
  /** Length of the whole file. */
  bytes: number;
}

export type UpdateFileParse = { ok: true; file: UpdateFile } | { ok: false; error: string };

/** Split and check the structure of an update file (not its signature: see update-verification.ts). */
export function parseUpdateFile(bytes: Uint8Array): UpdateFileParse {
  if (!startsWithAscii(bytes, UPDATE_FILE_MAGIC)) return { ok: false, error: 'not an update file (no PHONEUPD header)' };
  if (bytes.length < UPDATE_HEADER_BYTES) return { ok: false, error: `truncated: ${bytes.length} bytes, header incomplete` };
  const manifestLength = readU32(bytes, 8);
  const signatureLength = readU32(bytes, 12);
  if (manifestLength === 0 || manifestLength > MAX_MANIFEST_BYTES) return { ok: false, error: `manifest length ${manifestLength} out of range` };
  if (signatureLength === 0 || signatureLength > MAX_SIGNATURE_BYTES) return { ok: false, error: `signature length ${signatureLength} out of range` };
  const payloadAt = UPDATE_HEADER_BYTES + manifestLength + signatureLength;
  if (bytes.length < payloadAt) return { ok: false, error: `truncated: ${bytes.length} bytes, manifest and signature need ${payloadAt}` };
  const manifestBytes = bytes.subarray(UPDATE_HEADER_BYTES, UPDATE_HEADER_BYTES + manifestLength);
  const manifest = parseManifest(utf8Decode(manifestBytes));
  if (typeof manifest === 'string') return { ok: false, error: `manifest: ${manifest}` };
  const total = payloadAt + manifest.payload.bytes;
  if (bytes.length < total) return { ok: false, error: `truncated: ${bytes.length} of ${total} bytes` };
  if (bytes.length > total) return { ok: false, error: `${bytes.length - total} bytes after the payload: not the file that was signed` };
  return {
    ok: true,
    file: { manifest, manifestBytes, signature: bytes.subarray(UPDATE_HEADER_BYTES + manifestLength, payloadAt), payload: bytes.subarray(payloadAt, total), bytes: total },
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The manifest, or what is wrong with it. */
function parseManifest(text: string): UpdateManifest | string {
  let m: UpdateManifest;
  try {
    m = JSON.parse(text) as UpdateManifest;
  } catch {
    return 'not JSON';
  }
  if (!m || typeof m !== 'object') return 'not an object';
  if (m.format !== 1) return `format ${String(m.format)} unknown (this firmware reads format 1)`;
  if (typeof m.version !== 'string' || !/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/.test(m.version)) return 'version missing or malformed';
  if (typeof m.board !== 'string' || !/^[a-z0-9-]{1,32}$/.test(m.board)) return 'board missing or malformed';
  if (m.algorithm !== 'ed25519' && m.algorithm !== 'ecdsa-p256') return `signature algorithm ${String(m.algorithm)} unknown`;
  if (typeof m.keyId !== 'string') return 'keyId missing';
  const p = m.payload;
  if (!p || (p.encoding !== 'deflate-raw' && p.encoding !== 'identity')) return 'payload encoding unknown';
  if (!Number.isInteger(p.bytes) || p.bytes <= 0 || !Number.isInteger(p.bundleBytes) || p.bundleBytes <= 0) return 'payload length missing';
  if (!HEX64.test(p.sha256) || !HEX64.test(p.bundleSha256)) return 'payload hash missing or malformed';
  if (p.resourceBytes !== undefined || p.resourceSha256 !== undefined) {
    if (!Number.isInteger(p.resourceBytes) || p.resourceBytes! <= 0 || typeof p.resourceSha256 !== 'string' || !HEX64.test(p.resourceSha256)) return 'resource pack length or hash malformed';
  }
  return m;
}
