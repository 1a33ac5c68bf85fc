/**
 * An A/B update carries the image's resource pack (the font's glyphs) with its
 * bundle: the simulator's boot loader serves the slot's pack to the firmware
 * through the HAL `resources` device, so the updated phone draws every script.
 * An update file made without one still boots, and the firmware says why it
 * can draw only the console font.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installToInactiveSlot } from '../../firmware/updater/slot-installer';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { createPhone } from '../../sim/phone';
import { BOARD, factoryFlash, imageUpdateFile, newerRealBundle, updateFile } from './update-fixture';

const NO_GLYPHS = /ui\|4\|0\|the image has no unifont resource: only the console font's characters can be drawn/;

async function bootSlot(file: Buffer): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slot-resources-'));
  const flash = factoryFlash();
  installToInactiveSlot(flash.open('updater'), new NodeCryptoEngine(), file, '0.99.0');
  fs.writeFileSync(path.join(dir, 'flash.img'), flash.image());
  const phone = await createPhone({ board: BOARD, engine: 'quickjs', flashImage: path.join(dir, 'flash.img') });
  try {
    await phone.boot();
    const log = phone.log();
    assert.ok(log.some((l) => /boot loader: booting slot A \(0\.99\.0, trial\)/.test(l)), log.slice(0, 10).join('\n'));
    assert.is(phone.screen().id, 'idle');
    return log;
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a slot installed from an image update file serves its glyphs', async () => {
  const log = await bootSlot(imageUpdateFile(await newerRealBundle(), '0.99.0'));
  assert.not.ok(log.some((l) => NO_GLYPHS.test(l)), 'no missing-font error');
});

test('a slot without a resource pack boots, and the firmware logs that it has no glyphs', async () => {
  const log = await bootSlot(updateFile({ version: '0.99.0', bundle: fs.readFileSync(await newerRealBundle()) }));
  assert.ok(log.some((l) => NO_GLYPHS.test(l)), log.filter((l) => l.includes('|ui|')).join('\n'));
});

test.run();
