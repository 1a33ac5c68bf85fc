/**
 * Off by default: a phone with a broker configured but analytics not enabled
 * opens no connection, sends no byte and queues nothing over 30 virtual days
 * of calls and health periods. device.da.enabled=0 with its .set vetoes
 * feature.lens.enabled (the spec's second example). Switching analytics off
 * closes the connection and erases the queue at once.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MosquittoBroker } from '../servers/mosquitto';
import { ACCOUNTS, MAC, analyticsParameters, answeredCall, bootProvisioned, liveRecordsOf, openMenu, provisioningFolder, realPause, run, runUntil, writeSite } from './analytics-phone';

const test = suite('analytics off');
let broker: MosquittoBroker;

test.before(async () => {
  broker = await MosquittoBroker.start(ACCOUNTS);
});
test.after(async () => {
  await broker?.stop();
});

for (const [label, overrides, days] of [
  ['feature.da.enabled=0 (default)', { 'feature.da.enabled': '0' }, 30],
  ['feature.lens.enabled=1 vetoed by device.da.enabled.set=1, device.da.enabled=0', { 'feature.da.enabled': '0', 'feature.lens.enabled': '1', 'device.da.enabled.set': '1', 'device.da.enabled': '0' }, 3],
] as const) {
  test(`${label}: zero connections and zero bytes at the socket over ${days} virtual days, nothing queued`, async () => {
    const sub = await broker.subscribe('phones/#');
    const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker, overrides)));
    try {
      for (let day = 0; day < days; day++) {
        if (day % 10 === 0) await answeredCall(phone, `sip:20${day}@pbx.local`, 'Someone', 60);
        await phone.advance(24 * 3600 * 1000);
      }
      await realPause(phone, 100);
      assert.equal(phone.devices.socket.counters, { connections: 0, bytesSent: 0, bytesReceived: 0 });
      assert.equal(liveRecordsOf(phone, 'analytics'), []);
      assert.equal(sub.messages, []);
      await openMenu(phone, ['Settings', 'Status']);
      await phone.press('soft1');
      assert.equal(phone.screen().lines.slice(0, 3), ['Enabled: no', 'Services: all', 'Queued: 0']);
      assert.is(phone.faults.length, 0);
    } finally {
      sub.close();
      phone.dispose();
    }
  });
}

test('switched off: the connection closes and the queue is erased at once, nothing more is sent after the reboot', async () => {
  const dir = provisioningFolder(analyticsParameters(broker, { 'feature.lens.enabled': '1', 'feature.da.enabled': '0' }));
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(dir);
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/sdi')));
    assert.is(phone.devices.socket.openConnections(), 1, 'connected (feature.lens.enabled is accepted as the switch)');
    await broker.pause();
    await answeredCall(phone, 'sip:301@pbx.local', 'Someone', 5);
    await run(phone, 5000);
    assert.ok(liveRecordsOf(phone, 'analytics').some((p) => p.startsWith('analytics/q/')), 'the CDR waits on flash');
    await broker.resume();
    writeSite(dir, analyticsParameters(broker, { 'feature.lens.enabled': '0', 'feature.da.enabled': '0' }));
    const before = { ...phone.devices.socket.counters };
    phone.farEnd.notify('check-sync');
    await run(phone, 60000);
    assert.equal(liveRecordsOf(phone, 'analytics'), [], 'queue and pseudonym key erased with the class');
    assert.is(phone.devices.socket.openConnections(), 0);
    assert.is(phone.log().some((l) => /analytics: disabled, connection closed and queue erased/.test(l)), true);
    await run(phone, 3600000, 60000);
    assert.is(phone.devices.socket.counters.connections, before.connections, 'no connection after switching off');
    assert.not.ok(sub.messages.some((m) => m.topic.endsWith('/cdr')), 'the queued CDR never went out');
    assert.is(phone.faults.length, 0);
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('switched off while connected: the connection is closed at once, before any time passes', async () => {
  const dir = provisioningFolder(analyticsParameters(broker, { 'feature.lens.enabled': '1', 'feature.da.enabled': '0' }));
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(dir);
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/sdi')));
    assert.is(phone.devices.socket.openConnections(), 1);
    writeSite(dir, analyticsParameters(broker, { 'feature.lens.enabled': '0', 'feature.da.enabled': '0' }));
    const at = phone.devices.clock.monotonic();
    phone.farEnd.notify('check-sync');
    await realPause(phone, 50);
    assert.is(phone.devices.clock.monotonic(), at, 'no virtual time passed');
    assert.is(phone.devices.socket.openConnections(), 0);
    assert.equal(liveRecordsOf(phone, 'analytics'), []);
  } finally {
    sub.close();
    phone.dispose();
  }
});

test.run();
