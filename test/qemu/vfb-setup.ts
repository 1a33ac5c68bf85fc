/** The kernel's virtual framebuffer (vfb) in a board's display geometry, for the guest. */
import { boardProfile } from '../../hal/boards';

/** Bits per pixel of the test framebuffer: RGB565, as the desk-500's panel. */
export const FB_BITS = 16;

/** vfb's `mode_option` for a board: its display's size at FB_BITS. */
export function vfbMode(board: string): string {
  const { width, height } = boardProfile(board).display;
  return `${width}x${height}-${FB_BITS}`;
}

/** Shell line loading vfb for a board. */
export function vfbScript(board: string): string {
  return `modprobe vfb vfb_enable=1 mode_option=${vfbMode(board)} || exit 12`;
}
