/**
 * Polling as fleets schedule it, on the real image in the QuickJS simulator
 * against the simulator's provisioning folder, over several virtual days:
 * abs / rel / random fire at their times, polling off never polls, and
 * `voIpProt.SIP.specialEvent.checkSync.alwaysReboot` 0/1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { nextCalendarPollUtc, readPollingSettings } from '../../firmware/provisioning/polling-schedule';
import { bootPhone } from '../helpers/sim';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A copy of the simulator's provisioning folder whose site.cfg carries `attributes`. */
function folderWith(attributes: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'polling-'));
  fs.cpSync(path.join(__dirname, '..', '..', 'sim', 'provisioning', 'folder'), dir, { recursive: true });
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<?xml version="1.0"?>\n<polycomConfig ${attrs} dir.search.field="1"/>\n`);
  return dir;
}

async function withFolderPhone(attributes: Record<string, string>, body: (phone: Phone, dir: string) => Promise<void>): Promise<void> {
  const dir = folderWith(attributes);
  const phone = await bootPhone({ provisioningDir: dir, startTime: START });
  try {
    await phone.advance(1000); // the boot cycle
    await phone.settle();
    await body(phone, dir);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Advance virtual time hour by hour (host I/O settled in between). */
async function runHours(phone: Phone, hours: number): Promise<void> {
  for (let i = 0; i < hours; i++) {
    await phone.advance(HOUR);
    await phone.settle();
  }
}

/** Wall times (ISO) of the cycles of a reason. */
function cycleTimes(phone: Phone, reason: string): string[] {
  return phone.log().filter((l) => /\|prov\|\d\|\d+\|(provisioned from|provisioning incomplete)/.test(l) && l.includes(`(${reason})`)).map((l) => l.split('|')[0]);
}

test('abs: a poll every day at prov.polling.time (UTC without a time zone), over three days', async () => {
  await withFolderPhone({ 'prov.polling.enabled': '1', 'prov.polling.mode': 'abs', 'prov.polling.time': '03:00' }, async (phone) => {
    assert.equal(cycleTimes(phone, 'boot').length, 1);
    await runHours(phone, 72);
    const times = cycleTimes(phone, 'poll').map((t) => t.slice(0, 16));
    assert.equal(times, ['2026-01-01T03:00', '2026-01-02T03:00', '2026-01-03T03:00']);
  });
});

test('rel: a poll every prov.polling.period seconds from boot', async () => {
  await withFolderPhone({ 'prov.polling.enabled': '1', 'prov.polling.mode': 'rel', 'prov.polling.period': '18000' }, async (phone) => {
    await runHours(phone, 24);
    const times = cycleTimes(phone, 'poll').map((t) => t.slice(0, 16));
    assert.equal(times, ['2026-01-01T05:00', '2026-01-01T10:00', '2026-01-01T15:00', '2026-01-01T20:00']);
  });
});

test('random: once a day at this phone\'s time in [time, timeRandomEnd), the same every day', async () => {
  const attributes = { 'prov.polling.enabled': '1', 'prov.polling.mode': 'random', 'prov.polling.time': '01:00', 'prov.polling.timeRandomEnd': '05:00' };
  await withFolderPhone(attributes, async (phone) => {
    await runHours(phone, 72);
    const times = cycleTimes(phone, 'poll');
    assert.is(times.length, 3);
    const expected = nextCalendarPollUtc(readPollingSettings((n) => (attributes as Record<string, string>)[n]).settings, phone.profile.mac.toLowerCase(), START, 0);
    const ofDay = times.map((t) => Date.parse(t) % (24 * HOUR));
    // The poll starts when its timer fires: within a second of the computed instant.
    assert.ok(ofDay.every((t) => Math.abs(t - (expected - START)) < 1000), `${times} vs ${new Date(expected).toISOString()}`);
    assert.ok(ofDay[0] >= HOUR && ofDay[0] < 5 * HOUR);
  });
});

test('polling disabled: no periodic fetch over three days', async () => {
  await withFolderPhone({ 'prov.polling.enabled': '0', 'prov.polling.mode': 'rel', 'prov.polling.period': '3600' }, async (phone) => {
    await runHours(phone, 72);
    assert.equal(cycleTimes(phone, 'poll'), []);
    assert.is(cycleTimes(phone, 'boot').length, 1);
  });
});

test('check-sync, alwaysReboot=0: files downloaded again, no reboot when nothing needs one', async () => {
  await withFolderPhone({ 'voIpProt.SIP.specialEvent.checkSync.alwaysReboot': '0' }, async (phone) => {
    phone.farEnd.notify('check-sync');
    await phone.settle();
    await runHours(phone, 1);
    assert.is(cycleTimes(phone, 'check-sync').length, 1);
    assert.is(phone.lastBootReason(), 'power-on');
    assert.ok(!phone.log().some((l) => l.includes('reboot requested')));
  });
});

test('check-sync, alwaysReboot=1: the phone reboots and provisions at boot', async () => {
  await withFolderPhone({ 'voIpProt.SIP.specialEvent.checkSync.alwaysReboot': '1' }, async (phone) => {
    phone.farEnd.notify('check-sync');
    await phone.settle();
    await runHours(phone, 1);
    assert.is(phone.lastBootReason(), 'reboot');
    assert.ok(phone.log().some((l) => l.includes('check-sync NOTIFY: rebooting (voIpProt.SIP.specialEvent.checkSync.alwaysReboot=1)')));
    assert.is(cycleTimes(phone, 'check-sync').length, 0);
    assert.is(cycleTimes(phone, 'boot').length, 2, 'the boot after the reboot downloads every file');
  });
});

test.run();
