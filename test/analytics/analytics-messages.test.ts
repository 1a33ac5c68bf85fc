/**
 * Payload rules on their own: the CDR's user and remote party are keyed-hash
 * pseudonyms (stable per key, different across keys) unless the party is
 * asked for in clear; the directory name never goes; an emergency location
 * only in that call's CDR; error lines lose numbers, URIs and quoted text.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cdrData, hardwareData, redactLogText } from '../../firmware/analytics/analytics-messages';
import { normalisePem, brokerSettings } from '../../firmware/analytics/analytics-broker';
import { analyticsEnabled } from '../../firmware/analytics/analytics-enablement';
import * as crypto from 'crypto';

const record = {
  user: 'jdoe', remoteParty: { address: 'sip:4930123456@pbx.local', name: 'Alice Example' }, direction: 'Out' as const,
  disconnect: { cause: 'local-hangup' }, startTime: '2026-01-01T09:00:00Z', durationSeconds: 12, protocol: 'SIP' as const,
  callRate: 64, callId: 'c1', remoteTag: 'r', localTag: 'l',
};
const keyed = (key: string) => (id: string) => 'h:' + crypto.createHmac('sha256', key).update(id).digest('hex').slice(0, 24);

test('CDR: pseudonyms by default, stable per key, unlinkable across keys; no name', () => {
  const a = cdrData(record, keyed('k1'), false);
  const b = cdrData(record, keyed('k1'), false);
  const c = cdrData(record, keyed('k2'), false);
  assert.match(a.remoteParty as string, /^h:[0-9a-f]{24}$/);
  assert.is(a.remoteParty, b.remoteParty);
  assert.is.not(a.remoteParty, c.remoteParty);
  assert.match(a.user as string, /^h:/);
  assert.not.match(JSON.stringify(a), /4930123456|Alice|jdoe/);
  assert.is(cdrData(record, keyed('k1'), true).remoteParty, 'sip:4930123456@pbx.local');
  assert.not.match(JSON.stringify(cdrData(record, keyed('k1'), true)), /Alice|jdoe/, 'in clear: the address only');
});

test('CDR: an emergency call carries its location; other calls none', () => {
  assert.equal(cdrData({ ...record, emergency: { location: 'Bldg 2, floor 3' } }, keyed('k'), false).emergency, { location: 'Bldg 2, floor 3' });
  assert.not.ok('emergency' in cdrData(record, keyed('k'), false));
});

test('hardware: the engine heap beside the budget and flash wear; no heap fields where the host cannot tell', () => {
  const stats = { blocks: 8, freeBlocks: 5, files: 3, liveBytes: 900, eraseCounts: [2, 7, 0], programOps: 0, programBytes: 0, eraseOps: 0, gcRuns: 0, wearMoves: 0, index: { entries: 0, refs: 0 } };
  const hw = hardwareData(4 << 20, { memoryUsage: () => ({ heapBytes: 1234567, limitBytes: 4 << 20 }) }, [{ partition: 'fs', stats }]);
  assert.equal(hw, {
    memoryBudgetBytes: 4 << 20, heapBytes: 1234567, heapLimitBytes: 4 << 20,
    flash: [{ partition: 'fs', blocks: 8, freeBlocks: 5, maxEraseCount: 7, totalErases: 9 }],
  });
  assert.not.ok('heapBytes' in hardwareData(1, undefined, []));
});

test('error lines: numbers, URIs, addresses and quoted text removed', () => {
  assert.is(redactLogText('call to sip:alice@pbx.local failed, dialed +49 30 123456 "Alice" code 486'),
    'call to [uri] failed, dialed [number] "[text]" code 486');
  assert.is(redactLogText('mail bob@example.com'), 'mail [address]');
  assert.is(redactLogText('login of [user:12345a6b]: [user:12345a6b].cfg refused near 5551234'), 'login of [user:12345a6b]: [user:12345a6b].cfg refused near [number]', "the log's tokens stay whole");
});

test('enablement: either switch name; device.da.enabled with .set vetoes; off by default', () => {
  const p = (v: Record<string, string>) => (n: string) => v[n];
  assert.not.ok(analyticsEnabled(p({})));
  assert.ok(analyticsEnabled(p({ 'feature.da.enabled': '1' })));
  assert.ok(analyticsEnabled(p({ 'feature.lens.enabled': '1', 'device.da.enabled.set': '1', 'device.da.enabled': '1' })));
  assert.not.ok(analyticsEnabled(p({ 'feature.lens.enabled': '1', 'device.da.enabled.set': '1', 'device.da.enabled': '0' })));
  assert.not.ok(analyticsEnabled(p({ 'device.da.enabled.set': '1', 'device.da.enabled': '1' })));
});

test('broker settings: mqtts only, a CA required, cert and key together; PEM line breaks restored', () => {
  const pem = '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(100) + '\n-----END CERTIFICATE-----\n';
  assert.is(normalisePem(pem.replace(/\n/g, ' ')), '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(64) + '\n' + 'A'.repeat(36) + '\n-----END CERTIFICATE-----\n');
  const get = (v: Record<string, string>) => (n: string) => v[n];
  assert.match((brokerSettings(get({ 'analytics.broker.url': 'mqtt://h' }), 'm') as { error: string }).error, /only TLS/);
  assert.match((brokerSettings(get({ 'analytics.broker.url': 'mqtts://h' }), 'm') as { error: string }).error, /caCert/);
  assert.match((brokerSettings(get({ 'analytics.broker.url': 'mqtts://h', 'analytics.broker.caCert': pem, 'analytics.broker.clientCert': pem }), 'm') as { error: string }).error, /together/);
  const ok = brokerSettings(get({ 'analytics.broker.url': 'mqtts://broker.example:9883', 'analytics.broker.caCert': pem }), '0004f2a1b2c3');
  assert.ok(!('error' in ok));
  if (!('error' in ok)) {
    assert.is(ok.connect.port, 9883);
    assert.is(ok.username, '0004f2a1b2c3', 'the MAC by default');
  }
});

test.run();
