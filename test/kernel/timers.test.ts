/** Kernel timers: guarded callbacks; a periodic timer outlives a callback that throws once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGuard } from '../../firmware/kernel/guard';
import { Logger } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { VirtualClock } from '../../sim/devices/clock';

function rig(): { clock: VirtualClock; timers: Timers; lines: string[] } {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const logger = new Logger(() => clock.now());
  const lines: string[] = [];
  logger.addSink((line) => lines.push(line));
  return { clock, timers: new Timers(clock, createGuard(logger.component('sys'))), lines };
}

test('every: a tick that throws is logged and the timer keeps ticking', () => {
  const { clock, timers, lines } = rig();
  let ticks = 0;
  timers.every(1000, 'flaky tick', () => {
    ticks++;
    if (ticks === 2) throw new Error('boom');
  });
  clock.advance(5000);
  assert.is(ticks, 5);
  assert.ok(lines.some((l) => l.includes('exception in flaky tick') && l.includes('boom')), lines.join('\n'));
});

test('every: cancel stops it, also from inside a tick', () => {
  const { clock, timers } = rig();
  let ticks = 0;
  const cancel = timers.every(1000, 'stopper', () => { if (++ticks === 3) cancel(); });
  clock.advance(10_000);
  assert.is(ticks, 3);
  assert.is(timers.pending(), 0);
});

test.run();
