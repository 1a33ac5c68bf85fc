/**
 * Issue 13 point 8: "My Data". The export is generated from the
 * declarations: every personal class is in the JSON with the subject's
 * records (canaries), another user's per-user records are not; call lists and
 * contacts come as Polycom XML; `phone data export --flash IMG` writes the
 * same for admins; on the phone, Settings > Basic > My Data writes to USB.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { exportPersonalData } from '../../firmware/reset/data-export';
import { mergeClasses } from '../../firmware/reset/reset-plan';
import { FileStore } from '../../firmware/storage/file-store';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { CANARY_USER, seedCanaries } from '../../sim/reset/canaries';
import { declaredClasses } from '../../sim/reset/reset-matrix';
import { bootOn, profileFolder } from '../login/login-fixture';
import { openSettings } from './reset-fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const profile = boardProfile('desk-500');
const declared = declaredClasses();
const seeded = seedCanaries(profile, declared);

test('every personal class is in the export, with the subject\'s records and no one else\'s', () => {
  const store = FileStore.mount(VirtualFlash.fromImage(profile.flash, seeded.image).open('fs'), new NodeCryptoEngine(seeded.keystore));
  const personal = mergeClasses(declared).filter((c) => c.personal);
  assert.ok(personal.length >= 6);
  const mine = exportPersonalData(store, declared, { user: CANARY_USER, mac: profile.mac, at: '2026-01-01T00:00:00Z' }, () => {});
  const json = JSON.parse(mine.files[0].text) as { classes: Record<string, unknown> };
  assert.equal(Object.keys(json.classes).sort(), personal.map((c) => c.storageClass).sort());
  const text = mine.files[0].text;
  for (const c of seeded.canaries.filter((x) => x.kind === 'record' && personal.some((p) => p.storageClass === x.cls))) {
    const perUser = personal.find((p) => p.storageClass === c.cls)!.perUser;
    const belongs = !perUser || c.owner === CANARY_USER;
    assert.is(text.includes(c.text), belongs, `${c.what} ${belongs ? 'in' : 'not in'} the export of ${CANARY_USER}`);
  }
  assert.equal(mine.files.map((f) => f.name), [`${CANARY_USER}-mydata.json`, `${CANARY_USER}-calls.xml`, `${CANARY_USER}-directory.xml`]);
  assert.match(mine.files[1].text, /<callList>/);
  assert.match(mine.files[2].text, /<directory>/);
  // No secret of the phone is in a user's export.
  for (const c of seeded.canaries.filter((x) => !personal.some((p) => p.storageClass === x.cls))) assert.not.ok(text.includes(c.text), c.what);
});

test('phone data export --flash IMG writes the JSON and the XML files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-export-'));
  try {
    const img = path.join(dir, 'phone.img');
    fs.writeFileSync(img, seeded.image);
    seeded.keystore.save(img + '.keys.json');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'phone.js'), 'data', 'export', '--flash', img, '--user', CANARY_USER, '-o', path.join(dir, 'out')], { cwd: ROOT, encoding: 'utf8' });
    assert.is(run.status, 0, run.stderr);
    const json = fs.readFileSync(path.join(dir, 'out', `${CANARY_USER}-mydata.json`), 'utf8');
    assert.ok(seeded.canaries.some((c) => c.owner === CANARY_USER && c.cls === 'callLists' && json.includes(c.text)));
    assert.ok(fs.existsSync(path.join(dir, 'out', `${CANARY_USER}-calls.xml`)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('on the phone: Settings > Basic > My Data > USB writes the files to the stick', async () => {
  const usb = fs.mkdtempSync(path.join(os.tmpdir(), 'my-data-usb-'));
  const folder = profileFolder({ 'prov.login.enabled': '0' });
  const phone = await bootOn(folder, { usbDir: usb });
  try {
    const id = phone.farEnd.ring('5550123', 'Quentin Caller');
    await phone.advance(100);
    phone.farEnd.hangup(id);
    await phone.advance(1000);
    await openSettings(phone, ['Basic', 'My Data']);
    assert.is(phone.screen().id, 'my-data', JSON.stringify(phone.screen()));
    await phone.press('soft1'); // USB
    assert.ok(phone.screen().lines.includes('Written to USB:'), phone.screen().lines.join('|'));
    const mac = profile.mac;
    assert.match(fs.readFileSync(path.join(usb, `${mac}-calls.xml`), 'utf8'), /5550123/);
    const json = JSON.parse(fs.readFileSync(path.join(usb, `${mac}-mydata.json`), 'utf8'));
    assert.ok(json.classes.callLists.files.length > 0);
  } finally {
    phone.dispose();
    folder.remove();
    fs.rmSync(usb, { recursive: true, force: true });
  }
});

test.run();
