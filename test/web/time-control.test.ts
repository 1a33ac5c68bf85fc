/** Time control of a simulated phone: the pacer's pause / run / speed / advance, the web API, and the terminal's commands. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RealtimePacer, type PacedPhone } from '../../sim/realtime-pacer';
import type { Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { guardedBefore } from '../helpers/guarded-setup';

class FakePhone implements PacedPhone {
  state: PacedPhone['state'] = 'running';
  steps: number[] = [];
  async advance(ms: number): Promise<void> {
    this.steps.push(ms);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (steps: number[]) => steps.reduce((a, b) => a + b, 0);

const pacing = suite('pacer time control');

pacing('×10 and ×100 move the phone 10 and 100 times the real time; paused moves nothing and running again does not jump', async () => {
  const phone = new FakePhone();
  let now = 0;
  const pacer = new RealtimePacer(phone, { intervalMs: 5, now: () => now });
  pacer.start();
  pacer.setSpeed(10);
  now += 100;
  await sleep(25);
  assert.is(total(phone.steps), 1000);
  pacer.setSpeed(100);
  now += 100;
  await sleep(25);
  assert.is(total(phone.steps), 11_000);
  pacer.pause();
  now += 5000;
  await sleep(25);
  assert.is(total(phone.steps), 11_000, 'paused');
  pacer.resume();
  pacer.setSpeed(1);
  await sleep(25);
  assert.is(total(phone.steps), 11_000, 'the paused real time is not replayed');
  now += 40;
  await sleep(25);
  assert.is(total(phone.steps), 11_040);
  await pacer.advanceBy(604_800_000);
  assert.is(phone.steps.at(-1), 604_800_000, 'advanceBy jumps at once');
  await pacer.stop();
});

pacing('a long real gap at ×100 is bounded by maxStepMs × speed; bad speeds are refused', async () => {
  const phone = new FakePhone();
  let now = 0;
  const pacer = new RealtimePacer(phone, { intervalMs: 5, maxStepMs: 500, now: () => now });
  pacer.setSpeed(100);
  pacer.start();
  now += 3_600_000;
  await sleep(25);
  await pacer.stop();
  assert.equal(phone.steps, [50_000]);
  for (const bad of [0, -1, NaN, 100_000]) assert.throws(() => pacer.setSpeed(bad), /speed must be/);
  assert.is(pacer.speed, 100);
});

pacing.run();

interface Ctx { phone: Phone; web: WebServer }
const api = suite<Ctx>('web API time control');

guardedBefore(api, async (ctx) => {
  ctx.phone = await bootPhone({ board: 'desk-500', engine: 'quickjs', startTime: Date.UTC(2026, 4, 6, 12, 0, 0) });
  ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
});

api.after(async (ctx) => {
  await ctx.web?.close();
  ctx.phone?.dispose();
});

async function call(web: WebServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(web.url + path.slice(1), { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: await res.json() };
}

api('pause, advance by "1d", speed, and bad requests refused', async ({ web, phone }) => {
  let r = await call(web, 'POST', '/api/time', { paused: true });
  assert.equal([r.status, r.json.paused, r.json.speed], [200, true, 1]);
  const at = phone.devices.clock.now();
  assert.ok(at >= Date.UTC(2026, 4, 6, 12, 0, 0) && at < Date.UTC(2026, 4, 6, 12, 1, 0), 'the phone starts at the given time');
  r = await call(web, 'POST', '/api/time/advance', { by: '1d' });
  assert.is(r.json.virtualTime, at + 86_400_000);
  await sleep(300);
  assert.is(phone.devices.clock.now(), at + 86_400_000, 'still paused');
  r = await call(web, 'POST', '/api/time', { speed: 100, paused: false });
  assert.equal([r.json.paused, r.json.speed], [false, 100]);
  r = await call(web, 'GET', '/api/time');
  assert.is(r.json.speed, 100);
  for (const [path, body, error] of [
    ['/api/time', { speed: 0 }, /speed must be/],
    ['/api/time', { paused: 'yes' }, /"paused" must be true or false/],
    ['/api/time/advance', { by: 'soon' }, /expected a duration/],
    ['/api/time/advance', { by: '400d' }, /at most a year/],
  ] as const) {
    const bad = await call(web, 'POST', path, body);
    assert.is(bad.status, 400, JSON.stringify(body));
    assert.match(bad.json.error, error);
  }
  await call(web, 'POST', '/api/time', { speed: 1 });
});

api.run();
