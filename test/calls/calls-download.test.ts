/**
 * Calls files from the provisioning server: `<user>-calls.xml` when a user
 * with no lists on the phone logs in, `<MAC>-calls.xml` (or the user's) on a
 * check-sync NOTIFY when voIpProt.SIP.specialEvent.checkSync.downloadCallList=1;
 * a bad file leaves the lists as they were. Served from a folder (sim://prov/).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { exportCallsXml } from '../../firmware/calls/calls-xml';
import type { CallRecord } from '../../firmware/calls/call-record';
import { bootCalls, flush, type CallsHarness } from './calls-harness';

const record = (from: string, name: string): CallRecord => ({
  seq: 0, direction: 'In', disposition: 'Normal', line: 1, protocol: 'SIP', startTime: '2025-12-24T18:00:00', duration: 'PT3M',
  count: 1, destination: { address: 'sip:me@pbx', name: '' }, source: { address: from, name }, connections: [{ address: from, name }],
});

async function provisioned(): Promise<{ h: CallsHarness; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'calls-prov-'));
  cpSync(join(__dirname, '../../sim/provisioning/folder'), dir, { recursive: true });
  mkdirSync(join(dir, 'calls'));
  const h = bootCalls();
  h.phone.devices.net.serveFolder('sim://prov/', dir);
  h.phone.booted.settings.set('device.prov.serverName', 'sim://prov/');
  const report = await h.phone.booted.provisioning.client.request('request');
  assert.is(report.outcome, 'provisioned');
  return { h, dir };
}

async function settled(h: CallsHarness, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await h.tick(10);
}

test('login of a user with no lists on the phone: <user>-calls.xml is downloaded into their lists', async () => {
  const { h, dir } = await provisioned();
  try {
    writeFileSync(join(dir, 'calls', 'alice-calls.xml'), exportCallsXml([record('2001', 'Santa')]));
    h.phone.booted.kernel.bus.emit('user:changed', { user: 'alice', reason: 'login' });
    await settled(h, () => h.list('received').length > 0);
    assert.equal(h.list('received').map((r) => r.source.name), ['Santa']);
    assert.ok(h.phone.booted.fs.list('calls/u.alice/').every((f) => f.user === 'alice'));
    // A user without a calls file on the server: an info line says where the phone looked.
    h.phone.booted.kernel.bus.emit('user:changed', { user: 'bob', reason: 'login' });
    const missing = (l: string) => l.includes('|calls|1|0|bob-calls.xml: no such file on the server at sim://prov/calls/bob-calls.xml (HTTP 404)');
    await settled(h, () => h.phone.log().some(missing));
    assert.ok(h.phone.log().some(missing), h.phone.log().slice(-5).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check-sync NOTIFY with downloadCallList=1 replaces the lists with <MAC>-calls.xml; =0 does not download; a bad file keeps them', async () => {
  const { h, dir } = await provisioned();
  try {
    const mac = h.phone.profile.mac.toLowerCase();
    writeFileSync(join(dir, 'calls', `${mac}-calls.xml`), exportCallsXml([record('2002', 'Rudolph')]));
    h.far.notify('check-sync');
    await settled(h, () => false);
    assert.is(h.list('received').length, 0, 'downloadCallList=0: not downloaded');
    h.set('voIpProt.SIP.specialEvent.checkSync.downloadCallList', '1');
    h.far.notify('check-sync');
    await settled(h, () => h.list('received').length > 0);
    assert.equal(h.list('received').map((r) => r.source.name), ['Rudolph']);
    writeFileSync(join(dir, 'calls', `${mac}-calls.xml`), '<callList><call><direction>In</direc');
    const lines = h.phone.log().length;
    h.far.notify('check-sync');
    await settled(h, () => h.phone.log().slice(lines).some((l) => l.includes('no usable calls')));
    assert.ok(h.phone.log().slice(lines).some((l) => l.includes('no usable calls')), h.phone.log().slice(lines).join('\n'));
    assert.equal(h.list('received').map((r) => r.source.name), ['Rudolph']);
    await flush();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
