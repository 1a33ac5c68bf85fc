/**
 * `phone sim --phones 2` in terminal mode: commands act on the current
 * phone, `phone B` switches, `phones` lists them; A dials B's extension, B
 * answers, both show Connected; quit prints every phone's final screen.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { phoneSim } from './phone-sim-process';

test('phone A calls B by extension; "phone B" switches; B answers; quit prints both screens', async () => {
  const r = await phoneSim(['--phones', '2', '--quiet'], ['press 1 0 0 2 soft1', 'phone B', 'screen', 'press soft1', 'phones', 'phone A', 'screen', 'phone Z', 'quit']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /2 desk-500 phones on one SIP network: A = 1001, B = 1002/);
  const screens = r.stdout.split('\n').filter((l) => /^[AB]\| ── screen/.test(l));
  assert.match(screens[0], /^B\| ── screen incoming/, r.stdout);
  assert.match(screens[1], /^A\| ── screen call · Connected/, r.stdout);
  assert.match(r.stdout, /\* B 1002 running \[call\]/);
  assert.match(r.stderr, /no phone "Z" \(phones: A, B\)/);
  assert.ok(screens.some((l) => l.startsWith('B| ── screen call · Connected')), 'quit prints B\'s final screen too');
});

test.run();
