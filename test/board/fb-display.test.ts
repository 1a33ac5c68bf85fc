import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardDeviceError } from '../../hal/linux/board-device-error';
import { FbDisplay, firmwarePixelsFromDevice, readFbGeometry, toDevicePixels } from '../../hal/linux/fb-display';
import { VirtualDisplay } from '../../sim/devices/display';

// A regular file stands in for /dev/fb0 and a temp dir for /sys/class/graphics/fb0.
function fakeFb(o: { width: number; height: number; bpp: number; stride?: number; sysfs?: Record<string, string> }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-display-'));
  const sysfsDir = path.join(dir, 'fb0');
  fs.mkdirSync(sysfsDir);
  const stride = o.stride ?? (o.width * o.bpp) / 8;
  const attrs = { virtual_size: `${o.width},${o.height}\n`, bits_per_pixel: `${o.bpp}\n`, stride: `${stride}\n`, ...o.sysfs };
  for (const [k, v] of Object.entries(attrs)) fs.writeFileSync(path.join(sysfsDir, k), v);
  const device = path.join(dir, 'dev-fb0');
  fs.writeFileSync(device, new Uint8Array(stride * o.height));
  return { dir, sysfsDir, device, stride, bytes: () => new Uint8Array(fs.readFileSync(device)) };
}

test('geometry comes from sysfs: virtual_size, bits_per_pixel, stride (computed when the kernel has no stride file)', () => {
  const fb = fakeFb({ width: 640, height: 480, bpp: 32, stride: 2600 });
  assert.equal(readFbGeometry(fb.sysfsDir), { width: 640, height: 480, bitsPerPixel: 32, stride: 2600 });
  fs.rmSync(path.join(fb.sysfsDir, 'stride'));
  assert.is(readFbGeometry(fb.sysfsDir).stride, 2560);
});

test('mono1 is converted pixel by pixel: ink black, paper white, at 16 bpp RGB565 and 32 bpp XRGB8888', () => {
  // 10x2 picture, row stride 2 bytes: row 0 = 1010 0000 01.., row 1 = 0000 0000 11..
  const mono = new Uint8Array([0b10100000, 0b01000000, 0b00000000, 0b11000000]);
  const ink = (x: number, y: number) => ((mono[y * 2 + (x >> 3)] >> (7 - (x & 7))) & 1) === 1;
  const rgb = toDevicePixels('mono1', mono, 10, 2, 16);
  const xrgb = toDevicePixels('mono1', mono, 10, 2, 32);
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 10; x++) {
      const i = y * 10 + x;
      assert.is(rgb[i * 2] | (rgb[i * 2 + 1] << 8), ink(x, y) ? 0x0000 : 0xffff, `565 ${x},${y}`);
      assert.equal([...xrgb.subarray(i * 4, i * 4 + 4)], ink(x, y) ? [0, 0, 0, 0xff] : [0xff, 0xff, 0xff, 0xff], `8888 ${x},${y}`);
    }
  }
  assert.equal([ink(0, 0), ink(1, 0), ink(2, 0), ink(9, 0), ink(8, 1), ink(9, 1)], [true, false, true, true, true, true]);
});

test('rgb565 goes to a 16 bpp device unchanged and to XRGB8888 with each channel widened exactly', () => {
  const colours = [0xf800, 0x07e0, 0x001f, 0x0000, 0xffff, 0x8410, 0x1234];
  const src = new Uint8Array(colours.flatMap((c) => [c & 0xff, c >> 8]));
  assert.equal(toDevicePixels('rgb565', src, colours.length, 1, 16), src);
  const xrgb = toDevicePixels('rgb565', src, colours.length, 1, 32);
  const expect = (c: number) => {
    const r = (c >> 11) & 31, g = (c >> 5) & 63, b = c & 31;
    return [(b << 3) | (b >> 2), (g << 2) | (g >> 4), (r << 3) | (r >> 2), 0xff];
  };
  colours.forEach((c, i) => assert.equal([...xrgb.subarray(i * 4, i * 4 + 4)], expect(c), c.toString(16)));
  assert.equal([...xrgb.subarray(0, 4)], [0, 0, 0xff, 0xff], 'pure red is B=0 G=0 R=255');
});

