/**
 * The pixel compare of the real-kernel tests: what the simulator draws for a board after a key sequence, in the
 * framebuffer's pixel format, and the same region cut out of a raw /dev/fb0 copy.
 */
import type { KeyName } from '../../hal/contract';
import { toDevicePixels } from '../../hal/linux/fb-display';
import { createPhone } from '../../sim/phone';

/** The simulator's picture after `keys`, converted to `bitsPerPixel` rows packed without padding. */
export async function simulatorPicture(board: string, startTime: number, keys: KeyName[], bitsPerPixel: number): Promise<Uint8Array> {
  const phone = await createPhone({ board, engine: 'quickjs', startTime });
  try {
    await phone.boot();
    await phone.settle();
    for (const key of keys) {
      await phone.press(key);
      await phone.settle();
    }
    const d = phone.devices.display;
    return toDevicePixels(d.format, d.framebuffer, d.width, d.height, bitsPerPixel);
  } finally {
    phone.dispose();
  }
}

/** The top-left `w`×`h` pixels of a raw framebuffer copy with rows of `stride` bytes. */
export function framebufferRegion(raw: Uint8Array, stride: number, w: number, h: number, bitsPerPixel: number): Uint8Array {
  const rowBytes = (w * bitsPerPixel) / 8;
  const out = new Uint8Array(rowBytes * h);
  for (let row = 0; row < h; row++) out.set(raw.subarray(row * stride, row * stride + rowBytes), row * rowBytes);
  return out;
}

/** How many pixels differ, and the first one (for the failure message). */
export function pixelDifference(a: Uint8Array, b: Uint8Array, w: number, bitsPerPixel: number): { count: number; first: string | null } {
  const bytes = bitsPerPixel / 8;
  let count = 0;
  let first: string | null = null;
  for (let i = 0; i < Math.min(a.length, b.length); i += bytes) {
    let same = true;
    for (let k = 0; k < bytes; k++) if (a[i + k] !== b[i + k]) same = false;
    if (!same) {
      count++;
      const p = i / bytes;
      first ??= `(${p % w}, ${Math.floor(p / w)})`;
    }
  }
  return { count, first };
}
