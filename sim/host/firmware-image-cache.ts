/**
 * The firmware image text and its source map, read once per file version and
 * shared by every phone of the process: a private copy per phone costs more
 * host memory (about 2 bytes per character) than an idle phone's whole QuickJS runtime.
 */
import * as fs from 'fs';
import { BundleSourceMap } from '../source-map';
import { describeFirmware, type FirmwareBuildInfo } from './firmware-build-info';

export interface LoadedImage {
  code: string;
  sourceMap: BundleSourceMap;
  /** Which build this is (absent for images made in memory by tests). */
  build?: FirmwareBuildInfo;
}

const cache = new Map<string, { stamp: string; image: LoadedImage }>();

export function loadFirmwareImage(imagePath: string): LoadedImage {
  const st = fs.statSync(imagePath);
  const stamp = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(imagePath);
  if (hit && hit.stamp === stamp) return hit.image;
  const code = fs.readFileSync(imagePath, 'utf8');
  const image = { code, sourceMap: new BundleSourceMap(imagePath + '.map'), build: describeFirmware(code, st.mtimeMs) };
  cache.set(imagePath, { stamp, image });
  return image;
}
