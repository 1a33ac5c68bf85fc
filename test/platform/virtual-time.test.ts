/**
 * Virtual time on a running phone: advance(ms) fires the firmware's timers in
 * order, long spans run identically every time, and wall-clock
 * jumps (NTP, manual set) show up at the next clock tick. A panel nobody
 * watches holds its frames: an unseen month draws nothing until it is read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScreenText } from '../../hal/contract';
import type { EngineKind } from '../../sim/phone-api';
import { bootPhone } from '../helpers/sim';

const DAY = 24 * 3600 * 1000;

async function runFor(engine: EngineKind, ms: number): Promise<{ screen: ScreenText; log: string[]; blits: number }> {
  const phone = await bootPhone({ board: 'desk-99', engine });
  try {
    await phone.advance(ms);
    return { screen: phone.screen(), log: phone.log(), blits: phone.devices.display.blits };
  } finally {
    phone.dispose();
  }
}

test('30 days of virtual time give the same result twice (Node engine; its speed is a bench figure, days30)', async () => {
  const a = await runFor('node', 30 * DAY);
  const b = await runFor('node', 30 * DAY);
  assert.is(a.screen.lines[0], 'Saturday, 31 January');
  assert.is(a.screen.status, '09:00');
  assert.ok(a.blits < 20, `nobody watched: the minute frames were held, not drawn (${a.blits} blits)`);
  assert.equal(a.screen, b.screen);
  // Host facts differ between runs: CPU times, and the ports the simulator gave the phone's web server.
  const stable = (l: string) => l.replace(/\(\d+ ms\)/, '').replace(/http \d+, https \d+/, 'http PORT, https PORT');
  assert.equal(a.log.map(stable), b.log.map(stable));
  assert.is(a.blits, b.blits);
});

test('QuickJS and Node agree after 2 days of virtual time, minute by minute', async () => {
  const q = await runFor('quickjs', 2 * DAY + 61_000);
  const n = await runFor('node', 2 * DAY + 61_000);
  assert.is(q.screen.lines[0], 'Saturday, 3 January');
  assert.is(q.screen.status, '09:01');
  assert.equal(q.screen, n.screen);
  assert.is(q.blits, n.blits);
});

test('a wall-clock jump forward and back shows at the next tick; timers keep running on monotonic time', async () => {
  const phone = await bootPhone({ board: 'desk-500' });
  // A watched panel, as on the desk: frames come at their time, not when read.
  const unwatch = phone.onScreen(() => {});
  try {
    await phone.advance(30_000);
    phone.devices.clock.setWallTime(Date.UTC(2026, 5, 15, 12, 34, 56));
    assert.is(phone.screen().status, '09:00', 'nothing redraws before the tick');
    await phone.advance(35_000);
    assert.is(phone.screen().status, '13:35', 'local time: Polycom\'s default US daylight-saving rule is in force in June');
    assert.is(phone.screen().lines[0], 'Monday, 15 June');
    await phone.advance(60_000);
    assert.is(phone.screen().status, '13:36', 'ticks re-align to the new minute boundary');
    phone.devices.clock.setWallTime(Date.UTC(2025, 11, 31, 23, 59, 0));
    await phone.advance(61_000);
    assert.is(phone.screen().status, '00:00');
    assert.is(phone.screen().lines[0], 'Thursday, 1 January');
    assert.is(phone.devices.clock.monotonic(), 30_000 + 35_000 + 60_000 + 61_000);
    assert.equal(phone.faults, []);
  } finally {
    unwatch();
    phone.dispose();
  }
});

test.run();
