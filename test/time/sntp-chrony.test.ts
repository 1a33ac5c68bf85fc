/**
 * The phone's time from a real NTP server: Debian chronyd on 127.0.0.1 (a
 * free port, `local stratum 8`, `-x`: the system clock is never touched),
 * asked by the firmware's SNTP client through the simulator's UDP device. A
 * phone whose virtual clock starts years wrong shows the right local time,
 * DST included, on its idle screen after the first sync; expected texts come
 * from Node's own time-zone data (Intl), not from the firmware's rules.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import type { EngineKind } from '../../sim/phone-api';
import { bootPhone, ENGINES } from '../helpers/sim';
import { ChronyServer } from '../servers/chrony';

const BUILT_IN = path.resolve(__dirname, '..', '..', 'sim', 'provisioning', 'folder');
const WRONG_START = Date.UTC(2020, 0, 1, 0, 0);

let chrony: ChronyServer;
const folders: string[] = [];

test.before(async () => {
  chrony = await ChronyServer.start();
});

test.after(async () => {
  await chrony?.stop();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

/** The built-in provisioning folder with these parameters added to site.cfg. */
function provisioningWith(params: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-time-'));
  folders.push(dir);
  for (const f of fs.readdirSync(BUILT_IN)) fs.copyFileSync(path.join(BUILT_IN, f), path.join(dir, f));
  const attrs = Object.entries(params).map(([k, v]) => `${k}="${v}"`).join(' ');
  const site = fs.readFileSync(path.join(dir, 'site.cfg'), 'utf8').replace('</polycomConfig>', `  <time ${attrs}/>\n</polycomConfig>`);
  fs.writeFileSync(path.join(dir, 'site.cfg'), site);
  return dir;
}

/** Date line and clock for `ms` in a real time zone, per Node's tz data. */
function expectedIn(timeZone: string, ms: number, o: { h24: boolean; date: (p: Record<string, string>) => string; long: boolean }): { status: string; date: string } {
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: o.long ? 'long' : 'short', day: 'numeric', month: o.long ? 'long' : 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' });
  for (const p of fmt.formatToParts(ms)) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  const status = o.h24 ? `${String(hour).padStart(2, '0')}:${parts.minute}` : `${hour % 12 === 0 ? 12 : hour % 12}:${parts.minute} ${hour < 12 ? 'AM' : 'PM'}`;
  return { status, date: o.date(parts) };
}

async function synced(params: Record<string, string>, engine: EngineKind = 'quickjs'): Promise<Phone> {
  const phone = await bootPhone({ board: 'desk-500', engine, startTime: WRONG_START, provisioningDir: provisioningWith(params) });
  // Provisioning applies the file, then the SNTP query goes out on the next timer tick.
  await phone.advance(1000);
  return phone;
}

function assertShows(phone: Phone, timeZone: string, o: Parameters<typeof expectedIn>[2]): void {
  const screen = phone.screen();
  // The minute may turn between reading the screen and computing: accept the minute before or after.
  const candidates = [-60_000, 0, 60_000].map((d) => expectedIn(timeZone, Date.now() + d, o));
  assert.ok(candidates.some((c) => c.status === screen.status && c.date === screen.lines[0]),
    `screen ${JSON.stringify([screen.status, screen.lines[0]])}, expected ${JSON.stringify(candidates[1])} (${timeZone})\n${phone.log().filter((l) => l.includes('|sntp|')).join('\n')}\n${chrony.log()}`);
}

