/**
 * `phone run`'s board host boots from the A/B slots as the simulator does:
 * with a slot installed on trial in the updater partition it runs that
 * image (the real firmware built as 0.99.0, its resource pack carried in the
 * update file), which marks itself good at idle and has its font glyphs. The simulator's flash and devices stand in for MTD, fbdev and evdev
 * (test/board/board-host.test.ts has the same bench).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { loadBoardFile } from '../../hal/linux/board-file';
import { bootBoard } from '../../hal/linux/board-host';
import { readBootRecord } from '../../firmware/updater/boot-record';
import { installToInactiveSlot } from '../../firmware/updater/slot-installer';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { VirtualDisplay } from '../../sim/devices/display';
import { VirtualKeys } from '../../sim/devices/keys';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { factoryFlash, imageUpdateFile, newerRealBundle } from './update-fixture';
import { closedPort } from '../helpers/closed-port';

test('the board host boots the slot on trial and the firmware marks it good at idle', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'board-slots-'));
  const flash = factoryFlash();
  installToInactiveSlot(flash.open('updater'), new NodeCryptoEngine(), imageUpdateFile(await newerRealBundle(), '0.99.0'), '0.99.0');
  fs.mkdirSync(path.join(root, 'net', 'eth0'), { recursive: true });
  fs.writeFileSync(path.join(root, 'net', 'eth0', 'operstate'), 'up\n');
  fs.writeFileSync(path.join(root, 'boot_id'), 'boot-1\n');
  const shipped = loadBoardFile(undefined, 'desk-500');
  const profile = boardProfile('desk-500');
  const board = await bootBoard({
    boardFile: {
      ...shipped, stateDir: path.join(root, 'state'), keystore: { dir: path.join(root, 'state', 'keys') }, usb: undefined, watchdog: undefined, serial: undefined,
      leds: {}, line: { baresip: { host: '127.0.0.1', port: await closedPort() } }, power: { rebootCommand: [] },
    },
    image: DEFAULT_IMAGE, engine: 'node',
    devices: { flash, display: new VirtualDisplay(profile.display.width, profile.display.height, profile.display.format), keys: new VirtualKeys(profile.keys) },
    paths: { sysClassNet: path.join(root, 'net'), bootIdFile: path.join(root, 'boot_id') },
  });
  try {
    const deadline = Date.now() + 20000;
    while (!board.log().some((l) => /slot A \(0\.99\.0\) reached idle: marked good/.test(l))) {
      if (Date.now() > deadline) throw new Error(`not marked good:\n${board.log().slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = board.log().join('\n');
    assert.match(log, /\[board\] boot loader: booting slot A \(0\.99\.0, trial\)/);
    assert.match(log, /boot: firmware 0\.99\.0 on DESK500/);
    assert.not.match(log, /only the console font's characters can be drawn/, 'the slot\'s resource pack serves the font');
    assert.is(readBootRecord(flash.open('updater'))!.slots.A.state, 'good');
  } finally {
    await board.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
