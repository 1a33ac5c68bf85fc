/**
 * The firmware image text and its source map, read once per file version and
 * shared by every phone of the process: a private copy per phone costs more
 * host memory (about 2 bytes per character) than an idle phone's whole QuickJS runtime.
 */
import * as fs from 'fs';
import { BundleSourceMap } from '../source-map';

export interface LoadedImage {
  code: string;
  sourceMap: BundleSourceMap;
}

const cache = new Map<string, { stamp: string; image: LoadedImage }>();

export function loadFirmwareImage(imagePath: string): LoadedImage {
  const st = fs.statSync(imagePath);
  const stamp = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(imagePath);
  if (hit && hit.stamp === stamp) return hit.image;
  const image = { code: fs.readFileSync(imagePath, 'utf8'), sourceMap: new BundleSourceMap(imagePath + '.map') };
  cache.set(imagePath, { stamp, image });
  return image;
}
