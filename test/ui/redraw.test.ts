/**
 * Do only what changed (issue 17 point 3): an unchanged screen is neither
 * drawn nor described again, a changed line redraws only its changed
 * characters (pixel for pixel what a full redraw draws), the idle phone
 * redraws about once a virtual minute, and the call timer ticks only while it
 * is on screen, at the instant its second changes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScreenText } from '../../hal/contract';
import { BOARDS as PROFILES } from '../../hal/boards';
import { layoutFor } from '../../firmware/ui/layout';
import { ScreenRenderer } from '../../firmware/ui/renderer';
import { VirtualDisplay } from '../../sim/devices/display';
import { ENGINES, withPhone } from '../helpers/sim';

const screen = (lines: string[], status: string, focus = -1): ScreenText => ({ id: 't', title: 'Title', lines, softKeys: ['Hold', 'Transfer', '', 'End'], focus, status });

/** Steps of a screen whose lines and status change the way a call timer and a clock do. */
const STEPS: ScreenText[] = [
  screen(['Ada Lovelace', '+4930123', 'Connected 0:09'], '09:41'),
  screen(['Ada Lovelace', '+4930123', 'Connected 0:10'], '09:42'),
  screen(['Ada Lovelace', '+4930123', 'Connected 10:00'], '10:00', 1),
  screen(['Ada Lovelace', '+4930123', 'Connected 9:59'], '9:59', 1),
  screen(['Ada Lövelace…', '+49301', 'On hold 9:59', 'x'], '9:59 PM', 0),
  screen(['', 'Grace Hopper', 'On hold 9:59'], '9:59 PM', 0),
];

for (const board of ['desk-500', 'desk-99']) {
  test(`${board}: a line redrawn character by character matches a full redraw pixel for pixel`, () => {
    const geometry = PROFILES[board].display;
    const layout = layoutFor(geometry);
    const incremental = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
    const renderer = new ScreenRenderer(incremental, layout);
    for (const step of STEPS) {
      renderer.render(step);
      const fresh = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
      new ScreenRenderer(fresh, layout).render(step);
      assert.ok(Buffer.from(incremental.framebuffer).equals(Buffer.from(fresh.framebuffer)), `${board}: after ${JSON.stringify(step.lines)} / ${step.status}`);
    }
  });
}

test('desk-500: a call timer going from 0:09 to 0:10 blits its one line, not the frame', () => {
  const geometry = PROFILES['desk-500'].display;
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const blitted: number[] = [];
  const blit = display.blit.bind(display);
  display.blit = (x, y, w, h, px) => { blitted.push(w * h); blit(x, y, w, h, px); };
  const renderer = new ScreenRenderer(display, layoutFor(geometry));
  renderer.render(STEPS[0]);
  blitted.length = 0;
  renderer.render({ ...STEPS[0], lines: ['Ada Lovelace', '+4930123', 'Connected 0:10'] });
  assert.equal(blitted, [geometry.width * 16]);
});

test('a render of the same text neither blits nor describes', () => {
  const geometry = PROFILES['desk-500'].display;
  const display = new VirtualDisplay(geometry.width, geometry.height, geometry.format);
  const renderer = new ScreenRenderer(display, layoutFor(geometry));
  let described = 0;
  display.onScreen(() => described++);
  renderer.render(STEPS[0]);
  const before = { blits: display.blits, described };
  renderer.render({ ...STEPS[0], lines: [...STEPS[0].lines] });
  assert.equal({ blits: display.blits, described }, before);
});

for (const engine of ENGINES) {
  test(`${engine}: a redraw of the unchanged idle screen (Up at idle) is neither blitted nor described`, async () => {
    await withPhone({ engine, provisioningDir: null }, async (phone) => {
      await phone.advance(1000);
      // Reading the panel draws the frame it held since boot; only then count.
      const blits = phone.devices.display.blits;
      let described = 0;
      phone.onScreen(() => described++);
      await phone.press('up');
      assert.is(phone.screen().id, 'idle');
      assert.equal({ blits: phone.devices.display.blits - blits, described }, { blits: 0, described: 0 });
    });
  });

  test(`${engine}: an idle virtual hour redraws about once a minute`, async () => {
    await withPhone({ engine, provisioningDir: null }, async (phone) => {
      await phone.advance(60000);
      let described = 0;
      phone.onScreen(() => described++);
      const blits = phone.devices.display.blits;
      await phone.advance(3600 * 1000);
      assert.ok(described <= 61, `${described} redraws in an idle hour`);
      assert.ok(phone.devices.display.blits - blits <= 61, `${phone.devices.display.blits - blits} blits in an idle hour`);
    });
  });

  test(`${engine}: the call timer shows each second as it starts, and stops while another screen covers it`, async () => {
    await withPhone({ engine, provisioningDir: null }, async (phone) => {
      const id = phone.farEnd.ring('+4930123456', 'Ada');
      await phone.advance(2500);
      await phone.press('soft1');
      assert.is(phone.screen().title, 'Connected');
      const timer = () => phone.screen().lines.find((l) => l.startsWith('Connected')) ?? '';
      assert.is(timer(), 'Connected 0:00');
      await phone.advance(1000);
      assert.is(timer(), 'Connected 0:01');
      await phone.advance(64000);
      assert.is(timer(), 'Connected 1:05');
      // Transfer: the target entry covers the call screen; the call timer is not visible, so nothing ticks.
      await phone.press('soft2');
      assert.is(phone.screen().id, 'target');
      const clock = phone.devices.clock;
      let armed = 0;
      const setTimer = clock.setTimer.bind(clock);
      clock.setTimer = (ms, fn) => { armed++; return setTimer(ms, fn); };
      const blits = phone.devices.display.blits;
      await phone.advance(10000);
      clock.setTimer = setTimer;
      assert.equal({ armed, blits: phone.devices.display.blits - blits }, { armed: 0, blits: 0 });
      await phone.press('soft4');
      assert.is(phone.screen().id, 'call');
      assert.is(timer(), 'Connected 1:15');
      await phone.advance(1000);
      assert.is(timer(), 'Connected 1:16');
      phone.farEnd.hangup(id);
      await phone.settle();
    });
  });

  test(`${engine}: a panel nobody reads holds the call timer's frames; read, it shows the second of now; watched, it draws each second`, async () => {
    await withPhone({ engine, provisioningDir: null }, async (phone) => {
      const id = phone.farEnd.ring('+4930123456', 'Ada');
      await phone.advance(2500);
      await phone.press('soft1');
      const timer = () => phone.screen().lines.find((l) => l.startsWith('Connected')) ?? '';
      assert.is(timer(), 'Connected 0:00');
      const display = phone.devices.display;
      let blitCalls = 0;
      const blit = display.blit.bind(display);
      display.blit = (x, y, w, h, px) => { blitCalls++; blit(x, y, w, h, px); };
      await phone.advance(60_500);
      assert.is(blitCalls, 0, 'an unseen minute of talk draws nothing');
      assert.is(timer(), 'Connected 1:00');
      assert.ok(blitCalls > 0, 'the read drew the frame that was due');
      blitCalls = 0;
      const unwatch = phone.onScreen(() => {});
      await phone.advance(10_000);
      unwatch();
      assert.ok(blitCalls >= 10, `watched: ${blitCalls} blits in 10 s of talk`);
      assert.is(timer(), 'Connected 1:10');
      phone.farEnd.hangup(id);
      await phone.settle();
    });
  });
}

test.run();
