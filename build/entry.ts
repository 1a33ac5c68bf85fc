/**
 * Entry of the firmware image. esbuild bundles this into one ES2020 IIFE
 * (`dist/firmware.js`) whose global `PhoneFirmware` exposes `boot(hal)`, and
 * the guest side of the QuickJS bridge used by the simulator.
 */
export { boot, version } from '../firmware/main';
export { createGuestHal } from '../hal/quickjs/guest';

