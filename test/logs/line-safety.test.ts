/**
 * Log lines are safe to read (firmware/kernel/log-line-safety.ts,
 * docs/logging.md "Lines"): control characters and bidi overrides from
 * outside are escaped, long values cut with their total length, in every
 * line, by the logger itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Logger } from '../../firmware/kernel/logger';
import { boundLogText, LOG_TEXT_MAX, LOG_VALUE_MAX } from '../../firmware/kernel/log-line-safety';
import { boardProfile } from '../../hal/boards';
import { logTextFromFlash } from '../../sim/logs/log-package-from-flash';
import { withPhone } from '../helpers/sim';
import { siteCfg, tempDir } from './log-phone';
import { BUILT_IN_FOLDER } from '../../sim/provisioning/staging';

function logged(text: string): string {
  const lines: string[] = [];
  const logger = new Logger(() => 0);
  logger.addSink((line) => lines.push(line));
  logger.component('calls').info(text);
  return lines[0];
}

const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test('control characters and bidi overrides are escaped; newlines become a space', () => {
  const line = logged('caller "\u001b[31mEvil\u001b[0m" said \u202etxt.exe\u2066 \u0007 and\r\nsecond line\u0085');
  assert.not.ok(RAW_UNSAFE.test(line), JSON.stringify(line));
  assert.ok(line.endsWith('caller "\\x1b[31mEvil\\x1b[0m" said \\u202etxt.exe\\u2066 \\x07 and second line\\x85'), line);
});

test('a long value is cut with its total length shown; so is an over-long text', () => {
  const line = logged(`call from ${'A'.repeat(300_000)} ended`);
  assert.ok(line.length < LOG_VALUE_MAX + 200, `line of ${line.length} chars`);
  assert.ok(line.endsWith(`call from ${'A'.repeat(LOG_VALUE_MAX)}…(300000 chars) ended`), line.slice(-80));
  const words = logged('word '.repeat(10_000));
  assert.ok(words.length < LOG_TEXT_MAX + 200, `line of ${words.length} chars`);
  assert.ok(words.endsWith('…(50000 chars)'), words.slice(-40));
  // A cut never splits a surrogate pair.
  assert.not.ok(/[\ud800-\udbff]…/.test(boundLogText('\u{1F600}'.repeat(400))));
});

test('QuickJS phone: a file value with ESC and U+202E reaches the flash log escaped', async () => {
  const prov = tempDir('line-safety-');
  fs.cpSync(BUILT_IN_FOLDER, prov, { recursive: true });
  const value = `9\u001b[2J\u202egnp.exe${'Z'.repeat(20)}`;
  fs.writeFileSync(path.join(prov, 'site.cfg'), siteCfg({ 'log.render.file.size': value }));
  await withPhone({ provisioningDir: prov }, async (phone) => {
    await phone.advance(130_000);
    const text = logTextFromFlash({ image: phone.dumpFlash(), profile: boardProfile('desk-500'), crypto: phone.devices.crypto }, 'app')
      + logTextFromFlash({ image: phone.dumpFlash(), profile: boardProfile('desk-500'), crypto: phone.devices.crypto }, 'boot');
    const line = text.split('\n').find((l) => l.includes('rejected log.render.file.size'));
    assert.ok(line, 'the rejection is logged');
    assert.not.ok(RAW_UNSAFE.test(text), 'no raw control or bidi character in the flash logs');
    assert.ok(line!.includes('9\\x1b[2J\\u202egnp.exeZZZ'), line!.slice(0, 200));
  });
});

test.run();
