/**
 * The browser UI's HTTP API without a browser: every control route, the
 * event stream, the static files, and the 4xx answers to bad requests.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import * as http from 'http';
import * as net from 'net';
import { PNG } from 'pngjs';
import type { Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phone: Phone; web: WebServer }
const test = suite<Ctx>('web api');

guardedBefore(test, async (ctx) => {
  ctx.phone = await bootPhone({ board: 'desk-500', engine: 'quickjs' });
  ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
});

test.after(async (ctx) => {
  await ctx.web.close();
  ctx.phone.dispose();
});

async function call(web: WebServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(new URL(path, web.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

test('listens on 127.0.0.1 on an ephemeral port', ({ web }) => {
  assert.match(web.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok(web.port > 0);
});

test('state: board key set and the idle screen', async ({ web }) => {
  const { status, json } = await call(web, 'GET', '/api/state');
  assert.is(status, 200);
  assert.is(json.board.id, 'desk-500');
  assert.ok(json.board.keys.includes('soft4'));
  assert.is(json.state, 'running');
  assert.is(json.screen.id, 'idle');
});

test('the page and its script are served; paths outside the public folder are not', async ({ web }) => {
  const page = await fetch(web.url);
  assert.is(page.status, 200);
  assert.match(await page.text(), /<script src="\/app.js">/);
  assert.is((await fetch(new URL('/app.js', web.url))).status, 200);
  for (const path of ['/../phone.ts', '/%2e%2e/server.ts', '/server.ts', '/nope.html']) {
    assert.is((await fetch(new URL(path, web.url))).status, 404, path);
  }
});

test('a key press changes the screen; unknown keys and bad bodies are refused without harm', async ({ web, phone }) => {
  const menu = await call(web, 'POST', '/api/key', { key: 'soft4' });
  assert.is(menu.status, 200);
  assert.is(menu.json.screen.id, 'menu');
  const bad = await call(web, 'POST', '/api/key', { key: 'launchMissiles' });
  assert.is(bad.status, 400);
  assert.match(bad.json.error, /no key "launchMissiles"/);
  assert.is((await call(web, 'POST', '/api/key', '{not json')).status, 400);
  assert.is((await call(web, 'POST', '/api/key', '[1,2]')).status, 400);
  assert.is((await call(web, 'POST', '/api/key', { key: 'x'.repeat(20000) })).status, 413);
  assert.is((await call(web, 'GET', '/api/key')).status, 405);
  assert.is((await call(web, 'GET', '/api/nothing')).status, 404);
  assert.is(phone.screen().id, 'menu', 'bad requests left the phone as it was');
  await call(web, 'POST', '/api/key', { key: 'back' });
  assert.is(phone.screen().id, 'idle');
});

test('far end: ring with caller id, hang up; bad caller ids refused', async ({ web, phone }) => {
  const ring = await call(web, 'POST', '/api/far-end/ring', { from: '2001', name: 'Alice' });
  assert.is(ring.status, 200);
  assert.is(phone.farEnd.calls().find((c) => c.callId === ring.json.callId)?.state, 'ringing');
  assert.ok(phone.log().some((l) => l.includes('far end: rings from 2001 "Alice"')));
  assert.is((await call(web, 'POST', '/api/far-end/ring', { from: '<script>' })).status, 400);
  assert.is((await call(web, 'POST', '/api/far-end/ring', {})).status, 400);
  assert.is((await call(web, 'POST', '/api/far-end/answer', { callId: ring.json.callId })).status, 409, 'cannot answer an incoming call from the far end');
  const hangup = await call(web, 'POST', '/api/far-end/hangup', { callId: ring.json.callId });
  assert.is(hangup.status, 200);
  assert.is(phone.farEnd.calls().find((c) => c.callId === ring.json.callId)?.state, 'ended');
  assert.is((await call(web, 'POST', '/api/far-end/hangup', { callId: 'call-999' })).status, 409);
  const placed = await phone.devices.line.dial('2002');
  const answer = await call(web, 'POST', '/api/far-end/answer', { callId: placed });
  assert.is(answer.status, 200);
  assert.is(phone.farEnd.calls().find((c) => c.callId === placed)?.state, 'connected');
  assert.is((await call(web, 'POST', '/api/far-end/hangup', {})).status, 200, 'hang up every live call');
  assert.ok(phone.farEnd.calls().every((c) => c.state === 'ended'));
});

test('power cut, key press while off refused, power on, reboot', async ({ web, phone }) => {
  assert.is((await call(web, 'POST', '/api/power/cut')).json.state, 'off');
  assert.is(phone.state, 'off');
  const key = await call(web, 'POST', '/api/key', { key: '1' });
  assert.is(key.status, 409);
  assert.match(key.json.error, /off/);
  const on = await call(web, 'POST', '/api/power/on');
  assert.equal(on.json, { state: 'running', bootReason: 'power-cut' });
  const reboot = await call(web, 'POST', '/api/reboot');
  assert.equal(reboot.json, { state: 'running', bootReason: 'reboot' });
  assert.is(phone.screen().id, 'idle');
});

test('flash wear per partition and block', async ({ web }) => {
  const { json } = await call(web, 'GET', '/api/flash');
  const profile = boardProfile('desk-500');
  assert.equal(json.partitions.map((p: any) => [p.name, p.eraseCounts.length]), profile.flash.partitions.map((p) => [p.name, p.size / profile.flash.blockSize]));
  assert.type(json.operations, 'number');
});

test('screen PNG is the framebuffer at 2x', async ({ web }) => {
  const res = await fetch(new URL('/api/screen.png', web.url));
  assert.is(res.headers.get('content-type'), 'image/png');
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  assert.is(png.width, 640);
  assert.is(png.height, 480);
});

/** Read SSE events from /api/events until `until` says enough. */
function readEvents(url: string, until: (events: { event: string; data: any }[]) => boolean): Promise<{ event: string; data: any }[]> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: any }[] = [];
    const req = http.get(new URL('/api/events', url), (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          if (until(events)) {
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
    setTimeout(() => { req.destroy(); reject(new Error(`timed out; events so far: ${events.map((e) => e.event).join(', ')}`)); }, 5000);
  });
}

