/**
 * The firmware image text, its resource pack and its source map, read once per file version and
 * shared by every phone of the process: a private copy per phone costs more
 * host memory (about 2 bytes per character) than an idle phone's whole QuickJS runtime.
 */
import * as fs from 'fs';
import { BundleSourceMap } from '../source-map';
import { describeFirmware, type FirmwareBuildInfo } from './firmware-build-info';
import { loadResourcePack, resourcePackPath, type ResourcePack } from './resource-pack';

export interface LoadedImage {
  code: string;
  sourceMap: BundleSourceMap;
  /** Which build this is (absent for images made in memory by tests). */
  build?: FirmwareBuildInfo;
  /** The HAL `resources` the image ships (font glyphs); null for an image built without. */
  resources: ResourcePack | null;
}

const cache = new Map<string, { stamp: string; image: LoadedImage }>();

export function loadFirmwareImage(imagePath: string): LoadedImage {
  const st = fs.statSync(imagePath);
  const pack = fs.statSync(resourcePackPath(imagePath), { throwIfNoEntry: false });
  const stamp = `${st.mtimeMs}:${st.size}:${pack?.mtimeMs}:${pack?.size}`;
  const hit = cache.get(imagePath);
  if (hit && hit.stamp === stamp) return hit.image;
  const code = fs.readFileSync(imagePath, 'utf8');
  const image = { code, sourceMap: new BundleSourceMap(imagePath + '.map'), build: describeFirmware(code, st.mtimeMs), resources: loadResourcePack(imagePath) };
  cache.set(imagePath, { stamp, image });
  return image;
}
