/**
 * Strings from the line are bounded at every simulator entry that rings the
 * phone (docs/logging.md, "Strings from the line"): `phone sim` stdin `ring`,
 * the scenario `ring`/`missedCall` steps and the browser UI's
 * `POST /api/far-end/ring` cut the caller's address and display name to the
 * limits of hal/contract.ts and say so. The baresip adapter's cut is in
 * test/linux/baresip-protocol.test.ts, the firmware's own in
 * test/calls/long-caller-id.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PARTY_ADDRESS_MAX, PARTY_NAME_MAX } from '../../hal/contract';
import { runTerminalCommand } from '../../sim/cli/terminal';
import type { Phone } from '../../sim/phone';
import type { RealtimePacer } from '../../sim/realtime-pacer';
import { ringBounded } from '../../sim/scenario/steps/ring-bounded';
import { ROUTES } from '../../sim/web/routes';

/** Just what the entries touch of a phone: the far end's ring, settle, the serial log. */
function fakePhone() {
  const rings: { from: string; name: string }[] = [];
  const serial: string[] = [];
  const phone = {
    state: 'running',
    farEnd: { ring: (from: string, name = '') => { rings.push({ from, name }); return `call-${rings.length}`; }, calls: () => [] },
    settle: async () => {},
    devices: { serial: { write: (l: string) => serial.push(l) } },
  } as unknown as Phone;
  return { phone, rings, serial };
}
const pacer = { run: <T>(fn: () => Promise<T>) => fn() } as unknown as RealtimePacer;

const LONG_NUMBER = '4'.repeat(300_000);
const LONG_NAME = 'N'.repeat(300_000);

test('phone sim stdin: ring NUMBER NAME cuts both and prints the cut', async () => {
  const { phone, rings } = fakePhone();
  const printed: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { printed.push(a.join(' ')); };
  try {
    await runTerminalCommand(`ring ${LONG_NUMBER} ${LONG_NAME}`, { phone, pacer, quit: () => {} });
  } finally {
    console.log = log;
  }
  assert.equal(rings.map((r) => [r.from.length, r.name.length]), [[PARTY_ADDRESS_MAX, PARTY_NAME_MAX]]);
  assert.ok(printed.includes('phone sim: ring: caller address of 300000 characters cut to 256'), printed.join('\n').slice(0, 500));
  assert.ok(printed.includes('phone sim: ring: caller display name of 300000 characters cut to 128'));
});

test('scenario ring step: cut before the far end rings, noted in the summary', () => {
  const { phone, rings } = fakePhone();
  const notes: string[] = [];
  assert.is(ringBounded({ phone, note: (t) => notes.push(t) }, LONG_NUMBER, LONG_NAME), 'call-1');
  assert.equal(rings.map((r) => [r.from.length, r.name.length]), [[PARTY_ADDRESS_MAX, PARTY_NAME_MAX]]);
  assert.equal(notes, ['ring: caller address of 300000 characters cut to 256', 'ring: caller display name of 300000 characters cut to 128']);
  ringBounded({ phone, note: (t) => notes.push(t) }, '+4930123456', 'Alice');
  assert.equal(rings[1], { from: '+4930123456', name: 'Alice' }, 'short values pass unchanged');
  assert.is(notes.length, 2);
});

test('browser UI API: POST /api/far-end/ring cuts from and name to the line limits and notes the cut in the log', async () => {
  const { phone, rings, serial } = fakePhone();
  const body = { from: `sip:${'a'.repeat(5000)}@example.com`, name: 'N'.repeat(5000) };
  await ROUTES['POST /api/far-end/ring']({ phone, pacer, body, query: new URLSearchParams() });
  assert.equal(rings.map((r) => [r.from.length, r.name.length]), [[PARTY_ADDRESS_MAX, PARTY_NAME_MAX]]);
  assert.ok(serial.includes('[sim] far end: caller address of 5016 characters cut to 256'), serial.join('\n').slice(0, 300));
  assert.ok(serial.includes('[sim] far end: caller display name of 5000 characters cut to 128'));
});

test.run();
