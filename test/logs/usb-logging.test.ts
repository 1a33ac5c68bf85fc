/**
 * USB logging (feature.usbLogging.enabled) as the booted firmware does it,
 * with a host folder playing the drive: copies when a log reaches its size
 * limit and every log.render.file.upload.period seconds; nothing when the
 * feature is off; a missing or full drive logged, never fatal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAC, bootLogPhone, logLines, tempDir } from './log-phone';

const SITE = { 'feature.usbLogging.enabled': '1', 'log.render.file.size': '4', 'log.render.file.upload.period': '600' };

test('size limit reached: app and boot logs copied to the drive, equal to the phone\'s logs', async () => {
  const usb = tempDir('logs-usb-');
  const p = await bootLogPhone({ site: SITE, usbDir: usb });
  assert.equal(fs.readdirSync(usb), [], 'nothing before a trigger');
  logLines(p, 40);
  await p.advance(5000);
  assert.equal(fs.readdirSync(usb).sort(), [`${MAC}-app.log`, `${MAC}-boot.log`]);
  const copied = fs.readFileSync(path.join(usb, `${MAC}-app.log`), 'utf8');
  assert.ok(copied.length > 4096 && p.booted.logs.files.app.text().startsWith(copied), 'the copy is the app log as it was at the rotation');
  assert.match(fs.readFileSync(path.join(usb, `${MAC}-boot.log`), 'utf8'), /\|sys\|2\|0\|boot: firmware/);
});

test('periodic copy: every upload period, even without a rotation', async () => {
  const usb = tempDir('logs-usb-');
  const p = await bootLogPhone({ site: SITE, usbDir: usb });
  logLines(p, 3, 60, 'calls', 'quiet');
  await p.advance(599_000);
  assert.equal(fs.readdirSync(usb), []);
  await p.advance(2_000);
  assert.is(fs.readFileSync(path.join(usb, `${MAC}-app.log`), 'utf8').split('\n').filter((l) => l.includes('|quiet ')).length, 3);
  fs.rmSync(path.join(usb, `${MAC}-app.log`));
  await p.advance(600_000);
  assert.ok(fs.existsSync(path.join(usb, `${MAC}-app.log`)), 'copied again one period later');
});

test('feature.usbLogging.enabled=0 (default): nothing is written to the drive', async () => {
  const usb = tempDir('logs-usb-');
  const p = await bootLogPhone({ site: { 'log.render.file.size': '4', 'log.render.file.upload.period': '600' }, usbDir: usb });
  logLines(p, 60);
  await p.advance(1_300_000);
  assert.equal(fs.readdirSync(usb), []);
});

test('no drive: a warning, once; the phone goes on logging and copies when a drive appears', async () => {
  const usb = path.join(tempDir('logs-usb-'), 'stick');
  const p = await bootLogPhone({ site: SITE, usbDir: usb });
  logLines(p, 100);
  await p.advance(5000);
  const warnings = p.log().filter((l) => /\|logs\|3\|\d+\|USB logging: no USB drive present/.test(l));
  assert.is(warnings.length, 1, 'one warning for several size-limit triggers');
  assert.ok(p.booted.logs.files.app.generations().length > 2, 'rotation went on');
  fs.mkdirSync(usb);
  logLines(p, 40);
  await p.advance(5000);
  assert.ok(fs.existsSync(path.join(usb, `${MAC}-app.log`)), 'copied once the drive is there');
});

test('full drive: an error line, the phone keeps running and logging', async () => {
  const usb = tempDir('logs-usb-');
  fs.writeFileSync(path.join(usb, 'holiday.jpg'), Buffer.alloc(1000));
  const p = await bootLogPhone({ site: SITE, usbDir: usb, usbCapacity: 2000 });
  logLines(p, 40);
  await p.advance(5000);
  assert.ok(p.log().some((l) => /\|logs\|4\|\d+\|USB logging: 0004f2a1b2c3-app\.log not copied: the drive is full/.test(l)));
  logLines(p, 5, 60, 'calls', 'still');
  await p.advance(5000);
  assert.ok(p.booted.logs.files.app.text().includes('|still 4'));
});

test.run();
