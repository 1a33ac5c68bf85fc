/**
 * Encrypted configuration files served by a real nginx to a simulated phone:
 * decrypted on download; a wrong key, a truncated file or a key-name
 * mismatch is logged, shown on the screen, and the last good copy stays in
 * force until a readable file arrives; the spec's key-change procedure end
 * to end (new key in a plain file → stored in device settings → one reboot →
 * the new files decrypt).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encryptConfigFile, formatEncryptionKey, generateEncryptionKey, parseEncryptionKey } from '../../firmware/provisioning/config-encryption';
import { keyCfg } from '../../sim/cli/commands/crypt';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import type { NginxServer } from '../servers/nginx';
import { PASSWORD, USER, cfg, cycleLines, cycles, logMatching, masterCfg, phoneAt, provisioningServerFor } from './provisioning-fixture';

const crypto = new NodeCryptoEngine();
const OLD_KEY = parseEncryptionKey('Crypt=1;KeyDesc=site2026;Key=000102030405060708090a0b0c0d0e0f;');
const NEW_KEY = generateEncryptionKey(crypto, 'site2027');
const enc = (key: typeof OLD_KEY, text: string) => encryptConfigFile(crypto, key, Buffer.from(text));
const withOldKey = { 'device.sec.configEncryption.key': formatEncryptionKey(OLD_KEY) };

let server: NginxServer;

provisioningServerFor(test, { auth: { user: USER, password: PASSWORD } }, (s) => {
  server = s;
}, (s) => {
  s.put('000000000000.cfg', masterCfg('site.enc'));
  s.put('site.enc', enc(OLD_KEY, cfg({ 'prov.polling.period': '7000' })));
});

test('encrypted CONFIG_FILES entry and directory: decrypted with the phone key and applied', async () => {
  server.put('contacts/000000000000-directory.xml', enc(OLD_KEY, '<directory><item_list><item><fn>Ada</fn><ct>100</ct></item></item_list></directory>'));
  const phone = await phoneAt(server, { settings: withOldKey });
  try {
    assert.match(cycleLines(phone)[0], 'provisioned from');
    assert.ok(logMatching(phone, /site\.enc: decrypted/).length === 1);
    assert.ok(logMatching(phone, /000000000000-directory\.xml: decrypted/).length === 1);
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "7000" \(site\.enc\)/).length === 1);
    assert.is(phone.screen().id, 'idle');
  } finally {
    phone.dispose();
  }
});

for (const [kind, bad, reason] of [
  ['wrong key (same name)', () => enc({ description: 'site2026', key: new Uint8Array(16).fill(9) }, cfg({ 'prov.polling.period': '9000' })), 'wrong-key-or-corrupt'],
  ['key of another name', () => enc(NEW_KEY, cfg({ 'prov.polling.period': '9000' })), 'key-mismatch'],
  ['truncated file', () => enc(OLD_KEY, cfg({ 'prov.polling.period': '9000' })).subarray(0, 200), 'truncated'],
] as const) {
  test(`${kind}: logged, error on screen, last good copy stays until a readable file arrives`, async () => {
    const phone = await phoneAt(server, { settings: withOldKey });
    try {
      server.put('site.enc', bad());
      phone.farEnd.notify('check-sync');
      await cycles(phone, 2);
      assert.is(logMatching(phone, new RegExp(`\\|prov\\|4\\|.*site\\.enc: cannot decrypt \\(${reason}\\)`)).length, 1, phone.log().slice(-8).join('\n'));
      assert.is(phone.screen().id, 'message');
      assert.is(phone.screen().title, 'Provisioning error');
      assert.match(phone.screen().lines.join(' '), 'site.enc');
      assert.is(logMatching(phone, /prov\.polling\.period: "7000" -> "9000"/).length, 0, 'bad copy not applied');
      // The same bad file again: asked for whole again (no validators kept), same error.
      phone.farEnd.notify('check-sync');
      await cycles(phone, 3);
      assert.is(logMatching(phone, /site\.enc: cannot decrypt/).length, 2);
      // A readable file: applied.
      server.put('site.enc', enc(OLD_KEY, cfg({ 'prov.polling.period': '9000' })));
      phone.farEnd.notify('check-sync');
      await cycles(phone, 4);
      assert.ok(logMatching(phone, /prov\.polling\.period: "7000" -> "9000" \(site\.enc\)/).length === 1);
    } finally {
      phone.dispose();
    }
  });
}

test('a reboot with a bad file on the server keeps the cached good configuration', async () => {
  const phone = await phoneAt(server, { settings: withOldKey });
  try {
    server.put('site.enc', enc(OLD_KEY, cfg({ 'prov.polling.period': '9000' })).subarray(0, 100));
    await phone.powerOn();
    await cycles(phone, 2);
    assert.ok(logMatching(phone, /prov\.polling\.period="7000" from files \(site\.enc\)/).length >= 1);
    assert.ok(logMatching(phone, /site\.enc: cannot decrypt \(truncated\)/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('encrypted master file refused (spec: the primary file cannot be encrypted)', async () => {
  server.put('000000000000.cfg', enc(OLD_KEY, masterCfg('site.enc')));
  const phone = await phoneAt(server, { settings: withOldKey });
  try {
    assert.ok(logMatching(phone, /000000000000\.cfg: refused, the master configuration file must not be encrypted/).length === 1);
  } finally {
    phone.dispose();
  }
});

test('key change procedure: new-key files on the server, new key in a plain file, one reboot, new files in force', async () => {
  const phone = await phoneAt(server, { settings: withOldKey });
  try {
    assert.ok(logMatching(phone, /prov\.polling\.period: "86400" -> "7000"/).length === 1);
    // 1. Files encrypted with the new key placed on the server: the phone cannot read them yet.
    server.put('site.enc', enc(NEW_KEY, cfg({ 'prov.polling.period': '18000' })));
    phone.farEnd.notify('check-sync');
    await cycles(phone, 2);
    assert.ok(logMatching(phone, /site\.enc: cannot decrypt \(key-mismatch\)/).length === 1);
    // 2./3. The new key in a plain config file listed in CONFIG_FILES (ahead of the encrypted one).
    server.put('key.cfg', keyCfg(formatEncryptionKey(NEW_KEY)));
    server.put('000000000000.cfg', masterCfg('key.cfg,site.enc'));
    // 4. Provision again.
    phone.farEnd.notify('check-sync');
    await cycles(phone, 3);
    assert.ok(logMatching(phone, /new configuration encryption key "site2027" stored in device settings/).length === 1);
    assert.not.ok(phone.log().join('\n').includes(Buffer.from(NEW_KEY.key).toString('hex')), 'the key itself is never logged');
    // The key is reboot-flagged: the phone reboots once and comes up with the new key.
    await cycles(phone, 4);
    assert.is(phone.lastBootReason(), 'reboot');
    const reboots = logMatching(phone, /\[sim\] reboot requested/);
    assert.is(reboots.length, 1);
    assert.ok(logMatching(phone, /prov\.polling\.period="18000" from files \(site\.enc\)/).length >= 1, 'new file in force after the reboot');
    assert.match(cycleLines(phone)[3], 'provisioned from');
    assert.is(logMatching(phone, /\[sim\] reboot requested/).length, 1, 'no second reboot');
  } finally {
    phone.dispose();
  }
});

test.run();
