/**
 * What the configuration service holds on every idle phone, in QuickJS: a
 * blank desk-500's service (parameter registry, values in force) must stay
 * small, as phones per GiB of host memory count it once per phone. It held
 * 117 KiB when the registry copied every declaration and kept two maps and a
 * lower-case name per parameter, and the values in force were a map kept
 * twice (docs/performance.md, "QuickJS heap per idle phone").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFirmware } from '../../build/bundle';
import { createPhone } from '../../sim/phone';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-heap-'));
const image = path.join(dir, 'firmware.js');
const KIB = 1024;

test('a blank phone\'s config service holds under 24 KiB of QuickJS heap', async () => {
  await buildFirmware(image, path.join(__dirname, 'fixtures', 'config-heap-entry.ts'));
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', sharedCode: true, image });
  try {
    await phone.boot();
    const line = phone.log().find((l) => l.startsWith('config heap: '));
    const m = /^config heap: (\d+) bytes; (\d+) parameters; reg\.1\.server\.1\.transport=DNSnaptr$/.exec(line ?? '');
    assert.ok(m, line ?? phone.log().slice(-20).join('\n'));
    assert.ok(Number(m![2]) > 200, `${m![2]} parameters registered`);
    assert.ok(Number(m![1]) < 24 * KIB, `${m![1]} bytes held`);
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test.run();
