/** The poll timer against the clocks: wall-clock jumps move an abs/random poll with them; settings changes re-arm; off disarms. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Logger } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { ProvisioningPoller } from '../../firmware/provisioning/provisioning-poller';
import { VirtualClock } from '../../sim/devices/clock';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

function rig(values: Record<string, string>, offsetMs = 0) {
  const clock = new VirtualClock(T0);
  const timers = new Timers(clock, (_l, fn) => fn);
  const polls: number[] = [];
  const poller = new ProvisioningPoller({
    timers, log: new Logger(() => clock.now()).component('prov'), mac: '0004f2a1b2c3', param: (n) => values[n],
    nowUtc: () => clock.now(), monotonic: () => clock.monotonic(), localOffsetMs: () => offsetMs,
    poll: () => { polls.push(clock.now()); poller.arm(); },
  });
  return { clock, poller, polls, values };
}

test('abs: the wall clock set forward (NTP) before the poll: it polls at 03:00 on the new clock, within the hour', () => {
  const r = rig({ 'prov.polling.enabled': '1', 'prov.polling.time': '03:00' });
  r.poller.arm();
  r.clock.advance(HOUR / 2);
  r.clock.setWallTime(T0 + 2.5 * HOUR); // 02:30 after the jump
  r.clock.advance(HOUR / 2); // 03:00 on the new clock
  assert.equal(r.polls.map((t) => new Date(t).toISOString()), ['2026-01-01T03:00:00.000Z']);
  r.clock.advance(24 * HOUR);
  assert.is(r.polls.length, 2);
  assert.is(r.polls[1] - r.polls[0], 24 * HOUR);
});

test('abs with a time-zone offset (UTC-5): 03:00 local is 08:00 UTC', () => {
  const r = rig({ 'prov.polling.enabled': '1', 'prov.polling.time': '03:00' }, -5 * HOUR);
  r.poller.arm();
  r.clock.advance(10 * HOUR);
  assert.equal(r.polls.map((t) => new Date(t).toISOString()), ['2026-01-01T08:00:00.000Z']);
});

test('disabled: nothing armed; re-armed after the settings change', () => {
  const r = rig({ 'prov.polling.enabled': '0', 'prov.polling.mode': 'rel', 'prov.polling.period': '3600' });
  r.poller.arm();
  assert.is(r.poller.next(), null);
  r.clock.advance(5 * HOUR);
  assert.is(r.polls.length, 0);
  r.values['prov.polling.enabled'] = '1';
  r.poller.arm();
  r.clock.advance(3 * HOUR);
  assert.is(r.polls.length, 3, 'at 6, 7 and 8 h after boot (multiples of the period from boot)');
});

test.run();
