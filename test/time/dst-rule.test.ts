/** Daylight-saving rules (Polycom tcpIpApp.sntp.daylightSavings.*): US, EU, southern hemisphere, fixed day, the transition edges. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { edgeDay, dstTransitions, isDaylightTime, localOffsetMs, US_DST_RULE, type TimeZoneRule } from '../../firmware/time/dst-rule';

const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const usEastern: TimeZoneRule = { gmtOffsetSec: -5 * 3600, dst: US_DST_RULE };
/** EU: last Sunday of March 2:00 standard, last Sunday of October 3:00 daylight (both 01:00 UTC). */
const euCentral: TimeZoneRule = {
  gmtOffsetSec: 3600,
  dst: {
    enabled: true, fixedDay: false,
    start: { month: 3, date: 1, dayOfWeek: 1, lastInMonth: true, hour: 2 },
    stop: { month: 10, date: 1, dayOfWeek: 1, lastInMonth: true, hour: 3 },
  },
};

test('US rule: second Sunday of March and first Sunday of November (Polycom defaults)', () => {
  assert.is(edgeDay(2026, US_DST_RULE.start, false), 8);
  assert.is(edgeDay(2026, US_DST_RULE.stop, false), 1);
  assert.is(edgeDay(2027, US_DST_RULE.start, false), 14);
  assert.is(edgeDay(2027, US_DST_RULE.stop, false), 7);
  const t = dstTransitions(2026, usEastern);
  assert.is(iso(t.start), '2026-03-08T07:00:00.000Z', '2:00 EST');
  assert.is(iso(t.stop), '2026-11-01T06:00:00.000Z', '2:00 EDT');
});

test('US rule at the edges: the hour before and at each transition', () => {
  const { start, stop } = dstTransitions(2026, usEastern);
  assert.is(isDaylightTime(start - 1, usEastern), false);
  assert.is(isDaylightTime(start, usEastern), true);
  assert.is(isDaylightTime(stop - 1, usEastern), true);
  assert.is(isDaylightTime(stop, usEastern), false);
  assert.is(localOffsetMs(start - 1, usEastern), -5 * H);
  assert.is(localOffsetMs(start, usEastern), -4 * H);
  // Local clock: 01:59:59.999 EST is followed by 03:00 EDT; 01:59:59.999 EDT by 01:00 EST.
  assert.is(iso(start - 1 + localOffsetMs(start - 1, usEastern)), '2026-03-08T01:59:59.999Z');
  assert.is(iso(start + localOffsetMs(start, usEastern)), '2026-03-08T03:00:00.000Z');
  assert.is(iso(stop - 1 + localOffsetMs(stop - 1, usEastern)), '2026-11-01T01:59:59.999Z');
  assert.is(iso(stop + localOffsetMs(stop, usEastern)), '2026-11-01T01:00:00.000Z');
});

test('EU rule: last Sunday of March and of October, both at 01:00 UTC', () => {
  assert.is(edgeDay(2026, euCentral.dst.start, false), 29);
  assert.is(edgeDay(2026, euCentral.dst.stop, false), 25);
  assert.is(edgeDay(2027, euCentral.dst.start, false), 28);
  assert.is(edgeDay(2027, euCentral.dst.stop, false), 31, 'the last day of the month is itself a Sunday');
  const t = dstTransitions(2026, euCentral);
  assert.is(iso(t.start), '2026-03-29T01:00:00.000Z');
  assert.is(iso(t.stop), '2026-10-25T01:00:00.000Z');
  assert.is(isDaylightTime(Date.UTC(2026, 2, 29, 0, 59, 59, 999), euCentral), false);
  assert.is(isDaylightTime(Date.UTC(2026, 2, 29, 1), euCentral), true);
  assert.is(isDaylightTime(Date.UTC(2026, 9, 25, 0, 59, 59, 999), euCentral), true);
  assert.is(isDaylightTime(Date.UTC(2026, 9, 25, 1), euCentral), false);
  assert.is(isDaylightTime(Date.UTC(2026, 0, 15), euCentral), false);
  assert.is(isDaylightTime(Date.UTC(2026, 6, 15), euCentral), true);
});

test('last-in-month for another weekday, and "on or after" running past the month end', () => {
  // Last Friday (6) of February 2026 (28 Feb is a Saturday): the 27th.
  assert.is(edgeDay(2026, { month: 2, date: 1, dayOfWeek: 6, lastInMonth: true, hour: 0 }, false), 27);
  // First Sunday on or after 29 February 2026 (no 29th; 28th is a Saturday): 1 March would leave the month, so the last Sunday, the 22nd.
  assert.is(edgeDay(2026, { month: 2, date: 29, dayOfWeek: 1, lastInMonth: false, hour: 0 }, false), 22);
  // Third Monday on or after the 15th of January 2026: the 19th.
  assert.is(edgeDay(2026, { month: 1, date: 15, dayOfWeek: 2, lastInMonth: false, hour: 0 }, false), 19);
});

test('fixed day: month and date only (day of week and last-in-month ignored), a date past the month end is its last day', () => {
  const edge = { month: 4, date: 31, dayOfWeek: 3, lastInMonth: true, hour: 2 };
  assert.is(edgeDay(2026, edge, true), 30);
  const rule: TimeZoneRule = {
    gmtOffsetSec: 0,
    dst: { enabled: true, fixedDay: true, start: { month: 4, date: 1, dayOfWeek: 1, lastInMonth: false, hour: 2 }, stop: { month: 10, date: 1, dayOfWeek: 1, lastInMonth: false, hour: 2 } },
  };
  const t = dstTransitions(2026, rule);
  assert.is(iso(t.start), '2026-04-01T02:00:00.000Z');
  assert.is(iso(t.stop), '2026-10-01T01:00:00.000Z');
});

test('southern hemisphere: DST spans the new year (stop before start in the year)', () => {
  // Sydney: GMT+10, DST from the first Sunday of October 2:00 to the first Sunday of April 3:00.
  const sydney: TimeZoneRule = {
    gmtOffsetSec: 10 * 3600,
    dst: { enabled: true, fixedDay: false, start: { month: 10, date: 1, dayOfWeek: 1, lastInMonth: false, hour: 2 }, stop: { month: 4, date: 1, dayOfWeek: 1, lastInMonth: false, hour: 3 } },
  };
  assert.is(isDaylightTime(Date.UTC(2026, 0, 15), sydney), true);
  assert.is(isDaylightTime(Date.UTC(2026, 6, 15), sydney), false);
  assert.is(isDaylightTime(Date.UTC(2026, 11, 31, 20), sydney), true, 'the local new year (already 2027 there)');
  const t = dstTransitions(2026, sydney);
  assert.is(iso(t.stop), '2026-04-04T16:00:00.000Z', '3:00 AEDT on Sunday 5 April');
  assert.is(iso(t.start), '2026-10-03T16:00:00.000Z', '2:00 AEST on Sunday 4 October');
});

test('DST disabled: only the GMT offset', () => {
  const rule: TimeZoneRule = { gmtOffsetSec: -3 * 3600 - 1800, dst: { ...US_DST_RULE, enabled: false } };
  assert.is(localOffsetMs(Date.UTC(2026, 6, 1), rule), -3.5 * H);
});

test.run();
