/**
 * What the call-list parameters do to recording: collapse of consecutive
 * incomplete calls, consultation calls, the master and per-list enables
 * (disabled = not one byte of call lists written), the bound per list,
 * per-user lists on user:changed, and the CDR kept apart for analytics.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ENTRIES_PER_LIST } from '../../firmware/calls/call-list-store';
import { MAX_CDR_RECORDS } from '../../firmware/calls/cdr-store';
import { bootCalls, removeImage, placeAnswered, type CallsHarness } from './calls-harness';

async function missed(h: CallsHarness, from: string, name = ''): Promise<void> {
  const id = h.far.ring(from, name);
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

test('collapseDuplicates=1: consecutive missed calls from one party fold into one entry with a count', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  await missed(h, '2001');
  await missed(h, '2001');
  assert.is(h.list('missed').length, 1);
  assert.is(h.list('missed')[0].count, 3);
  await missed(h, '2002');
  await missed(h, '2001');
  assert.equal(h.list('missed').map((r) => [r.source.address, r.count]), [['2001', 1], ['2002', 1], ['2001', 3]]);
  // Placed calls never connected fold too; a connected one does not.
  h.far.script([{ target: '*', action: 'busy', afterMs: 100 }]);
  h.phone.booted.calls.controller.dial('3001');
  await h.tick(100);
  h.phone.booted.calls.controller.dial('3001');
  await h.tick(100);
  assert.is(h.list('placed').length, 1);
  assert.is(h.list('placed')[0].count, 2);
});

test('collapseDuplicates=0: every call is its own entry', async () => {
  const h = bootCalls();
  h.set('callLists.collapseDuplicates', '0');
  await missed(h, '2001');
  await missed(h, '2001');
  assert.equal(h.list('missed').map((r) => r.count), [1, 1]);
});

test('collapse survives a reboot: the folded entry is what is stored', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  await missed(h, '2001');
  const file = `/tmp/calls-collapse-${process.pid}.bin`;
  h.phone.save(file);
  const again = bootCalls({ flashImage: file });
  removeImage(file);
  assert.equal(again.list('missed').map((r) => r.count), [2]);
});

async function consultation(h: CallsHarness, conference: boolean): Promise<void> {
  const c = h.phone.booted.calls.controller;
  const first = await placeAnswered(h, '1001');
  h.far.script([{ target: '1002', action: 'answer', afterMs: 500 }]);
  const consult = c.dial('1002')!;
  await h.tick(500);
  assert.is(consult.consultFor !== undefined, true, 'placed while the first call is held');
  assert.is(c.calls().find((x) => x.remote.address === '1001')!.state, 'held');
  if (conference) {
    assert.ok(c.conference());
    await h.tick(1000);
  }
  h.far.hangup(h.far.calls().find((x) => x.remote === '1002' && x.state !== 'ended')!.callId);
  await h.tick();
  h.far.hangup(first);
  await h.tick();
}

test('logConsultationCalls=1: the consultation call is listed', async () => {
  const h = bootCalls();
  await consultation(h, false);
  assert.equal(h.list('placed').map((r) => r.destination.address), ['1002', '1001']);
});

test('logConsultationCalls=0: a consultation call not joined into a conference is not listed (never written), one joined is', async () => {
  const h = bootCalls();
  h.set('callLists.logConsultationCalls', '0');
  const before = h.writes.get('callLists') ?? 0;
  await consultation(h, false);
  assert.equal(h.list('placed').map((r) => r.destination.address), ['1001']);
  assert.ok((h.writes.get('callLists') ?? 0) > before);
  await consultation(h, true);
  assert.equal(h.list('placed').map((r) => r.destination.address), ['1002', '1001', '1001']);
});

test('attended transfer to the consultation call: both entries Transferred, final destination the consulted party', async () => {
  const h = bootCalls();
  const c = h.phone.booted.calls.controller;
  await placeAnswered(h, '1001');
  h.far.script([{ target: '1002', action: 'answer', afterMs: 500 }]);
  const consult = c.dial('1002')!;
  await h.tick(500);
  c.transfer(consult);
  await h.tick();
  assert.is(c.calls().length, 0);
  const [second, first] = h.list('placed');
  assert.is(first.disposition, 'Transferred');
  assert.is(first.finalDestination?.address, '1002');
  assert.is(second.disposition, 'Transferred');
});

test('feature.callList.enabled=0: calls of every kind write zero bytes of call lists, and no list is offered', async () => {
  const h = bootCalls();
  h.set('feature.callList.enabled', '0');
  await missed(h, '2001');
  const id = await placeAnswered(h, '1001');
  await h.tick(3000);
  h.far.hangup(id);
  await h.tick();
  h.far.ring('2002', '');
  await h.tick();
  h.phone.booted.calls.controller.answer(h.live());
  await h.tick(1000);
  h.phone.booted.calls.controller.hangup(h.live());
  await h.tick(5000);
  assert.is(h.writes.get('callLists') ?? 0, 0);
  assert.equal(h.phone.booted.fs.list('calls/'), []);
  assert.equal(h.phone.booted.fs.liveRecords().filter((r) => r.cls === 'callLists'), []);
  assert.is(h.list('missed').length + h.list('placed').length + h.list('received').length, 0);
});

test('per-list enable: feature.callListMissed.enabled=0 keeps no missed calls while received ones are kept', async () => {
  const h = bootCalls();
  h.set('feature.callListMissed.enabled', '0');
  await missed(h, '2001');
  assert.is(h.list('missed').length, 0);
  h.far.ring('2002', '');
  await h.tick();
  h.phone.booted.calls.controller.answer(h.live());
  await h.tick(1000);
  h.phone.booted.calls.controller.hangup(h.live());
  await h.tick();
  assert.is(h.list('received').length, 1);
});

test(`bound: at most ${MAX_ENTRIES_PER_LIST} entries per list, the oldest dropped`, async () => {
  const h = bootCalls();
  for (let i = 0; i < MAX_ENTRIES_PER_LIST + 5; i++) await missed(h, `6${String(i).padStart(3, '0')}`);
  const list = h.list('missed');
  assert.is(list.length, MAX_ENTRIES_PER_LIST);
  assert.is(list[0].source.address, `6${String(MAX_ENTRIES_PER_LIST + 4).padStart(3, '0')}`);
  assert.is(list[list.length - 1].source.address, '6005');
  assert.is(h.phone.booted.fs.list('calls/phone/').filter((f) => /^calls\/phone\/\d+$/.test(f.path)).length, MAX_ENTRIES_PER_LIST, 'one slot file per kept entry');
});

test('per-user lists: a user logging in sees their own lists; logout erases them by class erase, the phone lists come back', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  h.phone.booted.kernel.bus.emit('user:changed', { user: 'alice', reason: 'login' });
  assert.is(h.list('missed').length, 0);
  await missed(h, '2002');
  assert.equal(h.list('missed').map((r) => r.source.address), ['2002']);
  assert.ok(h.phone.booted.fs.list('calls/u.alice/').length > 0);
  assert.ok(h.phone.booted.fs.list('calls/u.alice/').every((f) => f.user === 'alice'));
  h.phone.booted.kernel.bus.emit('user:changed', { user: null, reason: 'logout' });
  assert.equal(h.phone.booted.fs.list('calls/u.alice/'), []);
  assert.equal(h.list('missed').map((r) => r.source.address), ['2001']);
});

test('a call still ringing at a logout is not written into the next owner\'s lists (no overwritten slot, no leaked entry)', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  h.phone.booted.kernel.bus.emit('user:changed', { user: 'alice', reason: 'login' });
  const id = h.far.ring('2002');
  await h.tick(1000);
  h.phone.booted.kernel.bus.emit('user:changed', { user: null, reason: 'logout' });
  await h.tick(1000);
  h.far.hangup(id);
  await h.tick();
  assert.equal(h.list('missed').map((r) => r.source.address), ['2001']);
  assert.equal(h.phone.booted.fs.list('calls/u.alice/'), []);
});

test('a logout whose call-list erase fails still switches the lists shown (the next person does not see the user\'s calls)', async () => {
  const h = bootCalls();
  h.phone.booted.kernel.bus.emit('user:changed', { user: 'alice', reason: 'login' });
  await missed(h, '2005');
  const fs = h.phone.booted.fs;
  const eraseClass = fs.eraseClass.bind(fs);
  fs.eraseClass = () => { throw new Error('flash erase failed'); };
  h.phone.booted.kernel.bus.emit('user:changed', { user: null, reason: 'logout' });
  fs.eraseClass = eraseClass;
  assert.is(h.phone.booted.calls.recorder.currentUser(), null);
  assert.equal(h.list('missed'), []);
});

test('callLists.eraseAtLogout=0 keeps a user\'s lists for the next login; a hostile user id stays inside its folder', async () => {
  const h = bootCalls();
  h.set('callLists.eraseAtLogout', '0');
  const user = '../../bob/x';
  h.phone.booted.kernel.bus.emit('user:changed', { user, reason: 'login' });
  await missed(h, '2003');
  h.phone.booted.kernel.bus.emit('user:changed', { user: null, reason: 'logout' });
  assert.ok(h.phone.booted.fs.list('calls/').every((f) => f.path.startsWith('calls/phone/') || f.path.startsWith('calls/u.%2e%2e')
    || f.path.startsWith('calls/u...%2f')), JSON.stringify(h.phone.booted.fs.list('calls/').map((f) => f.path)));
  h.phone.booted.kernel.bus.emit('user:changed', { user, reason: 'login' });
  assert.equal(h.list('missed').map((r) => r.source.address), ['2003']);
});

test('CDR: nothing kept while device analytics is off; with analytics on every call, apart from the lists, emergency calls with the location', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  assert.is(h.phone.booted.calls.cdr.all().length, 0);
  assert.is(h.writes.get('cdr') ?? 0, 0);
  h.set('feature.da.enabled', '1');
  h.set('dialplan.routing.emergency.location', 'Bldg 4, floor 2, room 217');
  h.set('feature.callList.enabled', '0');
  const id = await placeAnswered(h, '911');
  await h.tick(42000);
  h.far.hangup(id);
  await h.tick();
  const [r] = h.phone.booted.calls.cdr.all();
  assert.is(r.direction, 'Out');
  assert.is(r.remoteParty.address, '911');
  assert.is(r.durationSeconds, 42);
  assert.equal(r.disconnect, { cause: 'remote-hangup' });
  assert.is(r.protocol, 'SIP');
  assert.ok(r.callId);
  assert.equal(r.emergency, { location: 'Bldg 4, floor 2, room 217' });
  assert.is(h.list('placed').length, 0, 'lists off, CDR still kept');
  assert.ok(h.phone.booted.fs.list('cdr/').every((f) => f.cls === 'cdr'));
});

test(`CDR rolling retention: at most ${MAX_CDR_RECORDS} records, the oldest overwritten`, async () => {
  const h = bootCalls();
  h.set('feature.da.enabled', '1');
  h.set('feature.callList.enabled', '0');
  for (let i = 0; i < MAX_CDR_RECORDS + 3; i++) await missed(h, `7${String(i).padStart(3, '0')}`);
  const all = h.phone.booted.calls.cdr.all();
  assert.is(all.length, MAX_CDR_RECORDS);
  assert.is(all[0].remoteParty.address, '7003');
  assert.is(h.phone.booted.fs.list('cdr/').length, MAX_CDR_RECORDS);
});

test('Clear Uploaded Calls/Directory (prov:clearUploaded) clears the lists on the phone by class erase', async () => {
  const h = bootCalls();
  await missed(h, '2001');
  assert.is(h.list('missed').length, 1);
  h.phone.booted.kernel.bus.emit('prov:clearUploaded', {});
  assert.is(h.list('missed').length, 0);
  assert.equal(h.phone.booted.fs.list('calls/'), []);
  assert.equal(h.phone.booted.fs.liveRecords().filter((r) => r.cls === 'callLists'), []);
});

test.run();
