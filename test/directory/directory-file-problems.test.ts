/**
 * Directory files as real provisioning servers hold them: the valid items
 * load, each bad item is cut, loses a field or is dropped, with one log line
 * naming the item number and the reason — once per file version, not again at
 * a reboot, a re-sort or a login — and at most 20 such lines per file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { truncateUtf8, utf8Length } from '../../firmware/directory/contact';
import { parseDirectoryXml } from '../../firmware/directory/directory-xml';
import { FlashDirectoryStorage } from '../../firmware/directory/flash-directory-storage';
import { MergedDirectory } from '../../firmware/directory/merged-directory';
import { bootPhone, ENGINES } from '../helpers/sim';
import { MAC, directoryXml, download, harness, names, GLOBAL_FILE } from './directory-fixture';

/** A global file as a VVX fleet's server holds it: items 3, 4, 5, 6 and 8 are wrong (see the file). */
const FLEET_GLOBAL = fs.readFileSync(path.join(__dirname, '../fixtures/directory/000000000000-directory.xml'), 'utf8');
const OLAFUR = 'Ólafur Ragnar Þórðarson Guðmundsðóttir';

/** The text of the log lines about directory files (after `time|component|level|missed|`). */
function fileLines(log: string[]): string[] {
  return log.map((l) => l.split('|').slice(4).join('|')).filter((t) => /-directory\.xml: /.test(t));
}

const EXPECTED_LINES = [
  'directory: 000000000000-directory.xml: 8 items: 6 loaded (3 of them with a field cut or dropped), 2 dropped',
  'directory: 000000000000-directory.xml: item 3: ct duplicates item 2: dropped',
  'directory: 000000000000-directory.xml: item 4: fn of 45 bytes cut to 39 (limit 40)',
  'directory: 000000000000-directory.xml: item 5: no contact number (ct): dropped',
  'directory: 000000000000-directory.xml: item 6: rt "99" is not 1–21: field dropped',
  'directory: 000000000000-directory.xml: item 8: ad=1 without a divert contact (dc): ad dropped; sd 3 already belongs to item 7: sd dropped',
];

test('UTF-8 cut at a character boundary, never inside one', () => {
  assert.is(utf8Length(OLAFUR), 45);
  // Bytes 39–40 are one "ó": it goes whole.
  assert.is(truncateUtf8(OLAFUR, 40), 'Ólafur Ragnar Þórðarson Guðmundsð');
  assert.is(utf8Length(truncateUtf8(OLAFUR, 40)), 39);
  assert.is(truncateUtf8('ab😀cd', 5), 'ab');
  assert.is(truncateUtf8('ab😀cd', 6), 'ab😀');
  assert.is(truncateUtf8('€€', 5), '€');
  assert.is(truncateUtf8('short', 40), 'short');
});

test('a Polycom-style global file: the valid items load, the bad ones are cut, lose a field or are dropped', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, FLEET_GLOBAL);
  h.service.start();
  assert.is(h.service.size(), 6);
  assert.equal(names(h), ['Grace Hopper', 'Ólafur Ragnar Þórðarson Guðmundsð Jónsson', 'Ada Lovelace', 'Anna Müller', 'Reception', 'Rita Ringer']);
  // The duplicate ct: the first item keeps the number, with its speed dial.
  assert.is(h.service.lookup('4711')?.c.ln, 'Müller');
  assert.is(h.service.speedDial(2)?.ct, '4711');
  assert.is(h.service.lookup('4712')?.c.sd, '4');
  // Bad ring tone: the contact without it; its other fields kept.
  assert.equal(h.service.lookup('sip:rita@pbx.example.com')?.c, { fn: 'Rita', ln: 'Ringer', ct: 'sip:rita@pbx.example.com', pt: 'SIP', ad: '0', ar: '0', bw: '0', bb: '0' });
  // Speed dial 3 stays with the first item that has it; auto-divert without a target is off.
  assert.is(h.service.speedDial(3)?.ct, '300');
  assert.equal(h.service.lookup('301')?.c, { fn: 'Ada', ln: 'Lovelace', ct: '301', ar: '0', bw: '0', bb: '0' });
  assert.equal(h.service.incomingCallPolicy({ address: '301', name: '' }), { action: 'ring', displayName: 'Ada Lovelace' });
  assert.equal(fileLines(h.log), EXPECTED_LINES);
  // Item numbers and reasons only: no name or number from the file in the log.
  for (const party of ['Ólafur', 'Nobody', 'Müller', '4711', 'rita', 'Lovelace']) assert.not.ok(h.log.some((l) => l.includes(party)), party);
});

