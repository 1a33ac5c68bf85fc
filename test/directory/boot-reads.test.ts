/**
 * What a boot reads of the directory: with an index that is current, the
 * meta page once and nothing else (the local store, ~25 KiB for 500
 * contacts, is read at its first need), and the directory answers exactly
 * as when everything was read at boot: incoming-call names and auto-reject
 * right after the boot, search, speed dials, then edits and counts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Encode } from '../../firmware/kernel/text-codec';
import { MAC, directoryXml, harness, names, people, type Harness, GLOBAL_FILE } from './directory-fixture';

const PERSONAL = `${MAC}-directory.xml`;

/** The store paths the directory reads from here on. */
function spyReads(h: Harness): string[] {
  const read: string[] = [];
  const readEach = h.store.readEach.bind(h.store);
  h.store.readEach = (paths: string[]) => {
    read.push(...paths);
    return readEach(paths);
  };
  return read;
}

function provisioned(): Harness {
  const h = harness();
  h.files.set(GLOBAL_FILE, directoryXml([
    ...people(300, 0, 'Global'),
    { fn: 'Spam', ln: 'Caller', ct: '666', ar: '1' },
    { fn: 'Reception', ct: '100', sd: '1' },
  ]));
  h.files.set(PERSONAL, directoryXml([...people(40, 1000, 'Mine'), { fn: 'Boss', ct: '777', ar: '1', ad: '1', dc: '2000' }, { fn: 'Mum', ct: 'sip:mum@pbx.local', rt: '7', sd: '2' }]));
  h.service.start();
  return h;
}

test('a boot with a current index reads the meta page once, not the local store', () => {
  const first = provisioned();
  assert.is(first.service.localCount(), 42);
  const again = first.reboot();
  const read = spyReads(again);
  again.service.start();
  assert.equal(read, ['dir/phone/meta']);
  assert.ok(again.log.some((l) => l.includes('directory: 344 contacts for the phone')), again.log.join('\n'));
});

test('right after such a boot: incoming-call decisions, names, search and speed dials as with the local store read', () => {
  const first = provisioned();
  const again = first.reboot();
  const read = spyReads(again);
  again.service.start();
  const p = again.service.incomingCallPolicy;
  assert.equal(p({ address: 'sip:666@pbx.local', name: '' }), { action: 'reject', displayName: 'Spam Caller' });
  assert.equal(p({ address: '777', name: 'x' }), { action: 'divert', divertTo: '2000', displayName: 'Boss' });
  assert.equal(p({ address: 'sip:mum@pbx.local', name: '' }), { action: 'ring', displayName: 'Mum', ringTone: 7 });
  assert.is(again.service.partyName('101005'), 'Mine1005 Family01005');
  assert.is(again.service.speedDial(2)?.ct, 'sip:mum@pbx.local');
  assert.is(again.service.speedDial(1)?.ct, '100');
  assert.equal(names(again, 'family0100'), names(first, 'family0100'));
  assert.equal(names(again), names(first));
  assert.not.ok(read.includes('dir/phone/local'), 'answered from the index alone');
});

test('the local store read at its first need: counts, edits and deletes as before, kept across the next boot', () => {
  const first = provisioned();
  const again = first.reboot();
  const read = spyReads(again);
  again.service.start();
  assert.is(again.service.localCount(), 42);
  assert.ok(read.includes('dir/phone/local'));
  assert.ok(again.service.put({ fn: 'New', ct: '5555' }).ok);
  assert.ok(again.service.remove('101000').ok);
  // The upload carries the whole personal directory: the 42 read lazily, one added, one deleted.
  const upload = again.uploads[again.uploads.length - 1].text;
  assert.is(upload.split('<item>').length - 1, 42);
  assert.match(upload, '<fn>Mum</fn>');
  const third = again.reboot();
  third.service.start();
  assert.is(third.service.localCount(), 42);
  assert.is(third.service.lookup('5555')?.o, 'p');
  assert.is(third.service.lookup('101000'), undefined);
  assert.is(third.service.size(), 344);
});

test('an edit right after the boot, before anything read the local store, keeps every local contact', () => {
  const again = provisioned().reboot();
  again.service.start();
  assert.ok(again.service.put({ fn: 'Added', ct: '4242' }).ok);
  assert.is(again.service.localCount(), 43);
  const third = again.reboot();
  third.service.start();
  assert.is(third.service.localCount(), 43);
  assert.is(third.service.lookup('sip:mum@pbx.local')?.o, 'p');
});

test('a local store found unreadable at its first need is replaced by the personal file, as a boot would have done', () => {
  const first = provisioned();
  first.store.write('dir/phone/local', utf8Encode('not json'), { cls: 'directory' });
  const again = first.reboot();
  again.service.start();
  assert.is(again.service.localCount(), 42);
  assert.ok(again.log.some((l) => l.includes('local store of the phone unreadable; starting from the personal file')));
  assert.ok(again.log.some((l) => /adopted as the local directory \(42 contacts\)/.test(l)));
  const third = again.reboot();
  const read = spyReads(third);
  third.service.start();
  assert.is(third.service.localCount(), 42);
  assert.not.ok(third.log.some((l) => l.includes('unreadable')));
  assert.ok(read.includes('dir/phone/local'));
});

test('a boot without a local store on flash adopts the personal file at once (first boot, after a reset)', () => {
  const h = harness();
  h.files.set(PERSONAL, directoryXml(people(3)));
  h.service.start();
  assert.ok(h.log.some((l) => l.includes('directory: 3 contacts (3 local) for the phone')), h.log.join('\n'));
});

test.run();
