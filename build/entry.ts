/**
 * Entry of the firmware image. esbuild bundles this into one ES2020 IIFE
 * (`dist/firmware.js`) whose global `PhoneFirmware` exposes `boot(hal)`, and
 * the guest side of the QuickJS bridge used by the simulator.
 */
export { boot, version } from '../firmware/main';
export { createGuestHal } from '../hal/quickjs/guest';

// The image's GNU Unifont subset, packed by the bundler (build/unifont-blob.ts), read glyph by glyph.
import * as unifont from 'unifont-glyphs';
import { installGlyphBlob } from '../firmware/ui/glyph-blob';
installGlyphBlob(unifont);