test('each problem is logged once per file version: not again at a re-sort, a login, a reboot; again for a new version', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, FLEET_GLOBAL);
  h.service.start();
  assert.equal(fileLines(h.log), EXPECTED_LINES);
  h.params.byFirst = true;
  h.service.start();
  h.service.switchUser('alice');
  h.service.switchUser(null);
  assert.equal(fileLines(h.log), EXPECTED_LINES, 'once in this boot');
  // Reboot, and one sorted the other way (the index is rebuilt and the file read again).
  const again = h.reboot();
  again.service.start();
  assert.is(again.service.size(), 6);
  const third = again.reboot();
  third.params.byFirst = true;
  third.service.start();
  assert.is(third.service.size(), 6);
  assert.equal(fileLines([...again.log, ...third.log]), [], 'not again after a reboot');
  // A new version of the file: its problems are logged, once.
  download(third, GLOBAL_FILE, FLEET_GLOBAL.replace('<fn>Grace</fn>', '<fn>Grace M.</fn>'));
  third.service.start();
  assert.equal(fileLines(third.log), EXPECTED_LINES);
});

test('a file that is not a directory file is refused whole with one line per version; the last good directory stays', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, FLEET_GLOBAL);
  h.service.start();
  download(h, GLOBAL_FILE, '<html><body>Moved</body></html>');
  h.params.byFirst = true;
  h.service.start();
  const refusals = (log: string[]) => log.filter((l) => /000000000000-directory\.xml refused/.test(l));
  assert.is(refusals(h.log).length, 1);
  assert.match(refusals(h.log)[0], /refused: no <directory> root element; keeping the last good directory \(6 contacts\)/);
  assert.is(h.service.size(), 6);
  const again = h.reboot();
  again.service.start();
  assert.is(again.service.size(), 6);
  assert.is(refusals(again.log).length, 0, 'not again at the next boot');
  // A personal file that is not XML: same rule.
  download(again, `${MAC}-directory.xml`, 'garbage');
  download(again, `${MAC}-directory.xml`, 'garbage');
  const third = again.reboot();
  third.service.start();
  assert.is([...again.log, ...third.log].filter((l) => /-directory\.xml refused: malformed XML/.test(l)).length, 1);
});

test('a file with 1,000 bad items: 20 lines and one "and N more", every valid item loaded', () => {
  const items: Record<string, string>[] = [];
  for (let i = 0; i < 1000; i++) items.push({ fn: `Good${i}`, ct: String(10000 + i) }, { fn: `Bad${i}`, ct: '', ln: 'x'.repeat(500) });
  const h = harness();
  h.files.set(GLOBAL_FILE, directoryXml(items));
  h.service.start();
  assert.is(h.service.size(), 1000);
  const lines = fileLines(h.log);
  assert.is(lines.length, 22);
  assert.is(lines[0], 'directory: 000000000000-directory.xml: 2000 items: 1000 loaded (0 of them with a field cut or dropped), 1000 dropped');
  assert.is(lines[1], 'directory: 000000000000-directory.xml: item 2: no contact number (ct): dropped');
  assert.is(lines[20], 'directory: 000000000000-directory.xml: item 40: no contact number (ct): dropped');
  assert.is(lines[21], 'directory: 000000000000-directory.xml: and 980 more problems not listed');
  assert.ok(h.log.every((l) => l.length < 300));
});

