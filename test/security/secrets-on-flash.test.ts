/**
 * No secret in clear on flash (docs/security.md, "Secrets on flash"). A
 * QuickJS phone is provisioned with every secret parameter (the declared
 * list) set to a unique canary, with a provisioning password and a config
 * encryption key staged in its device settings; a new encryption key from
 * configuration makes it reboot (reboot marker), after which a file
 * encrypted with that key still decrypts; the device parameters among them
 * (`.set=1`) land in device settings. Then the raw dump of every
 * partition holds none of the canaries, in UTF-8 or UTF-16, nor any stored
 * secret device setting (password hashes included); `phone inspect` finds
 * none; and the phone's log and its uploads carry none.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encryptConfigFile, formatEncryptionKey, type ConfigEncryptionKey } from '../../firmware/provisioning/config-encryption';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import { formatInspection, inspectImage } from '../../sim/cli/commands/inspect';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualFlash } from '../../sim/devices/flash';
import { findRawStrings } from '../../sim/forensics/scan';
import { cfg, cycleLines, masterCfg } from '../provisioning/provisioning-fixture';
import { advanceUntil, bootPhone } from '../helpers/sim';
import { secretInventory } from './secret-inventory';

const hostCrypto = new NodeCryptoEngine();
const inventory = secretInventory();

/** A unique, recognisable value within the parameter's length limit. */
function canary(index: number, name: string, maxLength?: number): string {
  const long = `CANARY${index}-${name.split('.').pop()}-7f3a`;
  return maxLength !== undefined && long.length > maxLength ? `CANARY${index}-7f3a` : long;
}

function encryptionKey(description: string, fill: number): ConfigEncryptionKey {
  const key = new Uint8Array(16);
  for (let i = 0; i < key.length; i++) key[i] = (fill + 37 * i) & 0xff;
  return { description, key };
}

/** The strings a key leaves: the whole setting text and the key itself in hex. */
function keyNeedles(key: ConfigEncryptionKey): string[] {
  const hex = Buffer.from(key.key).toString('hex');
  return [formatEncryptionKey(key), hex, hex.toUpperCase()];
}

const STAGED_KEY = encryptionKey('CANARY-staged-7f3a', 0x11);
const CONFIGURED_KEY = encryptionKey('CANARY-configured-7f3a', 0x5a);
const KEY_PARAMETER = 'device.sec.configEncryption.key';

/** Every secret parameter with its canary; the encryption key parameter gets a real key whose description is a canary. */
const parameterValues = new Map<string, string>();
inventory.parameters.forEach((p, i) => parameterValues.set(p.name, p.name === KEY_PARAMETER ? formatEncryptionKey(CONFIGURED_KEY) : canary(i, p.name, p.maxLength)));
const stagedSettings: Record<string, string> = { 'device.prov.user': 'provisioner', 'device.prov.timeoutMs': '1500' };
inventory.deviceSettings.forEach((d, i) => {
  if (d.name === KEY_PARAMETER) stagedSettings[d.name] = formatEncryptionKey(STAGED_KEY);
  else if (!/^auth\./.test(d.name)) stagedSettings[d.name] = canary(100 + i, d.name);
  // auth.* hold password hashes the firmware computes: set through device.auth.localAdminPassword below.
});

const needles = [
  ...[...parameterValues].filter(([n]) => n !== KEY_PARAMETER).map(([, v]) => v),
  ...Object.entries(stagedSettings).filter(([n]) => inventory.deviceSettings.some((d) => d.name === n) && n !== KEY_PARAMETER).map(([, v]) => v),
  ...keyNeedles(STAGED_KEY),
  ...keyNeedles(CONFIGURED_KEY),
];

function provisioningFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-prov-'));
  const siteValues: Record<string, string> = { 'device.set': '1', 'device.auth.localAdminPassword.set': '1' };
  for (const [name, value] of parameterValues) {
    if (name === KEY_PARAMETER) continue;
    siteValues[name] = value;
    // Device parameters (device.prov.password, device.auth.local*Password) apply, and land in device settings, only with their .set.
    if (name.startsWith('device.')) siteValues[`${name}.set`] = '1';
  }
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), masterCfg('key.cfg,site.cfg,sealed.enc'));
  fs.writeFileSync(path.join(dir, 'key.cfg'), cfg({ 'device.set': '1', [KEY_PARAMETER]: parameterValues.get(KEY_PARAMETER)!, [`${KEY_PARAMETER}.set`]: '1' }));
  fs.writeFileSync(path.join(dir, 'site.cfg'), cfg(siteValues));
  // Readable only with the key that configuration brings: proves the key in force survives the reboot.
  fs.writeFileSync(path.join(dir, 'sealed.enc'), encryptConfigFile(hostCrypto, CONFIGURED_KEY, Buffer.from(cfg({ 'prov.polling.period': '4321' }))));
  return dir;
}

