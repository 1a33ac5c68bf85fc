/**
 * Issue 17: the boot reads no call-list entry and no CDR record (reading
 * them decrypted and parsed every entry: most of the calls module's boot on a
 * phone with full lists). They are read when first needed, and what is read
 * then is what the eager boot read: the same lists, per owner, after a
 * login/logout, a clear, and a call recorded before anything was shown.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import type { CallListName, CallRecord } from '../../firmware/calls/call-record';
import { bootCalls, removeImage, placeAnswered, type CallsHarness } from './calls-harness';
import { withPhone } from '../helpers/sim';

/** Decryptions under the keys of one data class while `body` runs (every sealed read goes through `decrypt`, batched or not). */
async function decryptionsOf<T>(cls: string, body: () => T | Promise<T>): Promise<{ value: T; count: number }> {
  const decrypt = NodeCryptoEngine.prototype.decrypt;
  let count = 0;
  NodeCryptoEngine.prototype.decrypt = function (this: NodeCryptoEngine, keyName: string, sealed: Uint8Array, aad?: Uint8Array) {
    if (keyName.startsWith(`store.${cls}`)) count++;
    return decrypt.call(this, keyName, sealed, aad);
  };
  try {
    return { value: await body(), count };
  } finally {
    NodeCryptoEngine.prototype.decrypt = decrypt;
  }
}

async function missed(h: CallsHarness, from: string): Promise<void> {
  const id = h.far.ring(from);
  await h.tick(3000);
  h.far.hangup(id);
  await h.tick();
}

