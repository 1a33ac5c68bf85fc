/**
 * Analytics against a real mosquitto (TLS, a password per phone, an ACL per
 * MAC): each message kind arrives under <prefix>/<MAC>/<service> as JSON with
 * an id; the CDR's remote party is a pseudonym unless an admin asks for it in
 * clear; a phone can neither publish to nor read another phone's topics.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MosquittoBroker } from '../servers/mosquitto';
import { ACCOUNTS, MAC, OTHER_MAC, PHONE_PASSWORD, analyticsParameters, answeredCall, bootProvisioned, liveRecordsOf, openMenu, provisioningFolder, realPause, run, runUntil, writeSite } from './analytics-phone';

const test = suite('analytics uploads to mosquitto');
let broker: MosquittoBroker;

test.before(async () => {
  broker = await MosquittoBroker.start(ACCOUNTS);
});
test.after(async () => {
  await broker?.stop();
});

test('asset details and the boot event at enable, a CDR per call, health periodically, config names, error lines: each under its own topic', async () => {
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker, { 'deviceAnalytics.note': 'desk 4.12' })));
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/sdi')));
    const sdi = sub.json().find((m) => m.service === 'sdi');
    assert.is(sdi.mac, MAC);
    assert.match(sdi.id, /^[0-9a-f]{16}$/);
    assert.is(sdi.data.macAddress, MAC);
    assert.is(sdi.data.note, 'desk 4.12');
    assert.is(sdi.data.rebootType, 'reboot', 'the phone rebooted for the analytics parameters');
    for (const key of ['manufacturer', 'productFamily', 'powerSource', 'pcsNumber', 'pcsAccountCode', 'regionCode', 'versionInformation', 'hardwareModel',
      'hardwareRevision', 'hardwarePartNumber', 'serialNumber', 'obiNumber', 'offsetGmt', 'softwareRelease', 'uploadTime', 'updaterVersion']) {
      assert.ok(key in sdi.data, `asset field ${key}`);
    }
    await runUntil(phone, () => sub.messages.some((m) => m.topic === `phones/${MAC}/restart`));

    await answeredCall(phone, 'sip:4930123456@pbx.local', 'Alice Example', 42);
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/cdr')));
    const cdr = sub.json().find((m) => m.service === 'cdr');
    assert.is(cdr.data.direction, 'In');
    assert.is(cdr.data.durationSeconds, 42);
    assert.match(cdr.data.remoteParty, /^h:[0-9a-f]{24}$/, 'pseudonymised by default');
    assert.not.match(JSON.stringify(sub.messages), /4930123456|Alice/, 'neither the number nor the name went out');

    await run(phone, 24 * 3600 * 1000, 3600 * 1000);
    await runUntil(phone, () => ['uptimeanalytics', 'hardwareanalytics'].every((s) => sub.messages.some((m) => m.topic.endsWith('/' + s))));
    const uptime = sub.json().find((m) => m.service === 'uptimeanalytics');
    assert.ok(uptime.data.uptimeSeconds >= 24 * 3600 - 60);
    const hw = sub.json().find((m) => m.service === 'hardwareanalytics');
    assert.ok(hw.data.flash[0].freeBlocks > 0);
    assert.ok(hw.data.heapBytes > 100000 && hw.data.heapBytes < hw.data.heapLimitBytes, `QuickJS heap ${hw.data.heapBytes} of ${hw.data.heapLimitBytes}`);
    assert.is(hw.data.heapLimitBytes, hw.data.memoryBudgetBytes, 'the simulator enforces the board budget as the QuickJS limit');

    await openMenu(phone, ['Settings', 'Status']);
    assert.equal(phone.screen().softKeys, ['Analytics', '', '', 'Back'], 'Status > Analytics');
    await phone.press('soft1');
    const screen = phone.screen();
    assert.is(screen.id, 'analytics-status');
    assert.equal(screen.lines.slice(0, 3), ['Enabled: yes', 'Services: all', 'Queued: 0']);
    assert.match(screen.lines[3], /^Last upload: 2026-01-02 /);
    assert.is(screen.lines[4], 'Broker reachable: yes');

    const ids = sub.json().map((m) => m.id);
    assert.is(new Set(ids).size, ids.length, 'every message has its own id');
    assert.ok(sub.messages.every((m) => m.topic.startsWith(`phones/${MAC}/`)));
    assert.is(phone.faults.length, 0, JSON.stringify(phone.faults));
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('remote party in clear when analytics.cdr.remotePartyInClear=1; a service not listed sends nothing', async () => {
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker, { 'analytics.cdr.remotePartyInClear': '1', 'da.supported.services': 'cdr' })));
  try {
    await answeredCall(phone, '2002', 'Bob', 5);
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/cdr')));
    assert.is(sub.json().find((m) => m.service === 'cdr').data.remoteParty, '2002');
    await openMenu(phone, ['Settings', 'Status']);
    await phone.press('soft1');
    assert.equal(phone.screen().lines.slice(0, 2), ['Enabled: yes', 'Services: cdr']);
    await run(phone, 60000);
    assert.equal([...new Set(sub.messages.map((m) => m.topic))], [`phones/${MAC}/cdr`], 'only the listed service');
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('config: the names of changed parameters, never a value, not even of a secret', async () => {
  const dir = provisioningFolder(analyticsParameters(broker));
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(dir);
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/sdi')));
    writeSite(dir, analyticsParameters(broker, { 'deviceAnalytics.note': 'room 7 note', 'obitalk.accountCode': 'acct-code-998877' }));
    phone.farEnd.notify('check-sync');
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/config')), 60000);
    const config = sub.json().find((m) => m.service === 'config');
    assert.equal(config.data.changed, ['deviceAnalytics.note', 'obitalk.accountCode']);
    assert.not.match(JSON.stringify(config), /acct-code-998877|room 7 note/, 'no value in the config message');
    assert.not.match(JSON.stringify(sub.messages), /acct-code-998877/, 'the secret nowhere');
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('a broker whose certificate does not chain to analytics.broker.caCert is refused (TLS), logged, retried; nothing sent', async () => {
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker, { 'analytics.broker.caCert': broker.otherCaPem })));
  try {
    await run(phone, 5 * 60000, 30000);
    await realPause(phone, 100);
    assert.ok(phone.log().some((l) => /\|da\|3\|.*cannot reach the broker .*tls/.test(l)), 'a clear warning');
    assert.ok(phone.devices.socket.counters.connections >= 3, 'retried with backoff');
    assert.equal(sub.messages, []);
    assert.is(phone.faults.length, 0);
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('a wrong password: the broker refuses the CONNECT, the phone says so and keeps the messages', async () => {
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker, { 'analytics.broker.password': 'not-the-password' })));
  try {
    await run(phone, 2 * 60000, 30000);
    await realPause(phone, 100);
    assert.ok(phone.log().some((l) => /\|da\|3\|.*broker refused the connection \((not authorized|bad user name or password)\)/.test(l)), 'a clear warning');
    assert.ok(liveRecordsOf(phone, 'analytics').filter((p) => p.startsWith('analytics/q/')).length >= 2, 'asset details and boot event still queued');
    assert.not.ok(phone.log().some((l) => l.includes('not-the-password')), 'the password is not logged');
  } finally {
    phone.dispose();
  }
});

test('the same image under Node (engine node) uploads the same way', async () => {
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker)), { engine: 'node' });
  try {
    await runUntil(phone, () => ['sdi', 'restart'].every((s) => sub.messages.some((m) => m.topic === `phones/${MAC}/${s}`)));
    assert.is(phone.faults.length, 0);
  } finally {
    sub.close();
    phone.dispose();
  }
});

test('the ACL: a phone cannot publish under another MAC, nor read another phone or its own tree', async () => {
  const reader = await broker.subscribe('phones/#');
  const me = { user: MAC, password: PHONE_PASSWORD };
  broker.publishAs(me, `phones/${OTHER_MAC}/cdr`, '{"forged":true}');
  broker.publishAs(me, `phones/${MAC}/cdr`, '{"own":true}');
  await reader.until((ms) => ms.some((m) => m.payload.includes('own')));
  assert.not.ok(reader.messages.some((m) => m.payload.includes('forged')), 'the forged message was not delivered');
  const snoop = await broker.subscribe(`phones/${OTHER_MAC}/#`, me);
  broker.publishAs(ACCOUNTS[1], `phones/${OTHER_MAC}/cdr`, '{"private":true}');
  await reader.until((ms) => ms.some((m) => m.payload.includes('private')));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(snoop.messages, [], 'phone A reads nothing of phone B');
  assert.is(broker.publishAs({ user: MAC, password: 'wrong' }, `phones/${MAC}/cdr`, '{}') !== 0, true, 'a wrong password is refused');
  reader.close();
  snoop.close();
});

test.run();
