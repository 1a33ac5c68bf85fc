/**
 * Issue 12 point 3: the CDR forgets a logged-out user. A user's CDR records
 * are sealed under that user's `cdr` key, so the class erase of a logout
 * removes them (and nothing of the phone's own); the ring of
 * MAX_CDR_RECORDS spans every owner.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_CDR_RECORDS } from '../../firmware/calls/cdr-store';
import { CdrStore } from '../../firmware/calls/cdr-store';
import { findRawStrings } from '../../sim/forensics/scan';
import { bootCalls, type CallsHarness } from './calls-harness';

async function missed(h: CallsHarness, from: string, name = ''): Promise<void> {
  const id = h.far.ring(from, name);
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

function login(h: CallsHarness, user: string | null): void {
  h.phone.booted.kernel.bus.emit('user:changed', { user, reason: user ? 'login' : 'logout' });
}

test('a user\'s CDR records are sealed under their own key and a class erase of that user leaves the phone\'s records alone', async () => {
  const h = bootCalls();
  h.set('feature.da.enabled', '1');
  await missed(h, '4100001', 'Phone Owncaller');
  login(h, 'alice');
  await missed(h, '4200002', 'Alice Caller');
  const fs = h.phone.booted.fs;
  assert.equal(fs.list('cdr/').map((f) => [f.path, f.user ?? '']), [['cdr/0', ''], ['cdr/u.alice/1', 'alice']]);
  login(h, null);
  assert.equal(h.phone.booted.calls.cdr.all().map((r) => r.remoteParty.address), ['4100001'], 'the logged-out user\'s records are gone from RAM');
  // What the logout's eraser does (declared `userLogout` on the cdr class).
  fs.eraseClass('cdr', 'alice');
  assert.equal(fs.list('cdr/').map((f) => f.path), ['cdr/0']);
  assert.equal(findRawStrings(h.phone.devices.flash.image(), ['4200002', 'Alice Caller']).map((x) => `${x.needle}@${x.offset}`), [], 'nothing of the user\'s CDR call on flash');
  assert.not.ok(fs.liveRecords().some((r) => r.cls === 'cdr' && r.user === 'alice'));
  assert.equal(new CdrStore(fs, () => {}).all().map((r) => r.remoteParty.address), ['4100001'], 'the phone\'s record reads back after a reload');
  assert.ok(h.phone.booted.kernel.modules.dataClasses().some((c) => c.storageClass === 'cdr' && c.perUser && c.removedBy.includes('userLogout')), 'the cdr class is declared per user, removed by a logout');
});

test(`the CDR ring keeps ${MAX_CDR_RECORDS} records across owners: a user's call replaces the phone's oldest record (its file goes in the same transaction)`, async () => {
  const h = bootCalls();
  h.set('feature.da.enabled', '1');
  h.set('feature.callList.enabled', '0');
  for (let i = 0; i < MAX_CDR_RECORDS; i++) await missed(h, `7${String(i).padStart(3, '0')}`);
  login(h, 'bob');
  await missed(h, '8000');
  const all = h.phone.booted.calls.cdr.all();
  assert.is(all.length, MAX_CDR_RECORDS);
  assert.is(all[0].remoteParty.address, '7001');
  assert.is(all[all.length - 1].user, 'bob');
  const files = h.phone.booted.fs.list('cdr/');
  assert.is(files.length, MAX_CDR_RECORDS);
  assert.ok(files.some((f) => f.path === 'cdr/u.bob/0' && f.user === 'bob'), JSON.stringify(files.slice(0, 3)));
  assert.not.ok(files.some((f) => f.path === 'cdr/0'));
});

test.run();