test('a personal file with bad items is adopted with its valid ones; over-long fields of every kind', () => {
  const r = parseDirectoryXml(directoryXml([
    { fn: 'Ok', ct: '1', lb: 'L'.repeat(50), pt: 'P'.repeat(20), dc: '9'.repeat(200), ad: '1' },
    { fn: 'Long number', ct: '5'.repeat(200) },
    { fn: 'Flags', ct: '2', bw: 'yes', ar: '2', sd: '0' },
  ]), 500);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.contacts, [{ fn: 'Ok', ct: '1', lb: 'L'.repeat(40) }, { fn: 'Flags', ct: '2' }]);
  assert.equal(r.problems, [
    'item 1: lb of 50 bytes cut to 40 (limit 40); pt of 20 bytes is longer than 16: field dropped; dc of 200 bytes is longer than 128: field dropped; ad=1 without a divert contact (dc): ad dropped',
    'item 2: ct of 200 bytes is longer than 128: dropped',
    'item 3: sd "0" is not 1–9999: field dropped; ar "2" is not 0 or 1: field dropped; bw "yes" is not 0 or 1: field dropped',
  ]);
  const h = harness();
  h.service.start();
  download(h, `${MAC}-directory.xml`, directoryXml([{ fn: 'Mine', ct: '7' }, { fn: 'Again', ct: '7' }]));
  assert.equal(names(h), ['Mine']);
  assert.is(h.service.localCount(), 1);
  assert.ok(fileLines(h.log).includes(`directory: ${MAC}-directory.xml: item 2: ct duplicates item 1: dropped`));
});

test('a user\'s personal file versions are kept in that user\'s directory class only, never in the phone\'s', () => {
  const h = harness();
  h.files.set(GLOBAL_FILE, FLEET_GLOBAL);
  h.files.set('alice-directory.xml', directoryXml([{ fn: 'Alice', ct: '42' }, { fn: 'Again', ct: '42' }]));
  h.service.start();
  h.service.switchUser('alice');
  assert.ok(fileLines(h.log).includes('directory: alice-directory.xml: item 2: ct duplicates item 1: dropped'));
  assert.ok(MergedDirectory.reportedIn(MergedDirectory.readMeta(new FlashDirectoryStorage(h.store, 'alice'))).some((k) => k.startsWith('alice-directory.xml@')));
  h.service.switchUser(null);
  const phoneVersions = MergedDirectory.reportedIn(MergedDirectory.readMeta(new FlashDirectoryStorage(h.store, null)));
  assert.ok(phoneVersions.length > 0 && phoneVersions.every((k) => k.startsWith(`${GLOBAL_FILE}@`)), phoneVersions.join());
});

for (const engine of ENGINES) {
  test(`${engine}: a booted phone loads the fleet's directory file, logs each problem once, and not again after a power cycle`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-problems-'));
    fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg" CONTACTS_DIRECTORY="" OVERRIDES_DIRECTORY="overrides" CALL_LISTS_DIRECTORY="calls" LOG_FILE_DIRECTORY="logs"/>\n');
    fs.writeFileSync(path.join(dir, 'site.cfg'), '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="polycomConfig.xsd">\n  <dir dir.search.field="1"/>\n</polycomConfig>\n');
    fs.writeFileSync(path.join(dir, GLOBAL_FILE), FLEET_GLOBAL);
    const phone = await bootPhone({ board: 'desk-500', engine, provisioningDir: dir });
    try {
      await phone.advance(1000);
      await phone.settle();
      const directoryLines = (log: string[]) => fileLines(log).filter((l) => l.startsWith('directory: '));
      assert.equal(directoryLines(phone.log()), EXPECTED_LINES);
      assert.ok(phone.log().some((l) => l.includes(`|1|0|${MAC}-directory.xml: no such file on the server at sim://prov/${MAC}-directory.xml (HTTP 404)`)));
      assert.ok(phone.log().some((l) => /directory: merged 0 local and 6 global contacts/.test(l)));
      assert.not.ok(phone.log().some((l) => /unknown parameter/.test(l)), 'xmlns:xsi and xsi:* are not parameters');
      const mark = phone.log().length;
      phone.cutPower();
      await phone.powerOn();
      await phone.advance(1000);
      await phone.settle();
      assert.equal(directoryLines(phone.log().slice(mark)), [], 'not again after the power cycle');
      assert.ok(phone.log().slice(mark).some((l) => /directory: 6 contacts/.test(l)));
    } finally {
      phone.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
