/**
 * The virtual devices as the firmware sees them on a running phone: reboot
 * over the same flash with boot reason and counter, power cuts, flash image
 * files (and refusing a corrupt one), keys that never reach the flash dump,
 * the USB stick.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone, FlashImageError } from '../../sim/phone';
import { boardProfile } from '../../hal/boards';
import { bootFaultyPhone, faultyImage } from './faulty-image';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-devices-'));
test.before(async () => {
  await faultyImage();
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

const MARKER = new Uint8Array(16).map((_, i) => 0xa0 + i);

test('reboot by the firmware re-boots the image over the same flash, with reason and counter', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    phone.devices.flash.open('updater').program(0, MARKER);
    await phone.press('9');
    assert.is(phone.state, 'running');
    assert.equal(phone.screen().lines, ['booted', 'reason reboot #2']);
    assert.is(phone.devices.power.lastRebootMessage(), 'test reboot');
    assert.equal(Array.from(phone.devices.flash.open('updater').read(0, 16)), Array.from(MARKER), 'same flash');
    assert.ok(phone.log().some((l) => l === '[sim] reboot requested: test reboot'));

    phone.cutPower();
    assert.is(phone.state, 'off');
    assert.is(phone.screen().id, 'off');
    let refused = '';
    await phone.press('0').catch((e: Error) => { refused = e.message; });
    assert.is(refused, 'the phone is off');
    await phone.powerOn();
    assert.equal(phone.screen().lines, ['booted', 'reason power-cut #3']);
  } finally {
    phone.dispose();
  }
});

test('a flash image file round-trips (with keystore and restart counter beside it); a corrupt one is refused', async () => {
  const image = path.join(dir, 'desk99.bin');
  const first = await createPhone({ board: 'desk-99', image: await faultyImage(), flashImage: image });
  await first.boot();
  try {
    await first.press('*');
    assert.equal(first.screen().lines, ['sealed']);
    first.saveFlash();
  } finally {
    first.dispose();
  }
  assert.ok(fs.existsSync(image) && fs.existsSync(image + '.keys.json') && fs.existsSync(image + '.power.json'));

  const second = await createPhone({ board: 'desk-99', image: await faultyImage(), flashImage: image });
  await second.boot();
  try {
    assert.equal(second.screen().lines, ['booted', 'reason power-on #2'], 'the restart counter continues');
    await second.press('#');
    assert.equal(second.screen().lines, ['SECRET-CALLER +15550100'], 'the sealed file reads back with the saved keystore');
  } finally {
    second.dispose();
  }

  fs.writeFileSync(path.join(dir, 'corrupt.bin'), Buffer.alloc(12345, 0xff));
  const err = await createPhone({ board: 'desk-99', image: await faultyImage(), flashImage: path.join(dir, 'corrupt.bin') }).then(() => null, (e: Error) => e);
  assert.ok(err instanceof FlashImageError, String(err));
  const desk99Bytes = boardProfile('desk-99').flash.partitions.reduce((sum, p) => sum + p.size, 0);
  assert.match(err!.message, new RegExp(`refusing flash image .*corrupt\\.bin: flash image is 12345 bytes, but this board's flash is ${desk99Bytes} bytes`));
});

test('sealed personal data: neither the plaintext nor any key is in the flash dump or the saved image', async () => {
  const image = path.join(dir, 'sealed.bin');
  const phone = await createPhone({ board: 'desk-500', image: await faultyImage(), flashImage: image });
  await phone.boot();
  try {
    await phone.press('*');
    const keys = phone.devices.crypto.listKeys();
    assert.ok(keys.length >= 1, 'the store created a class key');
    const dump = phone.dumpFlash();
    assert.is(dump.length, boardProfile('desk-500').flash.partitions.reduce((sum, p) => sum + p.size, 0));
    assert.is(dump.indexOf('SECRET-CALLER'), -1, 'plaintext not in the dump');
    assert.ok(dump.indexOf('calls/placed.xml') >= 0, 'the record is there (its path is metadata)');
    for (const name of keys) {
      const key = phone.devices.crypto.keystore.get(name)!;
      assert.is(key.length, 32);
      assert.is(dump.indexOf(key), -1, `key ${name} not in the dump`);
      assert.is(dump.indexOf(key.toString('hex')), -1);
    }
    phone.saveFlash();
    const saved = fs.readFileSync(image);
    for (const name of keys) assert.is(saved.indexOf(phone.devices.crypto.keystore.get(name)!), -1);
    assert.ok(fs.readFileSync(image + '.keys.json', 'utf8').includes(phone.devices.crypto.keystore.get(keys[0])!.toString('hex')), 'keys live in the side file');
  } finally {
    phone.dispose();
  }
});

test('a power cut during the firmware\'s flash write leaves the phone off with a torn write; it boots again with reason power-cut', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    phone.cutPower(1);
    await phone.press('*');
    assert.is(phone.state, 'off');
    assert.equal(phone.faults, [], 'a power cut is not a firmware fault');
    assert.ok(phone.log().some((l) => l.startsWith('[sim] power cut')));
    await phone.powerOn();
    assert.is(phone.lastBootReason(), 'power-cut');
    assert.equal(phone.screen().lines, ['booted', 'reason power-cut #2']);
    await phone.press('*');
    await phone.press('#');
    assert.equal(phone.screen().lines, ['SECRET-CALLER +15550100'], 'the store works after the torn write');
  } finally {
    phone.dispose();
  }
});

test('the USB stick folder is reachable from the phone; absent without one', async () => {
  const usbDir = fs.mkdtempSync(path.join(dir, 'usb-'));
  const phone = await bootFaultyPhone({ board: 'desk-99', usbDir });
  try {
    assert.ok(phone.devices.usb.present());
    phone.devices.usb.writeFile('boot.log', new Uint8Array(Buffer.from('x')));
    assert.equal(fs.readdirSync(usbDir), ['boot.log']);
  } finally {
    phone.dispose();
  }
  const without = await bootFaultyPhone({ board: 'desk-99' });
  try {
    assert.not.ok(without.devices.usb.present());
  } finally {
    without.dispose();
  }
});

test.run();
