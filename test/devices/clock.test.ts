import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../sim/devices/clock';

const START = Date.UTC(2026, 0, 1, 9, 0, 0);
const DAY = 24 * 3600 * 1000;

test('advance fires due timers in order of due time, ties in creation order', () => {
  const clock = new VirtualClock(START);
  const fired: string[] = [];
  clock.setTimer(300, () => fired.push(`c@${clock.monotonic()}`));
  clock.setTimer(100, () => fired.push(`a@${clock.monotonic()}`));
  clock.setTimer(200, () => fired.push(`b1@${clock.monotonic()}`));
  clock.setTimer(200, () => fired.push(`b2@${clock.monotonic()}`));
  clock.setTimer(1000, () => fired.push('late'));
  assert.equal(clock.advance(300), 4);
  assert.equal(fired, ['a@100', 'b1@200', 'b2@200', 'c@300']);
  assert.equal(clock.monotonic(), 300);
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(clock.nextDue(), 1000);
});

test('a timer set by a callback fires in the same advance when it falls due; cleared timers never fire', () => {
  const clock = new VirtualClock(START);
  const fired: number[] = [];
  const cleared = clock.setTimer(50, () => fired.push(-1));
  clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.monotonic())));
  clock.clearTimer(cleared);
  clock.advance(100);
  assert.equal(fired, [20]);
  assert.is(clock.nextDue(), null);
});

test('reset drops every timer (power off)', () => {
  const clock = new VirtualClock(START);
  let fired = 0;
  clock.setTimer(1, () => fired++);
  clock.reset();
  clock.advance(10);
  assert.is(fired, 0);
});

function thirtyDays(): { trace: string; ms: number; fires: number } {
  const clock = new VirtualClock(START);
  const t0 = process.hrtime.bigint();
  const events: string[] = [];
  let fires = 0;
  const everyMinute = () => {
    fires++;
    if (fires % 1440 === 0) events.push(new Date(clock.now()).toISOString());
    clock.setTimer(60_000 - (clock.now() % 60_000), everyMinute);
  };
  clock.setTimer(60_000, everyMinute);
  clock.setTimer(7 * DAY + 123, () => events.push(`weekly ${clock.monotonic()}`));
  clock.advance(30 * DAY);
  return { trace: events.join(','), ms: Number(process.hrtime.bigint() - t0) / 1e6, fires };
}

test('a 30-day advance with a per-minute timer runs fast and gives the same result twice', () => {
  const a = thirtyDays();
  const b = thirtyDays();
  assert.is(a.fires, 30 * 1440);
  assert.is(a.trace, b.trace);
  assert.ok(a.trace.includes(`weekly ${7 * DAY + 123}`));
  assert.ok(a.trace.endsWith('2026-01-31T09:00:00.000Z'), a.trace.slice(-40));
  assert.ok(a.ms < 2000 && b.ms < 2000, `took ${a.ms.toFixed(0)} / ${b.ms.toFixed(0)} ms`);
});

test('wall-clock jumps (NTP, manual set) move now() but not monotonic time or timers', () => {
  const clock = new VirtualClock(START);
  const fired: number[] = [];
  clock.setTimer(1000, () => fired.push(clock.monotonic()));
  clock.advance(500);
  clock.setWallTime(START + 10 * DAY);
  assert.is(clock.now(), START + 10 * DAY);
  assert.is(clock.monotonic(), 500);
  clock.advance(499);
  assert.equal(fired, [], 'a forward jump does not fire timers early');
  clock.advance(1);
  assert.equal(fired, [1000]);
  assert.is(clock.now(), START + 10 * DAY + 500, 'wall time keeps running from the jump');
  clock.setWallTime(START - DAY);
  clock.advance(1000);
  assert.is(clock.now(), START - DAY + 1000, 'backward jump');
  assert.is(clock.monotonic(), 2000, 'monotonic never goes back');
});

test.run();
