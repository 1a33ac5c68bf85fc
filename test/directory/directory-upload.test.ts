/**
 * The personal directory file between the phone and the provisioning folder
 * (the booted image): an edit uploads it, encrypted when
 * sec.encryption.upload.dir=1, not at all when feature.uploadDir.enabled=0;
 * an encrypted personal file from the server is decrypted and adopted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { encryptConfigFile, formatEncryptionKey, parseEncryptionKey } from '../../firmware/provisioning/config-encryption';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import type { Phone } from '../../sim/phone';
import { bootInProcess } from '../../sim/host/in-process-firmware';
import { bootPhone } from '../helpers/sim';
import { directoryXml } from './directory-fixture';

const MAC = '0004f2a1b2c3';
const KEY = parseEncryptionKey('Crypt=1;KeyDesc=lab;Key=11111111222222223333333344444444;');
const PERSONAL = `${MAC}-directory.xml`;

function folder(site: string, files: Record<string, Buffer | string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dir-up-'));
  fs.writeFileSync(path.join(dir, '000000000000.cfg'), '<APPLICATION CONFIG_FILES="site.cfg"/>\n');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<polycomConfig ${site}/>\n`);
  for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
  return dir;
}

async function withFolder(dir: string, body: (phone: Phone) => Promise<void>): Promise<void> {
  const phone = await bootPhone({ board: 'desk-500', engine: 'quickjs', provisioningDir: dir, deviceSettings: { 'device.sec.configEncryption.key': formatEncryptionKey(KEY) } });
  try {
    await phone.advance(1000);
    await phone.settle();
    await body(phone);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Contacts > Local Directory > Add +, number only, Save; then let the debounced upload go. */
async function addNumber(phone: Phone, digits: string): Promise<void> {
  await phone.press('home');
  if (phone.screen().id !== 'menu') await phone.press('home');
  for (const label of ['Contacts', 'Local Directory']) {
    const line = phone.screen().lines.find((l) => l.includes(label))!;
    await phone.press(line.split('.')[0] as KeyName);
  }
  await phone.press('soft2');
  await phone.pressAll(['down', 'down', ...(digits.split('') as KeyName[]), 'soft1']);
  assert.is(phone.screen().id, 'directory');
  await phone.advance(3000);
  await phone.settle();
}

test('sec.encryption.upload.dir=1: the uploaded personal file is encrypted with the configured key', async () => {
  const dir = folder('sec.encryption.upload.dir="1"');
  await withFolder(dir, async (phone) => {
    await addNumber(phone, '4242');
    const sealed = fs.readFileSync(path.join(dir, PERSONAL));
    assert.match(sealed.toString('latin1'), /^Crypt=1;KeyDesc=lab;/);
    assert.not.ok(sealed.includes(Buffer.from('4242')), 'the number is not readable on the server');
  });
});

test('feature.uploadDir.enabled=0: an edit uploads nothing', async () => {
  const dir = folder('feature.uploadDir.enabled="0"');
  await withFolder(dir, async (phone) => {
    await addNumber(phone, '4243');
    assert.not.ok(fs.existsSync(path.join(dir, PERSONAL)));
  });
});

test('an encrypted personal file from the server is decrypted and adopted', async () => {
  const plain = Buffer.from(directoryXml([{ fn: 'Secret', ln: 'Agent', ct: '007' }]));
  const sealed = Buffer.from(encryptConfigFile(new NodeCryptoEngine(), KEY, new Uint8Array(plain)));
  const dir = folder('', { [PERSONAL]: sealed });
  await withFolder(dir, async (phone) => {
    await phone.press('home');
    if (phone.screen().id !== 'menu') await phone.press('home');
    for (const label of ['Contacts', 'Local Directory']) {
      const line = phone.screen().lines.find((l) => l.includes(label))!;
      await phone.press(line.split('.')[0] as KeyName);
    }
    assert.equal(phone.screen().lines.slice(1), ['Secret Agent  007']);
  });
});

test('wiring: user:changed switches to <user>-directory.xml; prov:directory files merge; prov:directory payloads checked', () => {
  const phone = bootInProcess({ board: 'desk-500' });
  const { kernel, directory } = phone.booted;
  // Downloaded files are merged in an event of their own (next timer tick).
  const deliver = (payload: unknown) => { kernel.bus.emit('prov:directory', payload); phone.devices.clock.advance(0); };
  deliver({ name: '000000000000-directory.xml', text: directoryXml([{ fn: 'Global', ct: '100' }]) });
  deliver({ name: 'nonsense' });
  assert.ok(phone.log().some((l) => /prov:directory without name and text ignored/.test(l)));
  assert.is(directory.service.lookup('100')?.c.fn, 'Global');
  kernel.bus.emit('user:changed', { user: 'alice', reason: 'test' });
  assert.is(directory.service.personalFileName(), 'alice-directory.xml');
  deliver({ name: 'alice-directory.xml', text: directoryXml([{ fn: 'Alice', ln: 'Own', ct: '200', ar: '1' }]) });
  assert.is(directory.service.lookup('200')?.c.fn, 'Alice');
  assert.equal(directory.service.incomingCallPolicy({ address: 'sip:200@pbx.local', name: '' }), { action: 'reject', displayName: 'Alice Own' });
  kernel.bus.emit('user:changed', { user: null, reason: 'logout' });
  assert.is(directory.service.lookup('200'), undefined);
});

test.run();
