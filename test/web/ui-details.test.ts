/**
 * Browser UI details in Chromium: the screenshot link, a long press, the
 * far-end script shown as in force and applied on change, the page fitting
 * 1280×720 with the phone scaled, the wear map on an absolute scale, keys
 * that keep no focus, arrows staying in a form control, the NOTIFY control.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import { PNG } from 'pngjs';
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { chromiumAvailable, openBrowserPage, waitForText, type BrowserPage } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phone: Phone; web: WebServer; browser: BrowserPage; presses: [KeyName, number][] }
const test = suite<Ctx>('browser UI details (chromium)');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (chromiumAvailable('ui-details.test.ts')) {
  guardedBefore(test, async (ctx) => {
    ctx.phone = await bootPhone({ board: 'desk-500' });
    // Every key the routes press, with its hold time.
    ctx.presses = [];
    const press = ctx.phone.press.bind(ctx.phone);
    ctx.phone.press = async (key: KeyName, holdMs = 0) => {
      ctx.presses.push([key, holdMs]);
      return press(key, holdMs);
    };
    ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
    ctx.browser = await openBrowserPage(ctx.web.url, { width: 1280, height: 720 });
  });
  test.after(async (ctx) => {
    await ctx.browser?.close();
    await ctx.web?.close();
    ctx.phone?.dispose();
  });

  test('fits 1280×720: no sideways scroll, the whole phone in the window (scaled)', async ({ browser }) => {
    const { page } = browser;
    await waitForText(page, '#screen-text', '[idle]');
    await page.waitForTimeout(300);
    const m = await page.evaluate(() => {
      const d = (globalThis as any).document;
      const r = d.querySelector('#phone').getBoundingClientRect();
      return { scrollWidth: d.documentElement.scrollWidth, scrollHeight: d.documentElement.scrollHeight, right: r.right, bottom: r.bottom, zoom: Number(d.querySelector('#phone').style.zoom) };
    });
    assert.ok(m.scrollWidth <= 1280, `page ${m.scrollWidth} px wide`);
    assert.ok(m.right <= 1280 && m.bottom <= 720, `phone ends at ${m.right}×${m.bottom}`);
    assert.ok(m.zoom < 1, `the phone is scaled (zoom ${m.zoom})`);
  });

  test('the header names the firmware build that runs: version, code hash, build time', async ({ browser, phone }) => {
    const text = await browser.page.textContent('#build-info') ?? '';
    assert.match(text, new RegExp(`^firmware ${phone.build!.version.replace(/\./g, '\\.')} · ${phone.build!.hash} built `));
  });

  test('a clicked key keeps no focus: Space does not press it again; arrows in a select stay there', async ({ browser, presses }) => {
    const { page } = browser;
    const before = presses.length;
    await page.click('button[data-key="volumeUp"]');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('button.pressed').length === 0 && n >= 0, before);
    await sleep(200);
    assert.is(presses.length, before + 1);
    assert.is(await page.evaluate(() => (globalThis as any).document.activeElement?.dataset?.key ?? null), null);
    await page.keyboard.press('Space');
    await sleep(300);
    assert.is(presses.length, before + 1, 'Space pressed nothing');
    await page.focus('#log-level');
    await page.keyboard.press('ArrowDown');
    await sleep(300);
    assert.is(presses.length, before + 1, 'ArrowDown in a select is not the phone\'s down key');
  });

  test('a long press holds the key down for as long as the button was held', async ({ browser, presses }) => {
    const { page } = browser;
    const button = page.locator('button[data-key="volumeDown"]');
    await button.hover();
    await page.mouse.down();
    await sleep(800);
    await page.mouse.up();
    await sleep(300);
    const [key, holdMs] = presses[presses.length - 1];
    assert.is(key, 'volumeDown');
    assert.ok(holdMs >= 700 && holdMs < 3000, `held ${holdMs} ms`);
  });

  test('far-end script: the panel shows the script in force; a change applies at once, no Set needed', async ({ browser, phone }) => {
    const { page } = browser;
    assert.is(await page.inputValue('#script-action'), 'manual', 'no script: calls ring until answered here');
    await page.selectOption('#script-action', 'answer');
    for (let i = 0; i < 40 && phone.farEnd.scripted().length === 0; i++) await sleep(50);
    assert.equal(phone.farEnd.scripted(), [{ target: '*', action: 'answer', afterMs: 0 }], 'applied on change');
    await page.fill('#script-after', '2000');
    await page.keyboard.press('Tab');
    for (let i = 0; i < 40 && phone.farEnd.scripted()[0].afterMs !== 2000; i++) await sleep(50);
    assert.equal(phone.farEnd.scripted(), [{ target: '*', action: 'answer', afterMs: 2000 }]);
    await page.reload();
    await waitForText(page, '#screen-text', '[idle]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#script-action').value === 'answer');
    assert.is(await page.inputValue('#script-after'), '2000');
  });

  test('the NOTIFY control sends check-sync with its parameters', async ({ browser, phone }) => {
    const { page } = browser;
    await page.fill('#notify-params', 'x-test=1');
    await page.click('#notify-form button[type="submit"]');
    for (let i = 0; i < 40 && !phone.farEnd.sent().some((e) => e.type === 'notify'); i++) await sleep(50);
    const sent = phone.farEnd.sent().filter((e) => e.type === 'notify');
    assert.equal(sent, [{ type: 'notify', event: 'check-sync', params: { 'x-test': '1' } }]);
  });

  test('the wear map is absolute: a block erased once is green, not "most worn"', async ({ browser, phone }) => {
    const { page } = browser;
    phone.devices.flash.open('updater').erase(9);
    const cell = '#wear-map [data-partition="updater"] .cell[title="updater block 9: 1 erases"]';
    await page.waitForSelector(cell);
    const rgb = (await page.locator(cell).evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string)).match(/\d+/g)!.map(Number);
    assert.ok(rgb[1] > rgb[0] * 1.5, `green, got rgb(${rgb.join(',')})`);
  });

  test('the screenshot link downloads the screen as a PNG', async ({ browser, phone }) => {
    const { page } = browser;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#screenshot')]);
    const png = PNG.sync.read(fs.readFileSync((await download.path())!));
    assert.is(png.width, PNG.sync.read(phone.screenshotPng()).width);
    assert.ok(png.width > 0);
    assert.equal(browser.pageErrors, []);
  });

  test.run();
}
