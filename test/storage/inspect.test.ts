/**
 * `phone inspect`: partitions, blocks, wear, live/stale records per class and
 * `--find`, on an image written by the store on the host and on one saved
 * by a simulated phone that booted from it (the QuickJS firmware mounts what
 * the host wrote, and the inspection reads what the phone wrote).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BOARDS } from '../../hal/boards';
import { createCli } from '../../sim/cli/main';
import { formatInspection, inspectImage } from '../../sim/cli/commands/inspect';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { withPhone } from '../helpers/sim';
import { mountStore } from './store-harness';

const desk500 = BOARDS['desk-500'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-'));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function hostImage(): { file: string; flash: VirtualFlash; ks: Keystore } {
  const flash = new VirtualFlash(desk500.flash);
  const ks = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(ks));
  for (let i = 0; i < 3; i++) store.write('certs/site.pem', utf8(`<cert subject="SiteSecret${i}"/>`), { cls: 'certificates' });
  store.write('certs/utf16.pem', new Uint8Array(Buffer.from('Wide Secret', 'utf16le')), { cls: 'certificates' });
  // Configuration is sealed (it may carry passwords and keys): its text never reaches flash in clear.
  store.write('cfg/site.cfg', utf8('<cfg dir.corp.password="SealedSecret"/>'), { cls: 'config' });
  store.append('calls/alice-calls.xml', utf8('<call><name>Alice Example</name></call>'), { cls: 'callLists', user: 'alice' });
  const file = path.join(dir, 'host.img');
  fs.writeFileSync(file, flash.image());
  ks.save(file + '.keys.json');
  return { file, flash, ks };
}

test('inspection shows partitions, blocks, wear and live/stale records per class', () => {
  const { file } = hostImage();
  const r = inspectImage(fs.readFileSync(file), desk500, ['SiteSecret0', 'SiteSecret2', 'Wide Secret', 'Alice Example', 'SealedSecret', 'absent-string']);
  assert.equal(r.partitions.map((p) => p.name), ['nvram', 'fs', 'updater']);
  const fsPart = r.partitions.find((p) => p.name === 'fs')!;
  assert.ok(fsPart.store);
  assert.equal(fsPart.liveFiles, 4);
  assert.equal(fsPart.classes.certificates.liveRecords, 2, 'site.pem and utf16.pem');
  assert.equal(fsPart.classes.certificates.staleRecords, 2, 'two overwritten versions of site.pem');
  assert.equal(fsPart.classes.callLists.liveRecords, 1);
  assert.ok(fsPart.wear && fsPart.wear.max >= 1);
  assert.ok(fsPart.blocks.some((b) => b.state === 'active' && b.live === 4));
  assert.not.ok(r.partitions.find((p) => p.name === 'updater')!.store);
  const hits = (s: string) => r.hits.filter((h) => h.needle === s);
  assert.equal(hits('SiteSecret0').length, 1);
  assert.equal(hits('SiteSecret0')[0].record?.live, false, 'an overwritten version is found, as stale');
  assert.equal(hits('SiteSecret2')[0].record?.live, true);
  assert.equal(hits('SiteSecret2')[0].partition, 'fs');
  assert.equal(hits('Wide Secret').map((h) => h.encoding), ['utf-16le']);
  assert.equal(hits('Alice Example'), [], 'call lists are sealed on flash');
  assert.equal(hits('SealedSecret'), [], 'configuration is sealed on flash');
  const text = formatInspection(r);
  const fs500 = BOARDS['desk-500'].flash.partitions.find((p) => p.name === 'fs')!.size;
  assert.match(text, new RegExp(`partition fs: ${fs500} bytes, ${fs500 / 4096} blocks of 4096`));
  assert.match(text, /certificates\s+2\s+\d+\s+2/);
  assert.match(text, /"SiteSecret0" utf-8 at fs\+0x[0-9a-f]+ \(block \d+\).*stale write record of certs\/site.pem \(certificates\)/);
  assert.match(text, /not found: "Alice Example", "SealedSecret", "absent-string"/);
});

test('the CLI command runs on a saved image; a wrong board is a clear error', async () => {
  const { file } = hostImage();
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    await createCli().exitOverride().parseAsync(['node', 'phone', 'inspect', file, '--find', 'SiteSecret1', 'nothing-here']);
  } finally {
    console.log = log;
  }
  const out = lines.join('\n');
  assert.match(out, /board desk-500/);
  assert.match(out, /"SiteSecret1" utf-8 at fs\+/);
  assert.match(out, /not found: "nothing-here"/);
  await createCli().exitOverride().parseAsync(['node', 'phone', 'inspect', file, '--board', 'desk-99']).then(
    () => assert.unreachable('desk-99 has a different flash size'),
    (e: Error) => assert.match(e.message, new RegExp(`image is ${desk500FlashBytes()} bytes, but board desk-99 has .* pick the right --board`)),
  );
});

test('after eraseClass the inspection finds none of the class strings', () => {
  const { flash, ks } = hostImage();
  mountStore(flash.open('fs'), new NodeCryptoEngine(ks)).eraseClass('certificates');
  const r = inspectImage(flash.image(), desk500, ['SiteSecret0', 'SiteSecret2', 'Wide Secret', 'certs/site.pem']);
  assert.equal(r.hits, []);
  const fsPart = r.partitions.find((p) => p.name === 'fs')!;
  assert.equal(fsPart.classes.certificates, undefined);
  assert.equal(fsPart.liveFiles, 2);
});

test('a phone boots (QuickJS) from a host-written image, and its saved image inspects', async () => {
  const { file } = hostImage();
  await withPhone({ flashImage: file }, async (phone) => {
    assert.ok(phone.log().some((l) => /fs: mounted, 4 files/.test(l)), 'the firmware in QuickJS mounts what the host wrote');
    const saved = path.join(dir, 'phone.img');
    phone.saveFlash(saved);
    assert.ok(fs.existsSync(saved + '.keys.json'));
    const r = inspectImage(fs.readFileSync(saved), desk500, ['SiteSecret2']);
    assert.equal(r.partitions.find((p) => p.name === 'nvram')!.liveFiles, 2, 'device settings and the web interface certificate written at boot');
    // The host's files are still live; modules may add their own (the directory's index meta, logs).
    const livePaths = new Set(r.partitions.find((p) => p.name === 'fs')!.records.filter((x) => x.live).map((x) => x.path));
    for (const f of ['certs/site.pem', 'certs/utf16.pem']) assert.ok(livePaths.has(f), `${f} still live after boot`);
    // alice is not logged in: the login module erases her call lists at boot (docs/security.md, Logout).
    assert.not.ok(livePaths.has('calls/alice-calls.xml'), 'the call lists of a user who is not logged in are erased at boot');
    assert.equal(r.hits.length, 1);
  });
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

function desk500FlashBytes(): number {
  return BOARDS['desk-500'].flash.partitions.reduce((sum, p) => sum + p.size, 0);
}

test.run();
