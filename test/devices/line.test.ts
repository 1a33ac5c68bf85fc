import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LineEvent } from '../../hal/contract';
import { VirtualClock } from '../../sim/devices/clock';
import { VirtualLine } from '../../sim/devices/line';

function setup() {
  const clock = new VirtualClock(0);
  const line = new VirtualLine(clock, 'sip:me@pbx.local');
  const events: LineEvent[] = [];
  line.onEvent((e) => events.push(e));
  const kinds = () => events.map((e) => (e.type === 'ended' ? `ended:${e.cause}` : e.type));
  return { clock, line, events, kinds };
}

test('subscribing registers the line', () => {
  const { events } = setup();
  assert.equal(events, [{ type: 'registration', state: 'registered' }]);
});

test('the far end rings the phone; the phone answers; the far end hangs up', async () => {
  const { line, events, kinds } = setup();
  const id = line.farEnd.ring('sip:alice@pbx.local', 'Alice');
  assert.equal(events[1], { type: 'incoming', callId: id, remote: { address: 'sip:alice@pbx.local', name: 'Alice' }, local: 'sip:me@pbx.local' });
  await line.answer(id);
  assert.equal(line.farEnd.calls()[0].state, 'connected');
  line.farEnd.hangup(id);
  assert.equal(kinds(), ['registration', 'incoming', 'connected', 'ended:remote-hangup']);
  let err = '';
  await line.hangup(id).catch((e: Error) => { err = e.message; });
  assert.match(err, /no live call/);
});

test('a ringing incoming call hung up by the far end is cancelled; a rejected one ends with 486', async () => {
  const { line, events } = setup();
  const a = line.farEnd.ring('100');
  line.farEnd.hangup(a);
  const b = line.farEnd.ring('101');
  await line.reject(b);
  const ends = events.filter((e) => e.type === 'ended');
  assert.equal(ends, [{ type: 'ended', callId: a, cause: 'cancelled' }, { type: 'ended', callId: b, cause: 'rejected', sipCode: 486 }]);
});

test('scripted far end: answer after a delay on the virtual clock, then hang up', async () => {
  const { clock, line, kinds } = setup();
  line.farEnd.script([{ target: '200', action: 'answer', afterMs: 3000, hangupAfterMs: 10000 }]);
  const id = await line.dial('200');
  clock.advance(0);
  assert.equal(kinds(), ['registration', 'ringing']);
  clock.advance(2999);
  assert.equal(kinds(), ['registration', 'ringing'], 'not answered before 3 s');
  clock.advance(1);
  assert.equal(kinds(), ['registration', 'ringing', 'connected']);
  clock.advance(10000);
  assert.equal(kinds(), ['registration', 'ringing', 'connected', 'ended:remote-hangup']);
  assert.equal(line.farEnd.calls(), [{ callId: id, direction: 'outgoing', remote: '200', state: 'ended' }]);
});

test('scripted far end: busy, no-answer, wildcard and manual answer', async () => {
  const { clock, line, events } = setup();
  line.farEnd.script([
    { target: '300', action: 'busy' },
    { target: '400', action: 'no-answer', afterMs: 30000 },
  ]);
  const busy = await line.dial('300');
  const silent = await line.dial('400');
  const manual = await line.dial('500');
  clock.advance(30000);
  const ended = (id: string) => events.find((e) => e.type === 'ended' && e.callId === id);
  assert.equal(ended(busy), { type: 'ended', callId: busy, cause: 'busy', sipCode: 486 });
  assert.equal(ended(silent), { type: 'ended', callId: silent, cause: 'no-answer', sipCode: 408 });
  assert.is(ended(manual), undefined, 'no script for 500: it keeps ringing');
  line.farEnd.answer(manual);
  await line.hangup(manual);
  assert.equal(ended(manual), { type: 'ended', callId: manual, cause: 'local-hangup' });
  line.farEnd.script([{ target: '*', action: 'reject' }]);
  const any = await line.dial('999');
  clock.advance(0);
  assert.equal(ended(any), { type: 'ended', callId: any, cause: 'rejected', sipCode: 603 });
});

test('the phone hanging up a call still ringing out cancels it and its scripted answer never comes', async () => {
  const { clock, line, kinds } = setup();
  line.farEnd.script([{ target: '*', action: 'answer', afterMs: 5000 }]);
  const id = await line.dial('600');
  clock.advance(1000);
  await line.hangup(id);
  clock.advance(10000);
  assert.equal(kinds(), ['registration', 'ringing', 'ended:cancelled']);
});

test('hold, transfer and forward; bad targets and states are refused', async () => {
  const { line, events } = setup();
  const id = line.farEnd.ring('700');
  let err = '';
  await line.hold(id, true).catch((e: Error) => { err = e.message; });
  assert.match(err, /not connected/);
  await line.answer(id);
  await line.hold(id, true);
  await line.hold(id, false);
  await line.transfer(id, '800');
  assert.equal(events.slice(-4).map((e) => e.type), ['held', 'resumed', 'transferred', 'ended']);
  const ring2 = line.farEnd.ring('701');
  await line.forward(ring2, '900');
  assert.equal(events[events.length - 1], { type: 'ended', callId: ring2, cause: 'forwarded', sipCode: 302 });
  err = '';
  await line.dial('  ').catch((e: Error) => { err = e.message; });
  assert.match(err, /empty target/);
});

test('NOTIFY reaches the phone with its params; detach stops events and pending far-end timers', () => {
  const { clock, line, events } = setup();
  line.farEnd.notify('check-sync', { profileLogout: 'remote' });
  assert.equal(events[events.length - 1], { type: 'notify', event: 'check-sync', params: { profileLogout: 'remote' } });
  line.farEnd.script([{ target: '*', action: 'answer', afterMs: 100 }]);
  void line.dial('1');
  line.detach();
  const before = events.length;
  clock.advance(1000);
  assert.is(events.length, before);
  assert.is(clock.pendingTimers(), 0);
});

test.run();
