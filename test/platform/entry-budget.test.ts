/**
 * The per-entry CPU allowance of the QuickJS engine: interrupt polls, and the
 * firmware's CPU time with the time of host calls left out.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EntryBudget } from '../../sim/host/entry-budget';

function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const u = process.cpuUsage(start);
    if ((u.user + u.system) / 1000 >= ms) return;
  }
}

test('past its polls the entry is stopped, and stays stopped until the next entry', () => {
  const budget = new EntryBudget();
  budget.start(3, 60_000);
  assert.equal([budget.poll(), budget.poll(), budget.poll()], [false, false, false]);
  assert.is(budget.poll(), true);
  assert.equal(budget.trip, { kind: 'cpu-budget', message: 'cpu budget exceeded: the firmware was interrupted after 4 interrupt polls (its board allows 3 per event)' });
  assert.is(budget.poll(), true);
  budget.start(3, 60_000);
  assert.is(budget.trip, null);
  assert.is(budget.poll(), false);
});

test('CPU time counts against the entry, except the time spent in host calls', () => {
  const budget = new EntryBudget();
  budget.start(1000, 40);
  budget.hostCall(() => burnCpu(80));
  // CPU time is read every 16th poll: 32 polls read it twice.
  for (let i = 0; i < 32; i++) assert.is(budget.poll(), false, 'host time is not the firmware\'s');
  burnCpu(50);
  let polls = 0;
  while (!budget.poll()) polls++;
  assert.ok(polls < 16, `stopped within one CPU check (${polls + 1} polls)`);
  assert.is(budget.trip?.kind, 'cpu-budget');
  assert.match(budget.trip!.message, /interrupted after \d+ ms of CPU time \(its board allows 40 ms per event\)/);
});

test('a memory trip is kept, and stops the firmware at the next poll', () => {
  const budget = new EntryBudget();
  budget.start(1000, 60_000);
  budget.tripMemory(9_000_000, 8_388_608);
  assert.is(budget.poll(), true);
  assert.equal(budget.trip, { kind: 'memory-budget', message: 'memory budget exceeded: the firmware used 9000000 bytes, its board allows 8388608' });
});

test.run();
