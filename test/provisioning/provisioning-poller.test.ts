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

test('random: a first NTP sync that steps the clock months forward, past the armed poll: the next window, not a poll at once', () => {
  const r = rig({ 'prov.polling.enabled': '1', 'prov.polling.mode': 'random', 'prov.polling.time': '02:00', 'prov.polling.timeRandomEnd': '04:00' });
  r.clock.setWallTime(Date.UTC(2026, 0, 1, 9, 0, 0));
  r.poller.arm();
  const armed = r.poller.next()!.at;
  assert.ok(new Date(armed).getUTCHours() >= 2 && new Date(armed).getUTCHours() < 4);
  r.clock.advance(HOUR / 4);
  r.clock.setWallTime(Date.UTC(2026, 10, 27, 3, 32, 30)); // NTP: months later, 03:32
  r.clock.advance(2 * HOUR); // the poller wakes at 04:47 and later
  assert.equal(r.polls, [], 'no poll outside the window');
  assert.ok(r.poller.next()!.at > Date.UTC(2026, 10, 27, 12), 're-armed for the next window');
  r.clock.advance(24 * HOUR);
  assert.is(r.polls.length, 1);
  const hour = new Date(r.polls[0]).getUTCHours();
  assert.ok(hour >= 2 && hour < 4, `polled at ${new Date(r.polls[0]).toISOString()}`);
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
