/**
 * User > Call Lists and User > Contacts, open to User and Admin: view, edit,
 * delete (an entry, a list), export in the phone's own formats. Delete is
 * erase (forensic: nothing any key of the keystore decrypts still holds the
 * removed name, nor does the raw flash); markup in names is shown as text.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importCallsXml } from '../../firmware/calls/calls-xml';
import { parseDirectoryXml } from '../../firmware/directory/directory-xml';
import { findRawStrings } from '../../sim/forensics/scan';
import { decryptableMentions, decryptableRecords } from '../helpers/decryptable-records';
import { bootCalls, type CallsHarness } from '../calls/calls-harness';
import { harnessFor, htmlOf, type PageHarness } from './page-requests';

const MARKUP_NAME = '<img src=x onerror=alert(1)>';

async function missed(h: CallsHarness, from: string, name: string): Promise<void> {
  const id = h.far.ring(from, name);
  await h.tick(5000);
  h.far.hangup(id);
  await h.tick();
}

function leaks(p: PageHarness, needles: string[], cls: string): string[] {
  const image = p.phone.devices.flash.image();
  return [
    ...decryptableMentions(decryptableRecords(image, p.phone.profile, p.phone.devices.crypto).filter((r) => r.cls === cls), needles),
    ...findRawStrings(image, needles).map((x) => `raw "${x.needle}" at ${x.offset}`),
  ];
}

test('call lists: the user sees them (markup as text), deletes an entry and a list (erased), exports <MAC>-calls.xml', async () => {
  const h = bootCalls();
  await missed(h, '5550101', 'Ann Example');
  await missed(h, '5550202', MARKUP_NAME);
  await missed(h, '5550303', 'Gone Caller');
  const p = harnessFor(h.phone);
  assert.is(p.pages.find((x) => x.path === '/user/calls')!.access, 'user');
  const html = htmlOf(await p.get('/user/calls', 'user'));
  assert.match(html, /Missed Calls \(3\)/);
  assert.ok(html.includes('Ann Example') && html.includes('5550303'));
  assert.not.ok(html.includes(MARKUP_NAME), 'markup never reaches the page as markup');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));

  const gone = h.list('missed').find((r) => r.source.address === '5550303')!;
  const r = await p.post('/user/calls', { action: 'delete', list: 'missed', seq: String(gone.seq) }, 'user');
  assert.is(r.kind, 'redirect');
  assert.equal(h.list('missed').map((x) => x.source.address).sort(), ['5550101', '5550202']);
  assert.equal(leaks(p, ['Gone Caller', '5550303'], 'callLists'), [], 'the deleted entry is erased');
  const stale = await p.post('/user/calls', { action: 'delete', list: 'missed', seq: String(gone.seq) }, 'user');
  assert.match(htmlOf(stale), /no longer in the list/);

  const exported = await p.get('/user/calls/export', 'user');
  assert.is(exported.kind, 'download');
  if (exported.kind === 'download') {
    assert.is(exported.fileName, `${h.phone.profile.mac}-calls.xml`);
    const parsed = importCallsXml(Buffer.from(exported.bytes).toString('utf8'));
    assert.equal(parsed.records.map((x) => x.source.address).sort(), ['5550101', '5550202']);
  }

  await p.post('/user/calls', { action: 'clear', list: 'missed' }, 'user');
  assert.is(h.list('missed').length, 0);
  assert.equal(leaks(p, ['Ann Example', '5550101'], 'callLists'), [], 'the cleared list is erased');
  assert.match(htmlOf(await p.get('/user/calls', 'admin')), /Missed Calls \(0\)/);
});

test('contacts: add, edit, delete (erased, forensic), markup as text, export <MAC>-directory.xml; read-only refuses edits', async () => {
  const h = bootCalls();
  const p = harnessFor(h.phone);
  const service = h.phone.booted.directory.service;
  assert.is(p.pages.find((x) => x.path === '/user/contacts')!.access, 'user');
  const add = async (fn: string, ln: string, ct: string) => p.post('/user/contacts', { action: 'save', 'c.fn': fn, 'c.ln': ln, 'c.ct': ct, 'c.lb': '', 'c.sd': '' }, 'user');
  assert.is((await add('Zelda', 'Forgotten-Person', '7001')).kind, 'redirect');
  assert.is((await add(MARKUP_NAME, 'Markup', '7002')).kind, 'redirect');
  assert.is((await add('Kept', 'Contact', '7003')).kind, 'redirect');
  assert.is(service.localCount(), 3);
  const list = htmlOf(await p.get('/user/contacts', 'user'));
  assert.ok(list.includes('Zelda Forgotten-Person'));
  assert.not.ok(list.includes(MARKUP_NAME));
  assert.ok(list.includes('&lt;img src=x onerror=alert(1)&gt; Markup'));

  // A refused contact (duplicate number) is refused with the service's reason; the form keeps what was typed.
  const dup = await add('Dup', 'Licate', '7003');
  assert.is(dup.kind === 'page' && dup.status, 400);
  assert.match(htmlOf(dup), /7003 is already in the directory/);
  assert.match(htmlOf(dup), /value="Licate"/);

  // Edit keeps the fields the form does not show (ring tone).
  assert.ok(service.put({ fn: 'Kept', ln: 'Contact', ct: '7003', rt: '5' }, '7003').ok);
  const form = htmlOf(await p.get('/user/contacts?edit=7003', 'user'));
  assert.match(form, /name="previous" value="7003"/);
  assert.is((await p.post('/user/contacts', { action: 'save', previous: '7003', 'c.fn': 'Kept', 'c.ln': 'Renamed', 'c.ct': '7003', 'c.lb': 'desk', 'c.sd': '3' }, 'user')).kind, 'redirect');
  const edited = service.lookup('7003')!.c;
  assert.equal([edited.ln, edited.lb, edited.sd, edited.rt], ['Renamed', 'desk', '3', '5']);

  const exported = await p.get('/user/contacts/export', 'user');
  assert.ok(exported.kind === 'download' && exported.fileName === `${h.phone.profile.mac}-directory.xml`);
  if (exported.kind === 'download') {
    const parsed = parseDirectoryXml(Buffer.from(exported.bytes).toString('utf8'), 100);
    assert.ok(parsed.ok);
    if (parsed.ok) assert.equal(parsed.contacts.map((c) => c.ct).sort(), ['7001', '7002', '7003']);
  }

  assert.ok(leaks(p, ['Forgotten-Person'], 'directory').length > 0, 'the forensic check sees the contact before the delete');
  assert.is((await p.post('/user/contacts', { action: 'delete', ct: '7001' }, 'user')).kind, 'redirect');
  assert.is(service.lookup('7001'), undefined);
  assert.equal(leaks(p, ['Forgotten-Person'], 'directory'), [], 'the deleted contact is erased');
  assert.ok(service.lookup('7003'), 'the others stay');

  h.phone.booted.config.setOverride('local', 'dir.local.readonly', '1');
  const ro = await p.post('/user/contacts', { action: 'delete', ct: '7003' }, 'user');
  assert.match(htmlOf(ro), /read-only/);
  assert.ok(service.lookup('7003'));
  assert.not.ok(htmlOf(await p.get('/user/contacts', 'user')).includes('>Delete<'), 'no delete buttons while read-only');
});

test.run();
