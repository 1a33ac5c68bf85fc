/**
 * Every disposition of the spec's table, recorded from the call state
 * machine as the line reports the call (firmware in process, virtual line).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootCalls, placeAnswered } from './calls-harness';

test('Normal: placed call answered after 1 s, 65 s connected, hung up here', async () => {
  const h = bootCalls();
  await placeAnswered(h, '1001');
  await h.tick(65000);
  h.phone.booted.calls.controller.hangup(h.live());
  await h.tick();
  const [r] = h.list('placed');
  assert.is(r.direction, 'Out');
  assert.is(r.disposition, 'Normal');
  assert.is(r.duration, 'PT1M5S');
  assert.is(r.destination.address, '1001');
  assert.equal(r.connections.map((c) => c.address), ['1001']);
  assert.is(r.line, 1);
  assert.is(r.protocol, 'SIP');
  assert.match(r.startTime, /^2026-01-01T09:00:\d\d$/);
  assert.is(h.list('missed').length + h.list('received').length, 0);
});

test('Busy: the far end answers 486', async () => {
  const h = bootCalls();
  h.far.script([{ target: '*', action: 'busy', afterMs: 500 }]);
  h.phone.booted.calls.controller.dial('1002');
  await h.tick(500);
  const [r] = h.list('placed');
  assert.is(r.disposition, 'Busy');
  assert.is(r.duration, 'PT0S');
  assert.equal(r.connections, []);
});

test('Rejected: an incoming call rejected on the phone goes to Missed; a placed call the far end declines', async () => {
  const h = bootCalls();
  h.far.ring('2001', 'Bob');
  await h.tick();
  h.phone.booted.calls.controller.reject(h.live());
  await h.tick();
  const [m] = h.list('missed');
  assert.is(m.disposition, 'Rejected');
  assert.is(m.direction, 'In');
  assert.equal(m.source, { address: '2001', name: 'Bob' });
  h.far.script([{ target: '*', action: 'reject', afterMs: 100 }]);
  h.phone.booted.calls.controller.dial('2002');
  await h.tick(100);
  assert.is(h.list('placed')[0].disposition, 'Rejected');
});

test('Forwarded: an incoming call forwarded before answering, with its final destination', async () => {
  const h = bootCalls();
  h.far.ring('2003', 'Carol');
  await h.tick();
  h.phone.booted.calls.controller.forward(h.live(), '4000');
  await h.tick();
  const [m] = h.list('missed');
  assert.is(m.disposition, 'Forwarded');
  assert.is(m.finalDestination?.address, '4000');
});

test('Transferred: blind transfer from the phone, and a far end that transfers us (connection list grows)', async () => {
  const h = bootCalls();
  h.far.ring('2004', 'Dave');
  await h.tick();
  const c = h.phone.booted.calls.controller;
  c.answer(h.live());
  await h.tick(10000);
  c.transfer(h.live(), '5000');
  await h.tick();
  const [r] = h.list('received');
  assert.is(r.disposition, 'Transferred');
  assert.is(r.finalDestination?.address, '5000');
  assert.is(r.duration, 'PT10S');

  const id = await placeAnswered(h, '1003');
  h.far.transfer(id, '1004', 'Erin');
  await h.tick(3000);
  h.far.hangup(id);
  await h.tick();
  const [p] = h.list('placed');
  assert.is(p.disposition, 'Transferred');
  assert.equal(p.connections.map((x) => x.address), ['1003', '1004']);
  assert.equal(p.finalDestination, { address: '1004', name: 'Erin' });
});

test('Preempted and RemotelyHandled: causes reported by the network', async () => {
  const h = bootCalls();
  const id = await placeAnswered(h, '1005');
  h.far.end(id, 'preempted');
  await h.tick();
  assert.is(h.list('placed')[0].disposition, 'Preempted');
  const ring = h.far.ring('2005', '');
  await h.tick();
  h.far.end(ring, 'answered-elsewhere');
  await h.tick();
  assert.is(h.list('missed')[0].disposition, 'RemotelyHandled');
});

test('Partial while in progress: created ringing in Missed, moved to Received when answered, completed at the end', async () => {
  const h = bootCalls();
  const id = h.far.ring('2006', 'Frank');
  await h.tick();
  assert.is(h.list('missed')[0].disposition, 'Partial');
  h.phone.booted.calls.controller.answer(h.live());
  await h.tick(2000);
  assert.is(h.list('missed').length, 0);
  assert.is(h.list('received')[0].disposition, 'Partial');
  h.far.hangup(id);
  await h.tick();
  assert.is(h.list('received')[0].disposition, 'Normal');
  assert.is(h.list('received')[0].duration, 'PT2S');
});

test('Normal missed call: the caller gives up; no answer on a placed call', async () => {
  const h = bootCalls();
  const id = h.far.ring('2007', '');
  await h.tick(20000);
  h.far.hangup(id);
  await h.tick();
  assert.is(h.list('missed')[0].disposition, 'Normal');
  h.far.script([{ target: '*', action: 'no-answer', afterMs: 30000 }]);
  h.phone.booted.calls.controller.dial('1006');
  await h.tick(30000);
  assert.is(h.list('placed')[0].disposition, 'Normal');
  assert.equal(h.list('placed')[0].connections, []);
});

test('a far end that forwards a placed call: final destination recorded, list entry stays Placed', async () => {
  const h = bootCalls();
  h.far.script([{ target: '1007', action: 'forward', forwardTo: '1008', afterMs: 100 }]);
  h.phone.booted.calls.controller.dial('1007');
  await h.tick(200);
  const id = h.far.calls().pop()!.callId;
  h.far.answer(id);
  await h.tick(1000);
  h.far.hangup(id);
  await h.tick();
  const [p] = h.list('placed');
  assert.is(p.destination.address, '1007');
  assert.is(p.finalDestination?.address, '1008');
  assert.equal(p.connections.map((x) => x.address), ['1008']);
});

test('hung up before the line gave the call its id: the line call is hung up too, not left ringing at the far end', async () => {
  const h = bootCalls();
  const c = h.phone.booted.calls.controller;
  const call = c.dial('1003')!;
  assert.is(call.callId, null, 'the line has not answered dial() yet');
  c.hangup(call);
  await h.tick();
  await h.tick(100);
  assert.equal(c.calls(), []);
  assert.equal(h.far.calls().filter((x) => x.state !== 'ended').map((x) => x.remote), []);
  assert.equal(h.list('placed').map((r) => r.destination.address), ['1003']);
});

test('a line event for an unknown call that came in while a dial was pending is reported once the dial resolves, not kept', async () => {
  const h = bootCalls();
  h.phone.booted.calls.controller.dial('1004');
  h.phone.booted.kernel.bus.emit('line', { type: 'ended', callId: 'ghost-1', cause: 'remote-hangup' });
  await h.tick();
  await h.tick(100);
  assert.ok(h.phone.log().some((l) => l.includes('ended for unknown call ghost-1 ignored')), h.phone.log().slice(-5).join('\n'));
});

test.run();
