/**
 * Inspector panel: configuration values with their layer and file, calls,
 * LEDs, the store's files and data classes (API and Chromium), and the log
 * panel's level / component filters, search and clear, lines unwrapped.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { chromiumAvailable, openBrowserPage, waitForText, type BrowserPage } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phone: Phone; web: WebServer; browser?: BrowserPage }
const test = suite<Ctx>('inspector');

guardedBefore(test, async (ctx) => {
  ctx.phone = await bootPhone({ board: 'desk-500' });
  await ctx.phone.advance(10_000);
  ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
});
test.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.web?.close();
  ctx.phone?.dispose();
});

test('GET /api/inspect: values with layer and file, calls, LEDs, store files and classes', async ({ phone, web }) => {
  phone.farEnd.ring('2001', 'Alice');
  await phone.settle();
  const r = await (await fetch(`${web.url}api/inspect`)).json() as any;
  assert.is(r.configError, undefined);
  const period = r.config.find((c: any) => c.name === 'prov.polling.period');
  assert.equal({ value: period.value, layer: period.layer, source: period.source }, { value: '3600', layer: 'files', source: 'site.cfg' });
  assert.ok(r.config.every((c: any) => c.layer !== 'default'), 'defaults are left out');
  assert.equal(r.calls.map((c: any) => `${c.direction}:${c.state}`), ['incoming:ringing']);
  assert.ok(r.leds.some((l: any) => l.led === 'line1'));
  assert.ok(r.store.files.some((f: any) => f.partition === 'fs' && f.path === 'cfg/master.cfg' && f.dataClass === 'config'), JSON.stringify(r.store.files.slice(0, 4)));
  const fs = r.store.partitions.find((p: any) => p.name === 'fs');
  assert.ok(fs.classes.config.liveRecords > 0);
  phone.farEnd.hangup(phone.farEnd.calls()[0].callId);
  await phone.settle();
});

if (chromiumAvailable('inspector.test.ts')) {
  test('the panel shows the configuration and the store files; the filter narrows them', async (ctx) => {
    ctx.browser = await openBrowserPage(ctx.web.url);
    const { page } = ctx.browser;
    await page.click('#inspector-refresh');
    await waitForText(page, '#inspector-body', 'prov.polling.period');
    assert.match(await page.textContent('#inspector-body') ?? '', /site\.cfg/);
    assert.match(await page.textContent('#inspector-body') ?? '', /cfg\/master\.cfg/);
    await page.fill('#inspector-filter', 'polling.period');
    const rows = await page.$$eval('#inspector-body table:first-of-type tbody tr', (trs) => trs.map((tr: any) => tr.textContent));
    assert.is(rows.length, 1);
    assert.match(rows[0], /prov\.polling\.period3600filessite\.cfg/);
  });

  test('log panel: component and level filters, search, clear; a line never wraps', async (ctx) => {
    const { page } = ctx.browser!;
    await waitForText(page, '#log', '|prov|');
    await page.waitForSelector('#log-component option[value="prov"]', { state: 'attached' });
    await page.selectOption('#log-component', 'prov');
    const shown = () => page.$$eval('#log > div', (ds) => ds.filter((d: any) => !d.hidden).map((d: any) => d.textContent as string));
    let lines = await shown();
    assert.ok(lines.length > 0 && lines.every((l) => l.split('|')[1] === 'prov'), lines.slice(0, 3).join('\n'));
    await page.selectOption('#log-level', '2');
    lines = await shown();
    assert.ok(lines.length > 0 && lines.every((l) => Number(l.split('|')[2]) >= 2), lines.join('\n'));
    await page.selectOption('#log-level', '0');
    await page.fill('#log-search', 'next poll');
    lines = await shown();
    assert.ok(lines.length > 0 && lines.every((l) => l.includes('next poll')));
    assert.is(await page.$eval('#log', (el) => (globalThis as any).getComputedStyle(el).whiteSpace), 'pre');
    await page.click('#log-clear');
    assert.is(await page.$eval('#log', (el) => el.childElementCount), 0);
    assert.equal(ctx.browser!.pageErrors, []);
  });
}

test.run();
