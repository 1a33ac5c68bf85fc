/**
 * Updates from a real provisioning server (nginx on 127.0.0.1) to a simulated
 * phone running the real bundle in QuickJS: the master file's APP_FILE_PATH
 * names a signed update file.
 *
 * - a good update (the real firmware built as 0.99.0) is installed into slot A,
 *   the phone reboots into it on trial, reaches idle and marks it good;
 * - a file signed by another key is refused with one log line, nothing is
 *   written to the updater partition, the phone keeps running;
 * - an image that never reaches idle (it throws at boot) rolls back to the
 *   factory image at the next boot and is not installed again.
 */
import * as fs from 'fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBootRecord } from '../../firmware/updater/boot-record';
import { generateSigningKey, publicKeyPem } from '../../build/image/signing-key';
import { createPhone, type Phone } from '../../sim/phone';
import { advanceUntil } from '../helpers/sim';
import { NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cycles, provisioningServerFor } from '../provisioning/provisioning-fixture';
import { RUNNING_VERSION, brokenBundle, newerRealBundle, phoneKey, updateFile } from './update-fixture';

let server: NginxServer;
const IMAGE = 'firmware/desk-500.upd';

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', `<APPLICATION APP_FILE_PATH="firmware/[PHONE_MODEL].upd" CONFIG_FILES="" CONTACTS_DIRECTORY="contacts"><APPLICATION_DESK500 APP_FILE_PATH_DESK500="${IMAGE}"/></APPLICATION>\n`);
});

/** A phone from the factory (its update key in the updater partition) pointed at the server. */
async function factoryPhone(): Promise<Phone> {
  const phone = await createPhone({
    board: 'desk-500', engine: 'quickjs', provisioningDir: null,
    deviceSettings: { 'device.prov.serverName': server.httpUrl, 'device.prov.user': USER, 'device.prov.password': PASSWORD, 'device.prov.timeoutMs': '3000' },
    updateKeyPem: publicKeyPem(phoneKey),
  });
  await phone.boot();
  return phone;
}

const updt = (phone: Phone, level: number) => phone.log().filter((l) => l.includes(`|updt|${level}|`));
const record = (phone: Phone) => readBootRecord(phone.devices.flash.open('updater'));

test('a good update: downloaded, installed into slot A, booted on trial, marked good at idle', async () => {
  server.put(IMAGE, updateFile({ version: '0.99.0', bundle: fs.readFileSync(await newerRealBundle()) }));
  const phone = await factoryPhone();
  try {
    await advanceUntil(phone, 'the new version marked good', () => updt(phone, 2).some((l) => /slot A \(0\.99\.0\) reached idle: marked good/.test(l)));
    const log = phone.log().join('\n');
    assert.match(log, /installed version 0\.99\.0 into slot A/);
    assert.match(log, /\[sim\] boot loader: booting slot A \(0\.99\.0, trial\)/);
    assert.match(log, /boot: firmware 0\.99\.0 on DESK500/);
    assert.match(log, /reason reboot \(firmware update to 0\.99\.0\)/);
    const r = record(phone)!;
    assert.equal([r.active, r.slots.A.state, r.slots.A.version, r.trialBootsLeft], ['A', 'good', '0.99.0', 0]);
    // The next cycle finds the running version on the server: nothing more happens.
    await phone.reboot('check');
    await cycles(phone, 1);
    await advanceUntil(phone, 'the image checked again', () => phone.log().filter((l) => /is version 0\.99\.0, the one running/.test(l)).length >= 1);
    assert.match(phone.log().filter((l) => l.includes('[sim] boot loader')).pop()!, /booting slot A \(0\.99\.0\)$/);
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test('a bad signature is refused alone: one error line, the updater partition untouched, the running image stays', async () => {
  server.put(IMAGE, updateFile({ version: '0.99.0', bundle: fs.readFileSync(await newerRealBundle()), key: generateSigningKey() }));
  const phone = await factoryPhone();
  try {
    const before = Buffer.from(phone.devices.flash.open('updater').read(0, phone.devices.flash.open('updater').size));
    await advanceUntil(phone, 'the image refused', () => updt(phone, 4).length > 0);
    await phone.advance(5000);
    assert.is(updt(phone, 4).length, 1);
    assert.match(updt(phone, 4)[0], /application image .*desk-500\.upd refused: bad signature: not signed by the phone's update key [0-9a-f]{16} .*factory image \(0\.1\.0\) keeps running/);
    assert.is(record(phone), null);
    assert.ok(Buffer.from(phone.devices.flash.open('updater').read(0, before.length)).equals(before));
    assert.is(phone.state, 'running');
    assert.not.match(phone.log().join('\n'), /reboot requested/);
  } finally {
    phone.dispose();
  }
});

test('an image that never reaches idle rolls back at the next boot and is not installed again', async () => {
  server.put(IMAGE, updateFile({ version: '0.98.0', bundle: brokenBundle('0.98.0') }));
  const phone = await factoryPhone();
  try {
    await advanceUntil(phone, 'the broken image booted', () => phone.state !== 'running');
    assert.match(phone.log().join('\n'), /broken image 0\.98\.0/, phone.log().slice(-8).join('\n'));
    assert.is(record(phone)!.slots.A.state, 'trial');
    await phone.powerOn();
    const log = phone.log().join('\n');
    assert.match(log, /\[sim\] boot loader: slot A \(0\.98\.0\) did not reach idle on its trial boot: rolling back to the factory image/);
    assert.match(log.split('broken image')[1], new RegExp(`boot: firmware ${RUNNING_VERSION.replace(/\./g, '\\.')} on DESK500`));
    const r = record(phone)!;
    assert.equal([r.active, r.slots.A.state], [null, 'bad']);
    await advanceUntil(phone, 'the image refused', () => updt(phone, 4).some((l) => /already failed its trial boot in slot A/.test(l)));
    assert.is(phone.state, 'running');
  } finally {
    phone.dispose();
  }
});

test.run();