async function received(h: CallsHarness, from: string): Promise<void> {
  const id = h.far.ring(from);
  await h.tick(1000);
  h.phone.booted.calls.controller.answer(h.live());
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

async function placed(h: CallsHarness, to: string): Promise<void> {
  const id = await placeAnswered(h, to);
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

const LISTS: CallListName[] = ['missed', 'received', 'placed'];
const lists = (h: CallsHarness): Record<string, CallRecord[]> => Object.fromEntries(LISTS.map((l) => [l, h.list(l)]));
const login = (h: CallsHarness, user: string | null) => h.phone.booted.kernel.bus.emit('user:changed', { user, reason: user ? 'login' : 'logout' });

/** A phone with lists of its own, alice's lists (kept at logout) and CDR records, rebooted from its flash. */
async function rebootedWithLists(): Promise<{ before: CallsHarness; after: CallsHarness; phoneLists: Record<string, CallRecord[]>; aliceLists: Record<string, CallRecord[]>; bootDecrypts: { lists: number; cdr: number } }> {
  const before = bootCalls();
  before.set('feature.da.enabled', '1');
  before.set('callLists.eraseAtLogout', '0');
  await missed(before, '2001');
  await received(before, '2002');
  await placed(before, '3001');
  await missed(before, '2003');
  login(before, 'alice');
  await missed(before, '4001');
  await placed(before, '4002');
  const aliceLists = lists(before);
  login(before, null);
  const phoneLists = lists(before);
  const file = `/tmp/calls-lazy-${process.pid}.bin`;
  before.phone.save(file);
  let after!: CallsHarness;
  try {
    const cdr = await decryptionsOf('cdr', async () => decryptionsOf('callLists', () => { after = bootCalls({ flashImage: file }); }));
    return { before, after, phoneLists, aliceLists, bootDecrypts: { lists: cdr.value.count, cdr: cdr.count } };
  } finally {
    removeImage(file);
  }
}

test('the boot decrypts no call-list entry and no CDR record; the lists are read when first shown, the same as before the reboot', async () => {
  const { before, after, phoneLists, bootDecrypts } = await rebootedWithLists();
  assert.equal(bootDecrypts, { lists: 0, cdr: 0 }, 'nothing of the lists or the CDR decrypted at boot');
  assert.ok(after.phone.log().some((l) => l.includes('call lists: 4 entries, CDR: 6 records')), after.phone.log().filter((l) => l.includes('call lists')).join('\n'));
  const shown = await decryptionsOf('callLists', () => lists(after));
  assert.ok(shown.count >= 4, `the phone's 4 entries read when first needed (${shown.count} decryptions)`);
  assert.equal(shown.value, phoneLists);
  const again = await decryptionsOf('callLists', () => lists(after));
  assert.is(again.count, 0, 'read once');
  // The CDR read when a call ends: its records kept, the new one numbered after them.
  const cdrBefore = before.phone.booted.calls.cdr.all();
  assert.equal(after.phone.booted.calls.cdr.all(), cdrBefore);
  await missed(after, '2009');
  const cdr = after.phone.booted.calls.cdr.all();
  assert.is(cdr.length, cdrBefore.length + 1);
  assert.is(cdr[cdr.length - 1].seq, Math.max(...cdrBefore.map((r) => r.seq)) + 1);
});

test('a call recorded before the lists were read lands beside the stored entries (newest, none overwritten)', async () => {
  const { after, phoneLists } = await rebootedWithLists();
  await missed(after, '2010');
  const now = lists(after);
  assert.equal(now.missed.map((r) => r.source.address), ['2010', ...phoneLists.missed.map((r) => r.source.address)]);
  assert.ok(now.missed[0].seq > Math.max(...Object.values(phoneLists).flat().map((r) => r.seq)));
  assert.equal(now.received, phoneLists.received);
  assert.equal(now.placed, phoneLists.placed);
});

test('after the lazy read: login shows the user\'s lists, logout the phone\'s; logout erase and Clear Uploaded empty them', async () => {
  const { after, phoneLists, aliceLists } = await rebootedWithLists();
  login(after, 'alice');
  assert.equal(lists(after), aliceLists);
  login(after, null);
  assert.equal(lists(after), phoneLists);
  // Default eraseAtLogout: this logout erases alice's lists; her next login starts empty.
  after.set('callLists.eraseAtLogout', '1');
  login(after, 'alice');
  login(after, null);
  assert.equal(after.phone.booted.fs.list('calls/u.alice/'), []);
  login(after, 'alice');
  assert.equal(lists(after), { missed: [], received: [], placed: [] });
  login(after, null);
  assert.equal(lists(after), phoneLists);
  after.phone.booted.kernel.bus.emit('prov:clearUploaded', {});
  assert.equal(lists(after), { missed: [], received: [], placed: [] });
  await missed(after, '2011');
  assert.equal(after.list('missed').map((r) => r.source.address), ['2011']);
});

test('on the real bundle: a reboot decrypts no entry, idle counts the missed calls from the boot on, the Missed list shows every entry', async () => {
  await withPhone({}, async (phone) => {
    for (const from of ['2001', '2002']) {
      const id = phone.farEnd.ring(from, '');
      await phone.settle();
      phone.farEnd.hangup(id);
      await phone.settle();
    }
    assert.ok(phone.screen().lines.includes('Missed calls: 2'), phone.screen().lines.join('|'));
    phone.cutPower();
    const boot = await decryptionsOf('callLists', () => phone.powerOn());
    assert.is(boot.count, 0, 'no call-list entry decrypted at boot');
    assert.is(phone.screen().id, 'idle');
    assert.not.ok(phone.screen().lines.some((l) => l.startsWith('Missed calls')), 'a reboot counts from 0 (docs/calls.md)');
    const id = phone.farEnd.ring('2003', '');
    await phone.settle();
    phone.farEnd.hangup(id);
    await phone.settle();
    assert.ok(phone.screen().lines.includes('Missed calls: 1'), phone.screen().lines.join('|'));
    await phone.press('soft3'); // Missed
    assert.is(phone.screen().id, 'calllist-missed');
    assert.is(phone.screen().lines.length, 3, phone.screen().lines.join('|'));
    assert.match(phone.screen().lines[0], /2003/);
  });
});

test.run();
