/** The `prov.polling.*` schedule as pure functions: abs, rel and random times over several days, the fleet spread, time zones. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextCalendarPollUtc, nextRelativePollMonotonic, readPollingSettings, type PollingSettings } from '../../firmware/provisioning/polling-schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const MAC = '0004f2a1b2c3';

const settings = (values: Record<string, string>): PollingSettings => readPollingSettings((n) => values[n]).settings;

/** Successive polls from `start`, `count` of them. */
function polls(s: PollingSettings, start: number, count: number, mac = MAC, offset = 0): number[] {
  const out: number[] = [];
  let now = start;
  for (let i = 0; i < count; i++) out.push(now = nextCalendarPollUtc(s, mac, now, offset));
  return out;
}

test('defaults: polling off, abs at 03:00 every day', () => {
  const s = settings({});
  assert.is(s.enabled, false);
  assert.is(s.mode, 'abs');
  assert.is(s.periodS, 86400);
  assert.equal(polls(s, T0 + 5 * HOUR, 3).map((t) => new Date(t).toISOString()), ['2026-01-02T03:00:00.000Z', '2026-01-03T03:00:00.000Z', '2026-01-04T03:00:00.000Z']);
});

test('abs: every day at prov.polling.time; a period of 1.5 days is rounded up to every 2nd day', () => {
  const daily = settings({ 'prov.polling.mode': 'abs', 'prov.polling.time': '22:30' });
  assert.equal(polls(daily, T0, 3).map((t) => t - T0), [22.5 * HOUR, DAY + 22.5 * HOUR, 2 * DAY + 22.5 * HOUR]);
  const twoDays = settings({ 'prov.polling.time': '01:00', 'prov.polling.period': '129600' });
  const p = polls(twoDays, T0, 4);
  assert.equal(p.slice(1).map((t, i) => t - p[i]), [2 * DAY, 2 * DAY, 2 * DAY]);
  assert.ok(p.every((t) => (t - T0) % DAY === HOUR));
});

test('abs: polling times are local — a UTC+2 phone polls at 03:00 local = 01:00 UTC', () => {
  const s = settings({ 'prov.polling.time': '03:00' });
  assert.equal(polls(s, T0, 2, MAC, 2 * HOUR).map((t) => new Date(t).toISOString()), ['2026-01-01T01:00:00.000Z', '2026-01-02T01:00:00.000Z']);
});

test('rel: every period from boot, whatever the time of day', () => {
  const s = settings({ 'prov.polling.mode': 'rel', 'prov.polling.period': '7200' });
  assert.is(nextRelativePollMonotonic(s, 0), 2 * HOUR);
  assert.is(nextRelativePollMonotonic(s, 2 * HOUR), 4 * HOUR);
  assert.is(nextRelativePollMonotonic(s, 2 * HOUR + 1), 4 * HOUR);
});

test('random: one phone polls at the same time in the window every day; 100 MACs spread over the whole window', () => {
  const s = settings({ 'prov.polling.mode': 'random', 'prov.polling.time': '01:00', 'prov.polling.timeRandomEnd': '05:00' });
  const mine = polls(s, T0, 4);
  const ofDay = mine.map((t) => (t - T0) % DAY);
  assert.ok(ofDay.every((t) => t === ofDay[0]), 'stable per phone');
  assert.ok(ofDay[0] >= HOUR && ofDay[0] < 5 * HOUR);
  assert.equal(mine.slice(1).map((t, i) => t - mine[i]), [DAY, DAY, DAY]);

  const times = Array.from({ length: 100 }, (_, i) => `0004f2a1${(0xb200 + i).toString(16)}`).map((mac) => (nextCalendarPollUtc(s, mac, T0, 0) - T0) % DAY);
  assert.ok(times.every((t) => t >= HOUR && t < 5 * HOUR), 'all within [01:00, 05:00)');
  const buckets = new Array(8).fill(0);
  for (const t of times) buckets[Math.floor((t - HOUR) / (HOUR / 2))]++;
  assert.ok(buckets.every((n) => n >= 4), `every half hour of the window gets phones: ${buckets}`);
  assert.ok(new Set(times).size >= 95, 'practically no two phones at the same second');
});

test('random: a window over midnight; a multi-day period spreads the fleet over its days', () => {
  const s = settings({ 'prov.polling.mode': 'random', 'prov.polling.time': '23:00', 'prov.polling.timeRandomEnd': '01:00' });
  const t = (nextCalendarPollUtc(s, MAC, T0 + 12 * HOUR, 0) - T0) % DAY;
  assert.ok(t >= 23 * HOUR || t < HOUR, `in 23:00..01:00: ${t / HOUR} h`);
  const threeDays = settings({ 'prov.polling.mode': 'random', 'prov.polling.period': '259200', 'prov.polling.time': '02:00', 'prov.polling.timeRandomEnd': '04:00' });
  const days = new Set(Array.from({ length: 60 }, (_, i) => `0004f2c0${(0x1000 + i).toString(16)}`).map((mac) => Math.floor((nextCalendarPollUtc(threeDays, mac, T0, 0) - T0) / DAY)));
  assert.equal([...days].sort(), [0, 1, 2]);
  const mine = polls(threeDays, T0, 3);
  assert.equal(mine.slice(1).map((x, i) => x - mine[i]), [3 * DAY, 3 * DAY]);
});

test('unreadable values: logged problems, defaults used', () => {
  const r = readPollingSettings((n) => ({ 'prov.polling.time': '3 am', 'prov.polling.timeRandomEnd': '25:00', 'prov.polling.mode': 'sometimes' } as Record<string, string>)[n]);
  assert.is(r.settings.mode, 'abs');
  assert.is(r.settings.timeMin, 180);
  assert.is(r.settings.randomEndMin, null);
  assert.is(r.problems.length, 3);
});

test.run();
