/**
 * Asynchronous HAL calls (line, net) made by the firmware return guest
 * promises that settle inside the guest, in a later entry, in both engines.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { bootFaultyPhone, faultyImage } from './faulty-image';

let server: http.Server;
let base = '';

test.before(async () => {
  await faultyImage();
  server = http.createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => { if (!res.destroyed) res.end('late answer'); }, 300);
    else res.end('hello');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

for (const engine of ['quickjs', 'node'] as const) {
  test(`${engine}: line.dial resolves a guest promise after the key event returned`, async () => {
    const phone = await bootFaultyPhone({ engine });
    try {
      const shown: string[] = [];
      phone.onScreen((s) => shown.push(s.lines[0]));
      await phone.press('6');
      assert.equal(shown, ['dialling', 'dialled call-1'], 'the promise settled in a later entry');
      assert.equal(phone.farEnd.calls(), [{ callId: 'call-1', direction: 'outgoing', remote: '200', state: 'ringing' }]);
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });

  test(`${engine}: net.request over real HTTP resolves with status and body bytes; a refused one rejects inside the guest`, async () => {
    const phone = await bootFaultyPhone({ engine });
    try {
      phone.farEnd.notify('test-url', { url: `${base}/hello` });
      await phone.press('7');
      assert.equal(phone.screen().lines, ['http 200 5 bytes']);
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((r) => closed.close(r));
      phone.farEnd.notify('test-url', { url: `http://127.0.0.1:${port}/` });
      await phone.press('7');
      assert.match(phone.screen().lines[0], /^http failed refused: /);
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });

  test(`${engine}: an answer that arrives after a reboot does not reach the rebooted firmware`, async () => {
    const phone = await bootFaultyPhone({ engine });
    try {
      phone.farEnd.notify('test-url', { url: `${base}/slow` });
      await phone.press('0');
      const shown: string[] = [];
      phone.onScreen((s) => shown.push(s.lines[0]));
      // Start the slow request and reboot before it answers (key events straight to the keypad: no settling between).
      phone.devices.keys.send('7', true);
      assert.is(phone.screen().lines[0], 'requesting');
      phone.devices.keys.send('9', true);
      await new Promise((r) => setTimeout(r, 500));
      await phone.settle();
      assert.is(phone.lastBootReason(), 'reboot');
      assert.equal(phone.screen().lines, ['booted', 'reason reboot #2']);
      assert.not.ok(shown.some((l) => l?.startsWith('http')), `screens seen: ${shown.join(' / ')}`);
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });
}

test.run();