/** Every file below `dir` (what the phone uploaded next to the configuration). */
function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('a phone configured with every secret keeps none of them in clear on flash, and still works after its reboot', async () => {
  assert.ok(inventory.parameters.length >= 6 && inventory.deviceSettings.length >= 4, 'the declared secrets are found');
  const dir = provisioningFolder();
  const phone = await bootPhone({ engine: 'quickjs', provisioningDir: dir, deviceSettings: stagedSettings });
  try {
    // The configured key differs from the staged one and needs a reboot; after it the encrypted file decrypts.
    await advanceUntil(phone, 'the reboot for the new key and a cycle after it', () => phone.lastBootReason() === 'reboot' && cycleLines(phone).length >= 2);
    const log = phone.log();
    assert.ok(log.some((l) => /new configuration encryption key "CANARY-configured-7f3a" stored in device settings/.test(l)), 'the configured key was adopted');
    assert.is(log.filter((l) => /\[sim\] reboot requested/.test(l)).length, 1, 'one reboot');
    assert.ok(log.some((l) => /sealed\.enc: decrypted/.test(l)), 'the encrypted file decrypts with the key kept sealed across the reboot');
    assert.ok(log.some((l) => /prov\.polling\.period="4321" from files \(sealed\.enc\)/.test(l)), log.filter((l) => /polling/.test(l)).join('\n'));
    assert.ok(log.some((l) => /admin password set from configuration/.test(l)), 'the configured admin password applied');
    for (const [name, value] of parameterValues) {
      if (name === KEY_PARAMETER) continue;
      assert.ok(log.some((l) => l.includes(`${name}="<${value.length} characters hidden>" from files (site.cfg)`)), `${name} is in force after the reboot (logged by length)`);
    }

    // The raw dump of every partition: no canary, in any encoding.
    const dump = phone.dumpFlash();
    const hits = findRawStrings(dump, needles, phone.profile.flash);
    assert.equal(hits.map((h) => `${h.needle} (${h.encoding}) in ${h.partition} block ${h.block}`), [], 'no secret in clear on flash');

    // The stored secret device settings themselves (password hashes too) are not on flash in clear.
    const copy = VirtualFlash.fromImage(phone.profile.flash, dump);
    const settings = new DeviceSettings(FileStore.mount(copy.open('nvram'), phone.devices.crypto), (m) => assert.unreachable(m));
    const stored = inventory.deviceSettings.map((d) => settings.get(d.name)).filter((v): v is string => !!v);
    assert.ok(stored.some((v) => v.startsWith('pbkdf2-sha256$')), 'the admin password hash is among the stored secrets');
    assert.is(settings.get(KEY_PARAMETER), formatEncryptionKey(CONFIGURED_KEY));
    // Device parameters from configuration: the provisioning password and the user password (as a hash) are in
    // device settings, with the fingerprints of the values applied (applied.*); none of them in clear either.
    assert.is(settings.get('device.prov.password'), parameterValues.get('device.prov.password'));
    assert.ok(settings.get('auth.user')?.startsWith('pbkdf2-sha256$'), 'the configured user password is stored, as a hash');
    const fingerprints = settings.names().filter((n) => n.startsWith('applied.')).map((n) => settings.get(n)!);
    assert.ok(fingerprints.length >= 2, settings.names().join(', '));
    stored.push(...fingerprints);
    assert.equal(findRawStrings(dump, stored.flatMap((v) => [v, ...v.split('$').filter((part) => part.length >= 16)]), phone.profile.flash), []);

    // `phone inspect` on the dump finds none either, and shows none.
    const inspection = inspectImage(dump, phone.profile, needles);
    assert.equal(inspection.hits, []);
    const text = formatInspection(inspection);
    for (const n of needles) assert.not.ok(text.includes(n) && !text.includes(`"${n}"`), `inspect output shows ${n} only as a needle searched for`);

    // Nor do the log and what the phone uploaded.
    for (const n of needles) assert.not.ok(log.some((l) => l.includes(n)), `the log carries ${n}`);
    const uploaded = filesBelow(dir).filter((f) => !/\.(cfg|enc)$/.test(f) || /overrides/.test(f));
    for (const f of uploaded) {
      const content = fs.readFileSync(f);
      for (const n of needles) assert.not.ok(content.includes(n), `${path.relative(dir, f)} carries ${n}`);
    }
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