for (const bpp of [16, 32]) {
  for (const [format, width, height] of [['rgb565', 20, 12], ['mono1', 21, 9]] as const) {
    test(`blits land at their place in a ${bpp} bpp framebuffer with padded stride and read back equal to the simulator's (${format})`, () => {
      const fb = fakeFb({ width: width + 7, height: height + 3, bpp, stride: ((width + 7) * bpp) / 8 + 12 });
      const display = FbDisplay.open({ device: fb.device, sysfsDir: fb.sysfsDir, width, height, format });
      const sim = new VirtualDisplay(width, height, format);
      let seed = 7;
      const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      for (const [x, y, w, h] of [[0, 0, width, height], [3, 2, 9, 5], [8, 1, 4, 7], [width - 1, height - 1, 1, 1]]) {
        const stride = format === 'mono1' ? Math.ceil(w / 8) : w * 2;
        const pixels = Uint8Array.from({ length: stride * h }, random);
        display.blit(x, y, w, h, pixels);
        sim.blit(x, y, w, h, pixels);
      }
      const geometry = readFbGeometry(fb.sysfsDir);
      assert.equal(firmwarePixelsFromDevice(fb.bytes(), geometry, format, width, height), sim.framebuffer);
      // Outside the firmware's picture nothing was written.
      const bytes = fb.bytes();
      const rowBytes = (width * bpp) / 8;
      for (let y = 0; y < height + 3; y++) {
        const rest = bytes.subarray(y * fb.stride + (y < height ? rowBytes : 0), (y + 1) * fb.stride);
        assert.ok(rest.every((b) => b === 0), `row ${y} beyond the picture untouched`);
      }
      assert.throws(() => display.blit(width - 2, 0, 4, 1, new Uint8Array(8)), /outside the/);
      display.close();
    });
  }
}

test('another pixel format, a missing framebuffer or one too small is refused with a BoardDeviceError', () => {
  const opts = (fb: ReturnType<typeof fakeFb>) => ({ device: fb.device, sysfsDir: fb.sysfsDir, width: 32, height: 16, format: 'rgb565' as const });
  for (const bpp of [8, 24, 1]) {
    const fb = fakeFb({ width: 32, height: 16, bpp });
    assert.throws(() => FbDisplay.open(opts(fb)), (e: Error) => e instanceof BoardDeviceError
      && e.message.includes(`${fb.device}: ${bpp} bits per pixel is not a pixel format the phone draws in`), `${bpp} bpp`);
  }
  const small = fakeFb({ width: 16, height: 16, bpp: 16 });
  assert.throws(() => FbDisplay.open(opts(small)), /framebuffer is 16x16, smaller than the board's 32x16 display/);
  const noSysfs = fakeFb({ width: 32, height: 16, bpp: 16 });
  assert.throws(() => FbDisplay.open({ ...opts(noSysfs), sysfsDir: path.join(noSysfs.dir, 'none') }), /no framebuffer attributes .* CONFIG_FB/);
  const noDevice = fakeFb({ width: 32, height: 16, bpp: 16 });
  fs.rmSync(noDevice.device);
  assert.throws(() => FbDisplay.open(opts(noDevice)), /dev-fb0: missing: no framebuffer device node/);
  const garbled = fakeFb({ width: 32, height: 16, bpp: 16, sysfs: { virtual_size: 'wide\n' } });
  assert.throws(() => FbDisplay.open(opts(garbled)), /unreadable framebuffer geometry/);
});

test('the text model is kept and published; backlight goes to sysfs in proportion, or is a no-op noted once', () => {
  const fb = fakeFb({ width: 8, height: 8, bpp: 16 });
  const lines: string[] = [];
  const backlightDir = path.join(fb.dir, 'backlight');
  fs.mkdirSync(backlightDir);
  fs.writeFileSync(path.join(backlightDir, 'max_brightness'), '255\n');
  const display = FbDisplay.open({ device: fb.device, sysfsDir: fb.sysfsDir, width: 8, height: 8, format: 'rgb565', backlightDir, log: (l) => lines.push(l) });
  const seen: string[] = [];
  display.onScreen((s) => seen.push(s.id));
  display.describe({ id: 'idle', title: 'Idle', lines: ['a'], softKeys: ['x'], focus: -1 });
  assert.is(display.text().id, 'idle');
  assert.equal(seen, ['idle']);
  display.setBacklight(50);
  assert.is(fs.readFileSync(path.join(backlightDir, 'brightness'), 'utf8'), '128\n');
  const plain = FbDisplay.open({ device: fb.device, sysfsDir: fb.sysfsDir, width: 8, height: 8, format: 'rgb565', log: (l) => lines.push(l) });
  plain.setBacklight(10);
  plain.setBacklight(20);
  assert.is(lines.filter((l) => l.includes('no backlight configured')).length, 1);
});

test.run();
