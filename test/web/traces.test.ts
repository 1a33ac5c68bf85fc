/**
 * Trace panels: line/SIP events and requests, network requests with status
 * and sizes, flash operations — recorded on the host from the boot on; the
 * API filters and exports them; in Chromium the panel shows them, filters,
 * switches kind and downloads the JSON.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import { createPhone, type Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { tracesOf } from '../../sim/web/trace-recorder';
import { chromiumAvailable, openBrowserPage, waitForText, type BrowserPage } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phone: Phone; web: WebServer; browser?: BrowserPage }
const test = suite<Ctx>('trace panels');

guardedBefore(test, async (ctx) => {
  ctx.phone = await createPhone({ board: 'desk-500', engine: 'quickjs' });
  tracesOf(ctx.phone);
  await ctx.phone.boot();
  await ctx.phone.advance(10_000); // the first provisioning cycle and the boot log upload
  ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.web?.close();
  ctx.phone?.dispose();
});

const get = async (web: WebServer, path: string) => (await fetch(web.url + path.slice(1))).json() as Promise<any>;

test('the boot left network requests with status and sizes, and flash operations; a ring shows on the line trace', async ({ phone, web }) => {
  const network = (await get(web, '/api/traces?kind=network')).entries;
  const master = network.find((e: any) => e.data.url === 'sim://prov/000000000000.cfg');
  assert.ok(master, network.map((e: any) => e.summary).join('\n'));
  assert.is(master.data.status, 200);
  assert.ok(master.data.bytesReceived > 100);
  assert.ok(network.some((e: any) => e.data.method === 'PUT' && e.data.bytesSent > 0), 'the boot log upload, with its size');
  const flash = (await get(web, '/api/traces?kind=flash')).entries;
  assert.ok(flash.some((e: any) => e.data.kind === 'program' && e.summary.startsWith('program ')), 'flash programs of the boot');
  phone.farEnd.ring('2001', 'Alice');
  await phone.settle();
  const line = (await get(web, '/api/traces?kind=line&q=incoming')).entries;
  assert.is(line.length, 1);
  assert.match(line[0].summary, /→ phone incoming call-\d+/);
  const all = (await get(web, '/api/traces?kind=line')).entries;
  const since = all[all.length - 1].seq;
  assert.is((await get(web, `/api/traces?kind=line&since=${since}`)).entries.length, 0, 'since: only newer entries');
  const bad = await fetch(web.url + 'api/traces?kind=disk');
  assert.is(bad.status, 400);
});

if (chromiumAvailable('traces.test.ts')) {
  test('the panel shows the line trace, filters it, switches to network and exports the JSON', async (ctx) => {
    ctx.browser = await openBrowserPage(ctx.web.url);
    const { page } = ctx.browser;
    await waitForText(page, '#trace-list', '→ phone incoming');
    await page.fill('#trace-filter', 'ringing');
    await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('#trace-list .trace-row')].every((r: any) => r.textContent.includes('ringing')));
    await page.fill('#trace-filter', '');
    await page.click('[data-trace="network"]');
    await waitForText(page, '#trace-list', 'sim://prov/000000000000.cfg → 200');
    await page.fill('#trace-filter', '.cfg');
    await page.waitForTimeout(400);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#trace-export')]);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    assert.is(exported.kind, 'network');
    assert.is(exported.filter, '.cfg');
    assert.ok(exported.entries.length > 0 && exported.entries.every((e: any) => e.url.includes('.cfg')), JSON.stringify(exported.entries.slice(0, 3)));
    // The trace list keeps each entry on one line (no wrapping inside an entry).
    assert.is(await page.$eval('#trace-list', (el) => (globalThis as any).getComputedStyle(el).whiteSpace), 'pre');
    assert.equal(ctx.browser.pageErrors, []);
  });
}

test.run();
