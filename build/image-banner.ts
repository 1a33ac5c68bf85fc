import * as path from 'path';

/** The repository root (the folder holding firmware/). */
export const ROOT = path.resolve(__dirname, '..');

/** First line of every firmware image, `/* desk-phone firmware 0.1.0 *\/`: names the build for tools that only have the file. */
export const IMAGE_BANNER_PREFIX = '/* desk-phone firmware ';

export function imageBanner(version: string): string {
  return `${IMAGE_BANNER_PREFIX}${version} */`;
}
