/**
 * `phone sim --phones N` in Chromium: a tab per phone, each page drives its
 * own phone; phone A dials B's extension with clicks, B's page shows the call
 * ringing and answers it. Also the API: `?phone=NAME` chooses the phone, an
 * unknown name is a 404.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createNetworkedPhones, type NetworkedPhone } from '../../sim/phone-network';
import { RealtimePacer } from '../../sim/realtime-pacer';
import { startWebServer, type ServedPhone, type WebServer } from '../../sim/web/server';
import { chromiumAvailable, openBrowserPage, waitForText, type BrowserPage } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phones: NetworkedPhone[]; served: ServedPhone[]; web: WebServer; browser: BrowserPage }
const test = suite<Ctx>('several phones in the browser UI (chromium)');

if (chromiumAvailable('phones-ui.test.ts')) {
  guardedBefore(test, async (ctx) => {
    ctx.phones = (await createNetworkedPhones(['A', 'B'], { board: 'desk-500', engine: 'quickjs' })).phones;
    ctx.served = [];
    for (const p of ctx.phones) {
      await p.phone.boot();
      const pacer = new RealtimePacer(p.phone);
      pacer.start();
      ctx.served.push({ ...p, pacer });
    }
    ctx.web = await startWebServer({ phone: ctx.served[0].phone, phones: ctx.served, port: 0 });
    ctx.browser = await openBrowserPage(ctx.web.url);
  });

  test.after(async (ctx) => {
    await ctx.browser?.close();
    await ctx.web?.close();
    for (const s of ctx.served ?? []) await s.pacer.stop();
    for (const p of ctx.phones ?? []) p.phone.dispose();
  });

  test('the API lists the phones and ?phone=NAME chooses one; an unknown name is a 404', async ({ web }) => {
    const list = await (await fetch(`${web.url}api/phones`)).json() as { phones: { name: string; extension: string }[] };
    assert.equal(list.phones.map((p: { name: string; extension: string }) => `${p.name}=${p.extension}`), ['A=1001', 'B=1002']);
    const missing = await fetch(`${web.url}api/state?phone=Z`);
    assert.is(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /no phone "Z" \(phones: A, B\)/);
  });

  test('time control applies to every phone of the network', async ({ web, served }) => {
    const post = (path: string, body: object) => fetch(web.url + path.slice(1), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.is((await post('/api/time?phone=B', { paused: true })).status, 200);
    assert.ok(served.every((s) => s.pacer.paused), 'both paused');
    const before = served.map((s) => s.phone.devices.clock.now());
    assert.is((await post('/api/time/advance', { by: '1h' })).status, 200);
    assert.equal(served.map((s, i) => s.phone.devices.clock.now() - before[i] >= 3_600_000), [true, true]);
    assert.is((await post('/api/time', { paused: false })).status, 200);
    assert.ok(served.every((s) => !s.pacer.paused));
  });

  test('phone A dials 1002 with clicks; on phone B\'s tab the call rings and Answer connects both', async ({ browser, phones }) => {
    const { page } = browser;
    await waitForText(page, '#screen-text', '[idle]');
    assert.is(await page.locator('#phone-tabs a').count(), 2);
    assert.match(await page.textContent('#phone-tabs .current') ?? '', /Phone A · 1001/);
    for (const k of ['1', '0', '0', '2', 'soft1']) await page.click(`button[data-key="${k}"]`);
    await page.click('#phone-tabs a[data-phone="B"]');
    await page.waitForURL(/phone=B/);
    await waitForText(page, '#screen-text', '[incoming]');
    assert.match(await page.textContent('#screen-text') ?? '', /1001/);
    await page.click('button[data-key="soft1"]');
    await waitForText(page, '#screen-text', 'Connected');
    const [a, b] = phones.map((p) => p.phone);
    for (let i = 0; i < 50 && a.screen().title !== 'Connected'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.is(a.screen().title, 'Connected');
    assert.is(b.screen().title, 'Connected');
    assert.equal(browser.pageErrors, []);
  });

  test.run();
}
