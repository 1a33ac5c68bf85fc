/**
 * The log package made inside QuickJS: a test image (the real firmware plus
 * a timer, test/logs/fixtures/package-to-usb-image.ts) builds it in the
 * guest with fflate and the tar writer within the board's CPU budget and
 * writes it to the simulated USB drive; GNU tar opens it. The packager's
 * compressor (fflate, ~190 KiB of tables) is loaded at the first package,
 * not at boot.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFirmware } from '../../build/bundle';
import { createPhone } from '../../sim/phone';
import { tempDir } from './log-phone';

test('QuickJS builds a package GNU tar extracts, with the boot log of that boot', async () => {
  const dir = tempDir('logs-qjs-');
  const image = path.join(dir, 'firmware.js');
  await buildFirmware(image, path.join(__dirname, 'fixtures', 'package-to-usb-image.ts'));
  const usb = path.join(dir, 'usb');
  fs.mkdirSync(usb);
  const phone = await createPhone({ board: 'desk-99', engine: 'quickjs', image, usbDir: usb });
  try {
    await phone.boot();
    await phone.advance(9_000);
    const beforePackage = phone.memoryUsage();
    await phone.advance(2_000);
    assert.not.ok(phone.log().some((l) => /firmware fault|CPU budget/i.test(l)), phone.log().slice(-5).join('\n'));
    const loaded = phone.memoryUsage() - beforePackage;
    assert.ok(loaded > 100 * 1024, `the first package loads the compressor's tables: the heap grew by ${loaded} bytes`);
  } finally {
    phone.dispose();
  }
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const r = spawnSync('tar', ['-xzf', path.join(usb, 'package.tgz')], { cwd: out, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr || String(r.error));
  assert.equal(fs.readdirSync(out).sort(), [`0004f2d4e5f6-app.log`, `0004f2d4e5f6-boot.log`, `0004f2d4e5f6-cdr.jsonl`, 'README.txt']);
  assert.match(fs.readFileSync(path.join(out, '0004f2d4e5f6-boot.log'), 'utf8'), /\|sys\|2\|0\|boot: firmware .* on DESK99/);
  assert.match(fs.readFileSync(path.join(out, '0004f2d4e5f6-app.log'), 'utf8'), /\|logs\|1\|0\|packaged in the guest\n$/);
});

test.run();
