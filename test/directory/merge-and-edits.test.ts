/**
 * The local directory service on a real flash store: sources, merge
 * precedence, edits of global contacts, limits per board, bad files,
 * the incoming-call policy and per-user directories.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inEnglish, message } from '../../firmware/ui/i18n/messages';
import { MAC, directoryXml, download, harness, names, people, GLOBAL_FILE } from './directory-fixture';

const PERSONAL = `${MAC}-directory.xml`;
const GLOBAL = directoryXml([
  { fn: 'Reception', ct: '100', sd: '1' },
  { fn: 'Alan', ln: 'Turing', ct: '4711', bw: '1' },
  { fn: 'Ada', ln: 'Lovelace', ct: 'sip:ada@pbx.local', pt: 'SIP' },
  { fn: 'Grace', ln: 'Hopper', ct: '300', sd: '3' },
]);

test('first boot: personal file adopted as the local store, global merged under it, personal wins for the same number', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, GLOBAL);
  h.files.set(PERSONAL, directoryXml([{ fn: 'Alan', ln: 'Mathison', ct: '4711', rt: '5' }, { fn: 'Zed', ln: 'Zulu', ct: '555' }]));
  h.service.start();
  assert.is(h.service.size(), 5);
  assert.is(h.service.localCount(), 2);
  assert.equal(names(h), ['Grace Hopper', 'Ada Lovelace', 'Alan Mathison', 'Reception', 'Zed Zulu']);
  assert.is(h.service.lookup('sip:4711@pbx.local')?.c.ln, 'Mathison');
  assert.is(h.service.lookup('4711')?.o, 'p');
  assert.ok(h.log.some((l) => /adopted as the local directory \(2 contacts\)/.test(l)));
});

test('internal local store comes first: a later boot keeps it even when the personal file differs', () => {
  const h = harness();
  h.files.set(PERSONAL, directoryXml([{ fn: 'Old', ct: '1' }]));
  h.service.start();
  assert.ok(h.service.put({ fn: 'New', ct: '2' }).ok);
  const again = h.reboot();
  again.service.start();
  assert.equal(names(again).sort(), ['New', 'Old']);
});

test('search by last name (dir.search.field=0) or first name (1), prefix, case-insensitive', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, GLOBAL);
  h.service.start();
  assert.equal(names(h, 'ho'), ['Grace Hopper']);
  assert.equal(names(h, 'a'), []);
  h.params.byFirst = true;
  h.service.start();
  assert.equal(names(h, 'a'), ['Ada Lovelace', 'Alan Turing']);
  assert.equal(names(h, 'AL'), ['Alan Turing']);
});

test('edit of a global contact goes to the personal file; the global entry is ignored from then on', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, GLOBAL);
  h.service.start();
  const turing = h.service.lookup('4711')!;
  assert.is(turing.o, 'g');
  assert.ok(h.service.put({ ...turing.c, ln: 'Turing-Edited' }, turing.c.ct).ok);
  assert.is(h.service.lookup('4711')?.o, 'p');
  const upload = h.uploads[h.uploads.length - 1].text;
  // All item fields written back (bw kept).
  assert.match(upload, '<item><fn>Alan</fn><ln>Turing-Edited</ln><ct>4711</ct><bw>1</bw></item>');
  // A new global file that changes the same contact: the personal edit stays.
  download(h, GLOBAL_FILE, GLOBAL.replace('<ln>Turing</ln>', '<ln>Changed-On-Server</ln>'));
  assert.is(h.service.lookup('4711')?.c.ln, 'Turing-Edited');
  assert.is(h.service.size(), 4);
  // Deleting a global contact hides it, also after the next download.
  assert.ok(h.service.remove('300').ok);
  download(h, GLOBAL_FILE, GLOBAL + '\n');
  assert.is(h.service.lookup('300'), undefined);
  assert.is(h.service.size(), 3);
});

test('edits: ct required and unique, speed dials unique, field limits', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, GLOBAL);
  h.service.start();
  const r1 = h.service.put({ fn: 'No number' });
  // Shown on the phone: the user's words, no internal field names.
  assert.equal(r1, { ok: false, error: message('contact.error.numberMissing') });
  assert.is(r1.ok ? '' : inEnglish(r1.error), 'Number missing');
  const r2 = h.service.put({ fn: 'Dup', ct: '100' });
  assert.is(r2.ok, false);
  const r3 = h.service.put({ fn: 'Speedy', ct: '999', sd: '1' });
  assert.is(r3.ok ? '' : inEnglish(r3.error), 'Speed dial 1 is taken by Reception');
  const r4 = h.service.put({ fn: 'x'.repeat(41), ct: '998' });
  assert.is(r4.ok ? '' : inEnglish(r4.error), 'First name too long');
  assert.ok(h.service.put({ fn: 'Speedy', ct: '999', sd: '9' }).ok);
  assert.is(h.service.speedDial(9)?.ct, '999');
  assert.is(h.service.speedDial(1)?.ct, '100');
});

test('limits per board: 99 local contacts on desk-99 with a clear message; a bigger personal file loads its first 99', () => {
  const h = harness('desk-99');
  h.service.start();
  for (let i = 0; i < 99; i++) assert.ok(h.service.put({ fn: `P${i}`, ct: String(1000 + i) }).ok);
  assert.equal(h.service.put({ fn: 'One too many', ct: '5000' }), { ok: false, error: message('contact.error.full', { max: 99 }) });
  // Editing an existing one is still allowed when full.
  assert.ok(h.service.put({ fn: 'P0-renamed', ct: '1000' }, '1000').ok);
  download(h, PERSONAL, directoryXml(people(120)));
  assert.ok(h.log.some((l) => /-directory\.xml: items 100–120: 21 over the limit of 99 contacts: dropped/.test(l)), h.log.slice(-4).join('\n'));
  assert.is(h.service.size(), 99);
  assert.is(h.service.lookup('100098')?.c.fn, 'Person98');
  assert.is(h.service.lookup('100099'), undefined);
  const big = harness('desk-500');
  big.files.set(PERSONAL, directoryXml(people(500)));
  big.service.start();
  assert.is(big.service.localCount(), 500);
});

const BAD_FILES: [string, () => string, RegExp][] = [
  ['malformed XML', () => '<directory><item_list><item><fn>Broken</fn><ct>1</item></item_list>', /refused: malformed XML/],
  ['non-UTF-8 bytes', () => Buffer.from(directoryXml([{ fn: 'Bad\xff', ct: '3' }]), 'latin1').toString('utf8'), /refused: not valid UTF-8/],
  ['no directory root', () => '<contacts/>', /refused: no <directory> root element/],
];

for (const [kind, text, expected] of BAD_FILES) {
  test(`bad global file (${kind}): clear log line, last good directory kept`, () => {
    const h = harness();
    h.files.set(GLOBAL_FILE, GLOBAL);
    h.service.start();
    const before = names(h);
    download(h, GLOBAL_FILE, text());
    const line = h.log.find((l) => /000000000000-directory\.xml refused/.test(l));
    assert.ok(line, 'a log line names the file');
    assert.match(line!, expected);
    assert.match(line!, /keeping the last good directory \(4 contacts\)/);
    assert.equal(names(h), before);
    // Also across a reboot with the bad text still cached.
    const again = h.reboot();
    again.service.start();
    assert.equal(names(again), before);
  });
}

test('global file limit by board: 10,000 entries on desk-500, 1,980 on desk-99; the first ones of a bigger file load', () => {
  const small = harness('desk-99');
  small.files.set(GLOBAL_FILE, directoryXml(people(1981)));
  small.service.start();
  assert.is(small.service.size(), 1980);
  assert.ok(small.log.some((l) => /000000000000-directory\.xml: item 1981 over the limit of 1980 contacts: dropped/.test(l)));
  const huge = harness('desk-500');
  huge.files.set(GLOBAL_FILE, directoryXml(people(12000)));
  huge.service.start();
  assert.is(huge.service.size(), 10000);
  assert.ok(huge.log.some((l) => /items 10001–12000: 2000 over the limit of 10000 contacts: dropped/.test(l)));
});

test('the template 000000000000-directory~.xml is never merged', () => {
  const h = harness();
  h.service.start();
  download(h, '000000000000-directory~.xml', GLOBAL);
  assert.is(h.service.size(), 0);
  assert.ok(h.log.some((l) => /is the template: not merged/.test(l)));
});

test('incoming-call policy: auto-divert beats auto-reject, ring tone, name; unknown callers ring', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, directoryXml([
    { fn: 'Spam', ln: 'Caller', ct: '666', ar: '1' },
    { fn: 'Boss', ct: '777', ar: '1', ad: '1', dc: '2000' },
    { fn: 'Mum', ct: 'sip:mum@pbx.local', rt: '7' },
    { ct: '888' },
  ]));
  h.service.start();
  const p = h.service.incomingCallPolicy;
  assert.equal(p({ address: 'sip:666@pbx.local', name: '' }), { action: 'reject', displayName: 'Spam Caller' });
  assert.equal(p({ address: '777', name: 'x' }), { action: 'divert', divertTo: '2000', displayName: 'Boss' });
  assert.equal(p({ address: 'sip:mum@pbx.local', name: '' }), { action: 'ring', displayName: 'Mum', ringTone: 7 });
  assert.equal(p({ address: '888', name: 'Someone' }), { action: 'ring' });
  assert.equal(p({ address: '12345', name: '' }), { action: 'ring' });
  assert.is(h.service.partyName('sip:666@other.example'), 'Spam Caller');
  h.params.enabled = false;
  assert.equal(p({ address: '666', name: '' }), { action: 'ring' });
  assert.is(h.service.partyName('666'), undefined);
});

test('a user logged in has their own directory (<user>-directory.xml) and uploads', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, GLOBAL);
  h.files.set('alice-directory.xml', directoryXml([{ fn: 'Alice', ln: 'Friend', ct: '42' }]));
  h.service.start();
  assert.ok(h.service.put({ fn: 'Phone', ln: 'Owner', ct: '43' }).ok);
  h.service.switchUser('alice');
  assert.is(h.service.personalFileName(), 'alice-directory.xml');
  assert.is(h.service.lookup('42')?.c.fn, 'Alice');
  assert.is(h.service.lookup('43'), undefined);
  assert.ok(h.service.put({ fn: 'Bob', ct: '44' }).ok);
  assert.is(h.uploads[h.uploads.length - 1].user, 'alice');
  h.service.switchUser(null);
  assert.is(h.service.lookup('43')?.c.fn, 'Phone');
  assert.is(h.service.lookup('44'), undefined);
});

test('a logout whose directory pages cannot be read (CRC failure) shows an empty directory, never the previous user\'s', () => {
  const h = harness();
  h.files.set('alice-directory.xml', directoryXml([{ fn: 'Alice', ln: 'Friend', ct: '42' }]));
  h.service.start();
  assert.ok(h.service.put({ fn: 'Phone', ln: 'Owner', ct: '43' }).ok);
  h.service.switchUser('alice');
  assert.is(h.service.lookup('42')?.c.fn, 'Alice');
  const read = h.store.read.bind(h.store);
  h.store.read = (path: string) => { if (path.startsWith('dir/phone/')) throw new Error('store: record fails its CRC'); return read(path); };
  h.service.switchUser(null);
  h.store.read = read;
  assert.is(h.service.currentUser(), null);
  assert.is(h.service.lookup('42'), undefined);
  assert.is(h.service.size(), 0);
  assert.ok(h.log.some((l) => /CRC/.test(l)), h.log.slice(-3).join('\n'));
});

test('our own upload coming back as the personal file is not adopted again; a changed one is', () => {
  const h = harness();
  h.service.start();
  assert.ok(h.service.put({ fn: 'Mine', ct: '1' }).ok);
  download(h, PERSONAL, h.uploads[0].text);
  assert.ok(!h.log.some((l) => /downloaded as the local directory/.test(l)));
  download(h, PERSONAL, directoryXml([{ fn: 'Admin', ln: 'Edit', ct: '2' }]));
  assert.equal(names(h), ['Admin Edit']);
});

test.run();
