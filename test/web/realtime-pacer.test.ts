/** The real-time pacer: whole-ms steps that follow the real clock, bounded jumps, one queue for ticks and operations. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RealtimePacer, type PacedPhone } from '../../sim/realtime-pacer';

class FakePhone implements PacedPhone {
  state: PacedPhone['state'] = 'running';
  steps: number[] = [];
  busy = false;
  overlaps = 0;
  async advance(ms: number): Promise<void> {
    if (this.busy) this.overlaps++;
    this.busy = true;
    this.steps.push(ms);
    await new Promise((r) => setTimeout(r, 3));
    this.busy = false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const test = suite('realtime pacer');

test('advances by the real time elapsed, in whole ms, carrying fractions', async () => {
  const phone = new FakePhone();
  let now = 1000;
  const pacer = new RealtimePacer(phone, { intervalMs: 10, now: () => now });
  pacer.start();
  for (const step of [20.4, 20.4, 20.4, 0, 7]) {
    now += step;
    await sleep(25);
  }
  await pacer.stop();
  assert.ok(phone.steps.every((s) => Number.isInteger(s) && s > 0), `steps ${phone.steps}`);
  assert.is(phone.steps.reduce((a, b) => a + b, 0), 68, 'total virtual = floor of total real');
});

test('a long real gap moves the phone by at most maxStepMs', async () => {
  const phone = new FakePhone();
  let now = 0;
  const pacer = new RealtimePacer(phone, { intervalMs: 10, maxStepMs: 500, now: () => now });
  pacer.start();
  now += 3_600_000;
  await sleep(30);
  await pacer.stop();
  assert.equal(phone.steps, [500]);
});

test('does not advance a phone that is off', async () => {
  const phone = new FakePhone();
  phone.state = 'off';
  let now = 0;
  const pacer = new RealtimePacer(phone, { intervalMs: 5, now: () => now });
  pacer.start();
  now += 100;
  await sleep(30);
  await pacer.stop();
  assert.equal(phone.steps, []);
});

test('operations and ticks never overlap; an operation error does not stop the pacer', async () => {
  const phone = new FakePhone();
  let now = 0;
  const pacer = new RealtimePacer(phone, { intervalMs: 1, now: () => now, onError: () => undefined });
  pacer.start();
  let inside = 0;
  const ops: Promise<unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    now += 5;
    ops.push(pacer.run(async () => {
      if (phone.busy) inside++;
      await sleep(2);
      if (phone.busy) inside++;
      return i;
    }));
    await sleep(2);
  }
  const failing = pacer.run(() => { throw new Error('bad op'); });
  try {
    await failing;
    assert.unreachable('the error reaches the caller');
  } catch (e) {
    assert.is((e as Error).message, 'bad op');
  }
  assert.equal(await Promise.all(ops), [...Array(20).keys()]);
  const ticksBefore = phone.steps.length;
  now += 10;
  await sleep(20);
  await pacer.stop();
  assert.ok(phone.steps.length > ticksBefore, 'still ticking after a failed operation');
  assert.is(inside, 0);
  assert.is(phone.overlaps, 0);
});

test.run();