test('event stream: hello with the log, then screen and log events after a key press', async ({ web }) => {
  const done = readEvents(web.url, (evs) => evs.some((e) => e.event === 'screen' && e.data.screen.id === 'menu') && evs.some((e) => e.event === 'log'));
  await new Promise((r) => setTimeout(r, 200));
  await call(web, 'POST', '/api/key', { key: 'soft4' });
  // A ringing call replaces the menu with the incoming-call screen: let one poll (100 ms) see the menu first.
  await new Promise((r) => setTimeout(r, 250));
  await call(web, 'POST', '/api/far-end/ring', { from: '3003' });
  const events = await done;
  const hello = events[0];
  assert.is(hello.event, 'hello');
  assert.is(hello.data.board.id, 'desk-500');
  assert.ok(hello.data.log.some((l: string) => l.includes('boot:')));
  assert.ok(events.some((e) => e.event === 'log' && e.data.lines.some((l: string) => l.includes('rings from 3003'))));
  await call(web, 'POST', '/api/far-end/hangup', {});
  await call(web, 'POST', '/api/key', { key: 'back' });
});

test('event stream: the phone broker traffic (socket device) with its counters, for the traffic panel', async ({ web, phone }) => {
  const server = net.createServer((c) => c.on('data', () => c.write(Buffer.from([0x20, 0x02, 0x00, 0x00]))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const done = readEvents(web.url, (evs) => evs.some((e) => e.event === 'broker' && e.data.entries.some((t: any) => t.kind === 'received')));
    await new Promise((r) => setTimeout(r, 200));
    const conn = await phone.devices.socket.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    await conn.write(new Uint8Array([0x10, 0x00]));
    const events = await done;
    const entries = events.filter((e) => e.event === 'broker').flatMap((e) => e.data.entries);
    assert.equal(entries.map((t: any) => t.kind), ['connect', 'sent', 'received']);
    assert.is(entries[1].head, '1000');
    assert.ok(events.at(-1)!.data.counters.bytesSent >= 2);
    conn.close();
  } finally {
    server.close();
  }
});

test('the pacer moves the virtual clock with real time', async ({ phone }) => {
  const before = phone.devices.clock.monotonic();
  const start = performance.now();
  await new Promise((r) => setTimeout(r, 500));
  const moved = phone.devices.clock.monotonic() - before;
  const real = performance.now() - start;
  // Ticks every 100 ms, each covering the real time since the previous one: the two windows differ by about a tick at each end.
  assert.ok(moved <= real + 150 && moved >= real - 350, `virtual clock moved ${moved} ms in ${real.toFixed(0)} ms of real time`);
});

test.run();
