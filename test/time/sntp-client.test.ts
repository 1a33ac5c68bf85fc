/** SNTP packets (RFC 4330 checks) and the client's schedule: resync period, backoff on failure, stepping the wall clock. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { UdpExchange } from '../../hal/contract';
import { createGuard } from '../../firmware/kernel/guard';
import { Logger } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { parseSntpServer, SntpClient } from '../../firmware/time/sntp-client';
import { readSntpAnswer, sntpRequest } from '../../firmware/time/sntp-packet';
import { VirtualClock } from '../../sim/devices/clock';

const NTP_TO_UNIX_SEC = 2208988800;

/** A server's answer to `request`, giving `serverMs` as both receive and transmit time. */
function answer(request: Uint8Array, serverMs: number, patch: (b: Uint8Array) => void = () => {}): Uint8Array {
  const b = new Uint8Array(48);
  const v = new DataView(b.buffer);
  b[0] = (0 << 6) | (4 << 3) | 4;
  b[1] = 2;
  b.set(request.subarray(40, 48), 24);
  for (const off of [32, 40]) {
    const s = Math.floor(serverMs / 1000);
    v.setUint32(off, s + NTP_TO_UNIX_SEC);
    v.setUint32(off + 4, Math.floor(((serverMs % 1000) / 1000) * 2 ** 32));
  }
  patch(b);
  return b;
}

test('packet: the offset is the server time minus the client time; bad answers are refused with a reason', () => {
  const t1 = Date.UTC(2026, 0, 1, 9);
  const req = sntpRequest(t1);
  assert.is(req[0], 0x23, 'LI 0, version 4, mode 3');
  const server = Date.UTC(2026, 5, 15, 12, 0, 0, 250);
  const a = readSntpAnswer(answer(req, server), req, t1, t1);
  assert.ok(Math.abs(a.offsetMs - (server - t1)) < 1, String(a.offsetMs));
  assert.is(a.stratum, 2);
  assert.throws(() => readSntpAnswer(answer(req, server, (b) => { b[0] = (4 << 3) | 3; }), req, t1, t1), /not a server answer/);
  assert.throws(() => readSntpAnswer(answer(req, server, (b) => { b[1] = 0; b.set([82, 65, 84, 69], 12); }), req, t1, t1), /kiss-o'-death RATE/);
  assert.throws(() => readSntpAnswer(answer(req, server, (b) => { b[0] |= 0xc0; }), req, t1, t1), /not synchronized/);
  assert.throws(() => readSntpAnswer(answer(req, server, (b) => { b[27] ^= 1; }), req, t1, t1), /does not echo/);
  assert.throws(() => readSntpAnswer(answer(req, server).subarray(0, 40), req, t1, t1), /short answer/);
});

test('server address: host, host:port, refused forms', () => {
  assert.equal(parseSntpServer('ntp.example.com').server, { host: 'ntp.example.com', port: 123 });
  assert.equal(parseSntpServer(' 127.0.0.1:4123 ').server, { host: '127.0.0.1', port: 4123 });
  assert.is(parseSntpServer('').server, null);
  assert.ok(parseSntpServer('ntp.example.com:99999').problem);
  assert.ok(parseSntpServer('http://ntp').problem);
});

function rig(reply: (req: UdpExchange) => Promise<Uint8Array>) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 9));
  const logger = new Logger(() => clock.now());
  const lines: string[] = [];
  logger.addSink((l) => lines.push(l));
  const timers = new Timers(clock, createGuard(logger.component('sys')));
  const asked: number[] = [];
  let steps = 0;
  const client = new SntpClient({
    clock, timers, log: logger.component('sntp'),
    udp: { exchange: (req) => { asked.push(clock.monotonic()); return reply(req); } },
    server: () => '127.0.0.1:4123',
    resyncPeriodMs: () => 3600_000,
    stepped: () => { steps++; },
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return { clock, lines, asked, client, steps: () => steps, flush };
}

test('client: steps the wall clock to the server, then resyncs every period', async () => {
  const truth = Date.UTC(2026, 5, 15, 12);
  const r = rig(async (req) => answer(req.payload, truth + r.clock.monotonic()));
  r.client.restart();
  r.clock.advance(0);
  await r.flush();
  assert.ok(Math.abs(r.clock.now() - truth) < 2, new Date(r.clock.now()).toISOString());
  assert.is(r.steps(), 1);
  assert.ok(r.lines.some((l) => /stepped by \d+\.\d{3} s/.test(l)), r.lines.join('\n'));
  r.clock.advance(3600_000);
  await r.flush();
  assert.equal(r.asked, [0, 3600_000]);
});

test('client: a failing server is retried with exponential backoff (15 s doubling, capped), each failure logged', async () => {
  const r = rig(async () => { throw new Error('timeout: no answer'); });
  r.client.restart();
  for (let i = 0; i < 9; i++) {
    r.clock.advance((r.clock.nextDue() ?? 0) - r.clock.monotonic());
    await r.flush();
  }
  const gaps = r.asked.slice(1).map((t, i) => t - r.asked[i]);
  assert.equal(gaps, [15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
  assert.is(r.lines.filter((l) => l.includes('no time from 127.0.0.1:4123 (timeout: no answer)')).length, 9);
  r.clock.advance(10 * 3600_000);
  await r.flush();
  const later = r.asked.slice(9).map((t, i) => t - r.asked[8 + i]);
  assert.ok(later.every((g) => g === 3600_000), `capped at the resync period: ${later.join(', ')}`);
});

test('client: the link coming back ends a backoff wait at once', async () => {
  let fail = true;
  const r = rig(async (req) => { if (fail) throw new Error('link-down: network link is down'); return answer(req.payload, Date.UTC(2026, 5, 15)); });
  r.client.restart();
  for (let i = 0; i < 4; i++) {
    r.clock.advance((r.clock.nextDue() ?? 0) - r.clock.monotonic());
    await r.flush();
  }
  assert.is(r.asked.length, 4);
  fail = false;
  r.client.linkUp();
  r.clock.advance(0);
  await r.flush();
  assert.is(r.asked.length, 5, 'asked again at once, not after the 120 s backoff');
  assert.is(new Date(r.clock.now()).toISOString().slice(0, 10), '2026-06-15');
  r.client.linkUp();
  r.clock.advance(0);
  await r.flush();
  assert.is(r.asked.length, 5, 'a synchronized client waits for its resync period');
});

test.run();
