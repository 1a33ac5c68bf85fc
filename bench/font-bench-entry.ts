/**
 * The product image without the GNU Unifont glyph blob (build/entry.ts minus
 * its font lines): bench/font.bench.ts boots both images to measure what the
 * font costs in image bytes and QuickJS heap.
 */
export { boot, version } from '../firmware/main';
export { createGuestHal } from '../hal/quickjs/guest';
