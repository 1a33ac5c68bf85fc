/**
 * An idle simulated phone's panel at rest (sim/devices/display.ts): its
 * pixels deflated to a few KiB, with the screen text, pixels, PNG and blit
 * count exactly as before, and the next key press drawing over them as usual.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withPhone } from '../helpers/sim';

test('desk-500: an idle phone\'s panel at rest holds a few KiB and shows the same screen', async () => {
  await withPhone({ board: 'desk-500' }, async (phone) => {
    const display = phone.devices.display;
    const text = phone.screen();
    assert.is(text.id, 'idle');
    const pixels = Buffer.from(display.framebuffer);
    const png = phone.screenshotPng();
    const blits = display.blits;
    assert.is(display.residentBytes(), 320 * 240 * 2);

    display.rest();
    assert.ok(display.residentBytes() < 8 * 1024, `${display.residentBytes()} bytes at rest`);
    assert.equal(phone.screen(), text);
    assert.is(display.blits, blits);
    assert.ok(display.residentBytes() < 8 * 1024, 'reading the text and blit count leaves the pixels at rest');
    assert.ok(Buffer.from(display.framebuffer).equals(pixels), 'pixels');
    assert.ok(phone.screenshotPng().equals(png), 'PNG');

    // A key drawn over a panel at rest: the same pixels as over a live one.
    display.rest();
    await phone.press('1');
    const dialing = { text: phone.screen(), pixels: Buffer.from(display.framebuffer) };
    await withPhone({ board: 'desk-500' }, async (live) => {
      live.screen();
      await live.press('1');
      assert.equal(dialing.text, live.screen());
      assert.ok(dialing.pixels.equals(Buffer.from(live.devices.display.framebuffer)), 'pixels after a key press');
    });
  });
});

test.run();
