/**
 * What the screen code holds on an idle phone (every phone of a host holds
 * it): no band of pixels between renders (10 KiB on the RGB565 board), and
 * no map per console font (a glyph's number is its character's position in
 * the font's character string).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS as PROFILES } from '../../hal/boards';
import { BitmapFont } from '../../firmware/ui/font';
import { terminus6x12, terminus8x16 } from '../../firmware/ui/font-data';
import { layoutFor } from '../../firmware/ui/layout';
import { ScreenRenderer } from '../../firmware/ui/renderer';
import { VirtualDisplay } from '../../sim/devices/display';

test('the renderer holds a band only while it renders, also when a render fails', () => {
  const geometry = PROFILES['desk-500'].display;
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const renderer = new ScreenRenderer(display, layoutFor(geometry));
  const held: boolean[] = [];
  const blit = display.blit.bind(display);
  display.blit = (x, y, w, h, px) => { held.push(renderer.holdsStrip); blit(x, y, w, h, px); };
  renderer.render({ id: 'idle', title: 'Menu', lines: ['Line 1: registered'], softKeys: ['Menu'], focus: -1, status: '09:41' });
  assert.ok(held.length > 0 && held.every((h) => h), 'held while drawing');
  assert.is(renderer.holdsStrip, false);
  display.blit = () => { throw new Error('display gone'); };
  assert.throws(() => renderer.render({ id: 'idle', title: 'Menu', lines: ['Line 1: failed'], softKeys: ['Menu'], focus: -1, status: '09:42' }), /display gone/);
  assert.is(renderer.holdsStrip, false);
});

for (const data of [terminus8x16, terminus6x12]) {
  test(`console font ${data.width}x${data.height}: a character's glyph is its position, without a map`, () => {
    const font = new BitmapFont(data);
    assert.not.ok(Object.values(font).some((v) => v instanceof Map), 'no map per font');
    [...data.chars].forEach((ch, i) => {
      assert.ok(font.has(ch), ch);
      assert.is(font.glyph(ch), i, ch);
    });
    const question = data.chars.indexOf('?');
    for (const other of ['', 'ab', 'é', '中', '😀', '\n', ' !']) {
      assert.is(font.has(other), false, JSON.stringify(other));
      assert.is(font.glyph(other), question, JSON.stringify(other));
    }
  });
}

test.run();
