/**
 * Writing the signed update file the phone fetches from `APP_FILE_PATH`
 * (format: firmware/updater/update-file.ts, docs/update.md): the bundle and
 * its resource pack raw-deflated (two must fit the updater partition), a manifest naming
 * version, board and hashes, signed with the update key.
 */
import * as nodeCrypto from 'crypto';
import { deflateSync } from 'fflate';
import { UPDATE_FILE_MAGIC, UPDATE_HEADER_BYTES, type UpdateManifest } from '../../firmware/updater/update-file';
import { keyId, sign, type SigningKey } from './signing-key';

export interface UpdateFileInput {
  /** The firmware bundle (dist/firmware.js). */
  bundle: Uint8Array;
  /** Its resource pack (dist/firmware.res), carried after the bundle; absent for an image without. */
  resources?: Uint8Array;
  version: string;
  board: string;
  key: SigningKey;
  /** Build time in the manifest (default now). */
  built?: Date;
}

export function makeUpdateFile(input: UpdateFileInput): { bytes: Buffer; manifest: UpdateManifest } {
  const image = input.resources ? Buffer.concat([input.bundle, input.resources]) : input.bundle;
  const payload = Buffer.from(deflateSync(image, { level: 9 }));
  const manifest: UpdateManifest = {
    format: 1,
    version: input.version,
    board: input.board,
    algorithm: input.key.algorithm,
    keyId: keyId(input.key.publicKeyDer),
    payload: {
      encoding: 'deflate-raw',
      bytes: payload.length,
      sha256: sha256Hex(payload),
      bundleBytes: input.bundle.length,
      bundleSha256: sha256Hex(input.bundle),
      ...(input.resources ? { resourceBytes: input.resources.length, resourceSha256: sha256Hex(input.resources) } : {}),
    },
    built: (input.built ?? new Date()).toISOString(),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const signature = sign(input.key, manifestBytes);
  const header = Buffer.alloc(UPDATE_HEADER_BYTES);
  header.write(UPDATE_FILE_MAGIC, 0, 'ascii');
  header.writeUInt32LE(manifestBytes.length, 8);
  header.writeUInt32LE(signature.length, 12);
  return { bytes: Buffer.concat([header, manifestBytes, signature, payload]), manifest };
}

/** SHA-256 in hex, as manifests and boot records write it. */
export function sha256Hex(data: Uint8Array): string {
  return nodeCrypto.createHash('sha256').update(data).digest('hex');
}
