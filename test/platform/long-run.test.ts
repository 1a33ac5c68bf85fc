/**
 * No leaked handles: a phone run for a long time (keys, timers, async line and
 * net calls, faults, reboots, power cuts) disposes without the QuickJS WASM
 * module aborting (a single leaked guest handle makes runtime.dispose() abort),
 * and the process can create another phone afterwards.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { KeyName } from '../../hal/contract';
import { bootPhone } from '../helpers/sim';
import { bootFaultyPhone, faultyImage } from './faulty-image';

let server: http.Server;
let base = '';

test.before(async () => {
  await faultyImage();
  server = http.createServer((_req, res) => res.end('pong'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('the real image: hundreds of key presses, calls, timers, reboots and power cuts, then a clean dispose', async () => {
  const phone = await bootPhone({ board: 'desk-500' });
  const menuWalk: KeyName[] = ['soft4', '1', 'down', 'down', 'up', 'select', 'back', 'back', 'back', 'home'];
  const bootMemory = phone.memoryUsage();
  let memoryAfterWarmup = 0;
  try {
    for (let round = 0; round < 40; round++) {
      await phone.pressAll(menuWalk);
      const callId = phone.farEnd.ring(`sip:${round}@pbx.local`, `Caller ${round}`);
      await phone.advance(15_000);
      phone.farEnd.hangup(callId);
      await phone.advance(60_000);
      if (round === 5) memoryAfterWarmup = phone.memoryUsage();
      if (round % 10 === 9) {
        phone.cutPower();
        await phone.powerOn();
        assert.is(phone.lastBootReason(), 'power-cut');
      }
    }
    assert.is(phone.state, 'running');
    assert.is(phone.screen().id, 'idle');
    assert.equal(phone.faults, []);
    // Guest memory does not creep up with use.
    assert.ok(phone.memoryUsage() < Math.max(bootMemory, memoryAfterWarmup) * 1.5, `boot ${bootMemory}, now ${phone.memoryUsage()}`);
  } finally {
    assert.not.throws(() => phone.dispose());
  }
  assert.is(phone.state, 'off');
  assert.not.throws(() => phone.dispose(), 'disposing twice is harmless');
  const next = await bootPhone({ board: 'desk-99' });
  try {
    assert.is(next.screen().id, 'idle');
  } finally {
    next.dispose();
  }
});

test('the faulty image: async calls, timers, faults and firmware-requested reboots, then a clean dispose', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    for (let round = 0; round < 25; round++) {
      phone.farEnd.notify('test-url', { url: `${base}/ping` });
      await phone.pressAll(['6', '7', '8']);
      assert.equal(phone.screen().lines, ['http 200 4 bytes'], `round ${round}`);
      await phone.advance(1000);
      await phone.press((['1', '2', '3', '4', '5'] as const)[round % 5]);
      if (round % 5 === 4) {
        await phone.press('9');
        assert.is(phone.lastBootReason(), 'reboot');
      }
      // A request still in flight when the phone reboots must not leak either.
      phone.devices.keys.send('7', true);
    }
    await new Promise((r) => setTimeout(r, 50));
    await phone.settle();
    assert.is(phone.state, 'running');
    assert.is(phone.devices.power.bootCount(), 6);
    assert.equal([...new Set(phone.faults.map((f) => f.kind))].sort(), ['cpu-budget', 'firmware-exception', 'memory-budget', 'stack-budget']);
  } finally {
    assert.not.throws(() => phone.dispose());
  }
  const next = await bootFaultyPhone({ board: 'desk-99' });
  try {
    await next.press('0');
    assert.equal(next.screen().lines, ['alive']);
  } finally {
    next.dispose();
  }
});

test.run();
