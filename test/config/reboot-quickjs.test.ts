/**
 * In QuickJS, over the simulator's power device: a provisioning cycle that
 * changes a reboot-flagged parameter reboots the phone once (hal.power.reboot);
 * the boot after it, and later boots with the same files, do not reboot again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFirmware } from '../../build/bundle';
import { createPhone } from '../../sim/phone';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-reboot-'));
const image = path.join(dir, 'firmware.js');

test('reboot once after the cycle that changed sec.pwd.length.admin, not again', async () => {
  await buildFirmware(image, path.join(__dirname, 'fixtures', 'provisioning-cycle-entry.ts'));
  const phone = await createPhone({ board: 'desk-99', engine: 'quickjs', image });
  try {
    await phone.boot();
    const rebootLines = () => phone.log().filter((l) => /\|cfg\|2\|\d+\|configuration change needs a reboot: sec\.pwd\.length\.admin$/.test(l));
    assert.is(rebootLines().length, 1, phone.log().join('\n'));
    assert.is(phone.lastBootReason(), 'reboot');
    assert.is(phone.log().filter((l) => l.startsWith('[sim] reboot requested')).length, 1);
    assert.ok(phone.log().some((l) => l.endsWith('|sec.pwd.length.admin="8" from files (site.cfg)')), 'the second boot runs with the new value');
    assert.is(phone.state, 'running');
    assert.equal(phone.faults, []);
    await phone.reboot('test: later boot');
    await phone.advance(60_000);
    assert.is(rebootLines().length, 1, 'no further reboot for the same files');
    assert.is(phone.log().filter((l) => l.startsWith('[sim] reboot requested')).length, 1);
    assert.is(phone.screen().id, 'idle');
  } finally {
    phone.dispose();
  }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test.run();
