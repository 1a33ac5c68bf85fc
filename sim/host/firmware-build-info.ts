/**
 * Which build a simulated phone runs, for the browser UI and `phone sim
 * --watch`: the version from the image's banner line (build/bundle.ts), a
 * short hash of its code, and when the file was built.
 */
import * as nodeCrypto from 'crypto';
import { IMAGE_BANNER_PREFIX } from '../../build/image-banner';

export interface FirmwareBuildInfo {
  /** package.json version the image was built with; '' for an image without the banner. */
  version: string;
  /** First 12 hex digits of the SHA-256 of the code. */
  hash: string;
  /** When the image file was written, ms since epoch (0 when unknown, e.g. a bundle from an update slot). */
  builtAt: number;
}

export function describeFirmware(code: string, builtAt: number): FirmwareBuildInfo {
  const banner = code.startsWith(IMAGE_BANNER_PREFIX) ? code.slice(IMAGE_BANNER_PREFIX.length, code.indexOf(' */')) : '';
  return { version: banner, hash: nodeCrypto.createHash('sha256').update(code).digest('hex').slice(0, 12), builtAt };
}