for (const engine of ENGINES) {
  test(`${engine}: a phone whose clock starts years wrong takes UTC from chronyd and shows Sydney time with DST (southern rule)`, async () => {
    const phone = await synced({
      'tcpIpApp.sntp.address': `127.0.0.1:${chrony.port}`,
      'tcpIpApp.sntp.gmtOffset': '36000',
      'tcpIpApp.sntp.daylightSavings.enable': '1',
      'tcpIpApp.sntp.daylightSavings.start.month': '10',
      'tcpIpApp.sntp.daylightSavings.start.date': '1',
      'tcpIpApp.sntp.daylightSavings.start.time': '2',
      'tcpIpApp.sntp.daylightSavings.stop.month': '4',
      'tcpIpApp.sntp.daylightSavings.stop.date': '1',
      'tcpIpApp.sntp.daylightSavings.stop.time': '3',
    }, engine);
    try {
      const drift = phone.devices.clock.now() - Date.now();
      assert.ok(Math.abs(drift) < 2000, `virtual wall clock corrected: off by ${drift} ms\n${phone.log().filter((l) => l.includes('|sntp|')).join('\n')}`);
      assert.ok(phone.log().some((l) => /\|sntp\|.*time from 127\.0\.0\.1:\d+ \(stratum \d+.*clock stepped by/.test(l)), phone.log().slice(-20).join('\n'));
      assertShows(phone, 'Australia/Sydney', { h24: true, long: true, date: (p) => `${p.weekday}, ${p.day} ${p.month}` });
      assert.equal(phone.faults, []);
    } finally {
      phone.dispose();
    }
  });
}

test('gmtOffset 3600 with the EU rule (last Sundays of March and October) shows Berlin time, whichever the season', async () => {
  const phone = await synced({
    'tcpIpApp.sntp.address': `127.0.0.1:${chrony.port}`,
    'tcpIpApp.sntp.gmtOffset': '3600',
    'tcpIpApp.sntp.daylightSavings.start.month': '3',
    'tcpIpApp.sntp.daylightSavings.start.dayOfWeek.lastInMonth': '1',
    'tcpIpApp.sntp.daylightSavings.start.time': '2',
    'tcpIpApp.sntp.daylightSavings.stop.month': '10',
    'tcpIpApp.sntp.daylightSavings.stop.dayOfWeek.lastInMonth': '1',
    'tcpIpApp.sntp.daylightSavings.stop.time': '3',
    'lcl.datetime.date.format': 'D,dMY',
  });
  try {
    assertShows(phone, 'Europe/Berlin', { h24: true, long: true, date: (p) => `${p.weekday}, ${p.day} ${p.month} ${p.year}` });
  } finally {
    phone.dispose();
  }
});

test('device.sntp.serverName / gmtOffset apply with their .set companions; 12-hour clock and the dMY short date', async () => {
  const phone = await synced({
    'device.sntp.serverName': `127.0.0.1:${chrony.port}`,
    'device.sntp.serverName.set': '1',
    'device.sntp.gmtOffset': '-18000',
    'device.sntp.gmtOffset.set': '1',
    'lcl.datetime.time.24HourClock': '0',
    'lcl.datetime.date.format': 'dMY',
    'lcl.datetime.date.longFormat': '0',
  });
  try {
    assert.ok(Math.abs(phone.devices.clock.now() - Date.now()) < 2000, 'synchronized from the device setting');
    // US Eastern with Polycom's default (US) DST rule.
    assertShows(phone, 'America/New_York', { h24: false, long: false, date: (p) => `${p.day} ${p.month} ${p.year}` });
  } finally {
    phone.dispose();
  }
});

test('device.sntp.serverName without its .set companion is not applied: no query, the clock stays as it was', async () => {
  const phone = await synced({ 'device.sntp.serverName': `127.0.0.1:${chrony.port}` });
  try {
    assert.equal(phone.devices.udp.exchanges, []);
    assert.ok(Math.abs(phone.devices.clock.now() - WRONG_START) < 60_000);
  } finally {
    phone.dispose();
  }
});

test('no answer (nothing listens on the port): logged, retried with backoff, the clock kept', async () => {
  const phone = await synced({ 'tcpIpApp.sntp.address': `127.0.0.1:${chrony.port + 1 === 65536 ? 1 : chrony.port + 1}` });
  try {
    await phone.advance(15_000);
    const failures = phone.log().filter((l) => /\|sntp\|.*no time from 127\.0\.0\.1:\d+ \(/.test(l));
    assert.is(failures.length, 2, phone.log().slice(-10).join('\n'));
    assert.match(failures[0], /attempt 1, retry in 15 s/);
    assert.match(failures[1], /attempt 2, retry in 30 s/);
    assert.ok(Math.abs(phone.devices.clock.now() - WRONG_START) < 60_000, 'clock kept');
    assert.equal(phone.faults, []);
  } finally {
    phone.dispose();
  }
});

test.run();
