import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PNG } from 'pngjs';
import { VirtualDisplay, rowStride } from '../../sim/devices/display';

test('row stride: mono1 packs 8 pixels a byte, rgb565 takes 2 bytes a pixel', () => {
  assert.is(rowStride('mono1', 132), 17);
  assert.is(rowStride('rgb565', 320), 640);
  assert.is(new VirtualDisplay(132, 64, 'mono1').framebuffer.length, 17 * 64);
  assert.is(new VirtualDisplay(320, 240, 'rgb565').framebuffer.length, 640 * 240);
});

test('rgb565 blit lands at its rectangle and the PNG shows its colour', () => {
  const d = new VirtualDisplay(320, 240, 'rgb565');
  const red = new Uint8Array(4 * 3 * 2);
  for (let i = 0; i < red.length; i += 2) { red[i] = 0x00; red[i + 1] = 0xf8; } // 0xF800 little-endian
  d.blit(10, 20, 4, 3, red);
  const png = PNG.sync.read(d.toPng(1));
  assert.is(png.width, 320);
  assert.is(png.height, 240);
  const at = (x: number, y: number) => Array.from(png.data.subarray((y * 320 + x) * 4, (y * 320 + x) * 4 + 4));
  assert.equal(at(10, 20), [255, 0, 0, 255]);
  assert.equal(at(13, 22), [255, 0, 0, 255]);
  assert.equal(at(14, 22), [0, 0, 0, 255], 'outside the rectangle stays black');
  assert.equal(at(10, 23), [0, 0, 0, 255]);
});

test('mono1 blit at an unaligned x sets exactly the inked pixels; PNG is scaled', () => {
  const d = new VirtualDisplay(132, 64, 'mono1');
  // 10x2 block: row 0 all ink, row 1 only the first pixel.
  const pixels = new Uint8Array([0xff, 0xc0, 0x80, 0x00]);
  d.blit(3, 5, 10, 2, pixels);
  const ink = (x: number, y: number) => (d.framebuffer[y * 17 + (x >> 3)] >> (7 - (x & 7))) & 1;
  for (let x = 3; x < 13; x++) assert.is(ink(x, 5), 1, `x=${x}`);
  assert.is(ink(2, 5), 0);
  assert.is(ink(13, 5), 0);
  assert.is(ink(3, 6), 1);
  assert.is(ink(4, 6), 0);
  // Blitting paper over ink clears it.
  d.blit(3, 5, 10, 1, new Uint8Array([0, 0]));
  assert.is(ink(5, 5), 0);
  const png = PNG.sync.read(d.toPng(3));
  assert.is(png.width, 396);
  assert.is(png.height, 192);
  const px = (x: number, y: number) => Array.from(png.data.subarray((y * 396 + x) * 4, (y * 396 + x) * 4 + 3));
  assert.equal(px(3 * 3 + 1, 6 * 3 + 1), [20, 30, 20], 'ink pixel dark');
  assert.equal(px(4 * 3 + 1, 6 * 3 + 1), [170, 190, 150], 'paper pixel pale');
});

test('blits outside the display or short of pixels are refused', () => {
  const d = new VirtualDisplay(132, 64, 'mono1');
  assert.throws(() => d.blit(130, 0, 8, 1, new Uint8Array(1)), /outside the 132x64 display/);
  assert.throws(() => d.blit(0, 0, 16, 2, new Uint8Array(3)), /needs 4 bytes, got 3/);
  assert.is(d.blits, 0);
});

test('describe publishes a copy of the text model to listeners; off() blanks it', () => {
  const d = new VirtualDisplay(132, 64, 'mono1');
  const seen: string[] = [];
  const stop = d.onScreen((s) => seen.push(s.id));
  const lines = ['a'];
  d.describe({ id: 'idle', title: 'T', lines, softKeys: ['Menu'], focus: -1 });
  lines.push('mutated later');
  assert.equal(d.text().lines, ['a']);
  d.off();
  assert.equal(seen, ['idle', 'off']);
  assert.is(d.backlight, 0);
  stop();
  d.describe({ id: 'x', title: '', lines: [], softKeys: [], focus: -1 });
  assert.equal(seen, ['idle', 'off']);
});

/** A desk-500-sized panel with a few coloured rectangles on it. */
function drawnPanel(restAfterMs?: number): VirtualDisplay {
  const d = new VirtualDisplay(320, 240, 'rgb565', restAfterMs);
  for (let i = 0; i < 8; i++) {
    const block = new Uint8Array(40 * 10 * 2).map((_, j) => (j * 7 + i * 31) & 0xff);
    d.blit(i * 40, i * 25, 40, 10, block);
  }
  return d;
}

test('an unwatched panel left alone deflates its pixels; the next read inflates them unchanged', async () => {
  const d = drawnPanel(5);
  const pixels = Buffer.from(d.framebuffer);
  const png = d.toPng();
  assert.is(d.residentBytes(), 320 * 240 * 2);
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(d.residentBytes() < 8 * 1024, `${d.residentBytes()} bytes at rest`);
  assert.is(d.blits, 8);
  assert.ok(Buffer.from(d.framebuffer).equals(pixels), 'pixels after the rest');
  assert.ok(d.toPng().equals(png), 'PNG after the rest');
  assert.ok(d.framebuffer instanceof Uint8Array && !Buffer.isBuffer(d.framebuffer));
  assert.is(d.framebuffer.buffer.byteLength, 320 * 240 * 2, 'the inflated pixels own exactly their bytes');
});

test('a blit onto a panel at rest lands on its old pixels', () => {
  const d = drawnPanel();
  const expected = drawnPanel();
  expected.blit(5, 5, 2, 1, new Uint8Array([1, 2, 3, 4]));
  d.rest();
  assert.ok(d.residentBytes() < 8 * 1024);
  d.blit(5, 5, 2, 1, new Uint8Array([1, 2, 3, 4]));
  assert.ok(Buffer.from(d.framebuffer).equals(Buffer.from(expected.framebuffer)));
  assert.is(d.blits, 9);
});

test('a watched panel keeps its pixels live; once unwatched it rests again', async () => {
  const d = drawnPanel(5);
  const stop = d.onScreen(() => {});
  await new Promise((r) => setTimeout(r, 40));
  assert.is(d.residentBytes(), 320 * 240 * 2, 'watched: live');
  stop();
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(d.residentBytes() < 8 * 1024, 'unwatched: at rest');
});

test('a dark or powered-off panel holds no pixels and reads all dark', () => {
  const fresh = new VirtualDisplay(320, 240, 'rgb565');
  assert.is(fresh.residentBytes(), 0);
  assert.is(fresh.blits, 0);
  const d = drawnPanel();
  d.rest();
  d.off();
  assert.is(d.residentBytes(), 0);
  assert.ok(d.framebuffer.every((b) => b === 0));
});

test.run();
