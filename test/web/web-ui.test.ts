/**
 * The browser UI in Debian Chromium driven by playwright-core: click a key and
 * see the screen change, keyboard shortcuts, ring the phone from the far-end
 * panel, the LEDs, cut power and power on, the flash wear map, a screenshot.
 * Under CI=true a missing Chromium fails the suite.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Phone } from '../../sim/phone';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable, haveChromium } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

const RESULTS = path.resolve(__dirname, '..', '..', 'test-results');

interface Ctx { phone: Phone; web: WebServer; context: BrowserContext; page: Page; profileDir: string; pageErrors: string[] }
const test = suite<Ctx>('web ui (chromium)');


if (chromiumAvailable('web-ui.test.ts')) {
  guardedBefore(test, async (ctx) => {
    assert.ok(haveChromium, `${CHROMIUM} is missing: install it with "apt-get update && apt-get install -y chromium"`);
    ctx.phone = await bootPhone({ board: 'desk-500', engine: 'quickjs' });
    ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
    ctx.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-web-ui-chromium-'));
    ctx.context = await chromium.launchPersistentContext(ctx.profileDir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 1000 },
    });
    ctx.page = ctx.context.pages()[0] ?? await ctx.context.newPage();
    ctx.page.setDefaultTimeout(10_000);
    ctx.pageErrors = [];
    ctx.page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
    await ctx.page.goto(ctx.web.url);
  });

  test.after(async (ctx) => {
    await ctx.context?.close();
    await ctx.web?.close();
    ctx.phone?.dispose();
    if (ctx.profileDir) fs.rmSync(ctx.profileDir, { recursive: true, force: true });
  });

  const screenText = (page: Page) => page.textContent('#screen-text');
  const waitForText = (page: Page, selector: string, text: string) =>
    page.waitForFunction(([sel, t]) => ((globalThis as any).document.querySelector(sel)?.textContent ?? '').includes(t), [selector, text] as const);

  test('the page shows the live screen and the board key set laid out', async ({ page, phone }) => {
    await waitForText(page, '#screen-text', '[idle]');
    assert.match(await page.textContent('#board-name') ?? '', /DESK500 \(desk-500/);
    for (const key of phone.profile.keys) assert.is(await page.locator(`button[data-key="${key}"]`).count(), 1, `button for ${key}`);
    assert.is(await page.locator('#dial-pad button').count(), 12);
    assert.is(await page.locator('#soft-keys button').count(), 4);
    assert.is(await page.textContent('#soft-keys button[data-key="soft4"]'), 'Menu', 'soft key labels follow the screen');
    const width = await page.$eval('#screen', (img) => (img as any).naturalWidth as number);
    assert.is(width, 640);
  });

  test('clicking the Menu soft key changes the screen; Escape goes back', async ({ page, phone }) => {
    await page.click('button[data-key="soft4"]');
    await waitForText(page, '#screen-text', '[menu]');
    assert.is(phone.screen().id, 'menu');
    assert.match(await screenText(page) ?? '', /Settings/);
    await page.keyboard.press('Escape');
    await waitForText(page, '#screen-text', '[idle]');
    assert.is(phone.screen().id, 'idle');
  });

  test('keyboard shortcut F4 presses soft key 4', async ({ page, phone }) => {
    await page.keyboard.press('F4');
    await waitForText(page, '#screen-text', '[menu]');
    assert.is(phone.screen().id, 'menu');
    await page.click('button[data-key="back"]');
    await waitForText(page, '#screen-text', '[idle]');
  });

  test('ring the phone from the far-end panel; the call and the log show it; hang up', async ({ page, phone }) => {
    await page.fill('#ring-from', '2001');
    await page.fill('#ring-name', 'Alice Example');
    await page.click('#ring-button');
    await waitForText(page, '#calls tbody', 'ringing');
    await waitForText(page, '#log', 'far end: rings from 2001 "Alice Example"');
    const call = phone.farEnd.calls().at(-1)!;
    assert.equal([call.direction, call.remote, call.state], ['incoming', '2001', 'ringing']);
    await page.click(`#calls tr[data-call-id="${call.callId}"] button:has-text("Hang up")`);
    await waitForText(page, `#calls tr[data-call-id="${call.callId}"]`, 'ended');
    assert.is(phone.farEnd.calls().at(-1)!.state, 'ended');
  });

  test('the LEDs: line 1 lit while registered, blinking while a call rings, lit again after; message waiting', async ({ page, phone }) => {
    const lamp = (led: string, state: string) => page.waitForSelector(`#leds .led[data-led="${led}"][data-state="${state}"]`);
    await lamp('line1', 'on');
    assert.is(await page.locator('#leds .led').count(), 6, 'message waiting, 4 line keys, mute');
    const callId = phone.farEnd.ring('2001', 'Alice Example');
    await lamp('line1', 'blink');
    assert.is(await page.getAttribute('button[data-key="line1"]', 'data-led'), 'blink', 'the line key shows it too');
    phone.farEnd.hangup(callId);
    await lamp('line1', 'on');
    phone.farEnd.notify('message-summary', { 'Messages-Waiting': 'yes' });
    await lamp('messageWaiting', 'on');
  });

  test('a bad caller id shows the API error on the page', async ({ page }) => {
    await page.fill('#ring-from', 'not a number!');
    await page.click('#ring-button');
    await waitForText(page, '#message', '"from" must be a number or SIP address');
    await page.fill('#ring-from', '2001');
  });

  test('cut power, power on (boot reason power-cut), reboot', async ({ page, phone }) => {
    await page.click('#power-cut');
    await waitForText(page, '#state', 'off');
    assert.is(phone.state, 'off');
    await page.click('#power-on');
    await waitForText(page, '#boot-info', 'reason power-cut');
    assert.is(await page.textContent('#state'), 'running');
    await waitForText(page, '#screen-text', '[idle]');
    await page.click('#reboot');
    await waitForText(page, '#boot-info', 'reason reboot');
    assert.is(phone.lastBootReason(), 'reboot');
  });

  test('the flash wear map has one cell per block of every partition', async ({ page, phone }) => {
    const stats = phone.flashStats();
    for (const p of stats.partitions) {
      const cells = await page.locator(`#wear-map [data-partition="${p.name}"] .cell`).count();
      assert.is(cells, p.eraseCounts.length, p.name);
    }
    const fsBlocks = boardProfile('desk-500').flash.partitions.find((p) => p.name === 'fs')!.size / 4096;
    assert.match(await page.textContent('#wear-map') ?? '', new RegExp(`fs: ${fsBlocks} blocks × 4 KiB`));
    // Wear a block of the updater partition (the firmware does not use it yet): its cell turns from grey to a colour.
    const updater = phone.devices.flash.open('updater');
    for (let i = 0; i < 3; i++) updater.erase(5);
    // The map is redrawn on every flash event: wait on the selector, not on an element handle.
    const cell = page.locator('#wear-map [data-partition="updater"] .cell:nth-child(6)');
    await page.waitForSelector('#wear-map [data-partition="updater"] .cell[title="updater block 5: 3 erases"]');
    const colour = await cell.evaluate((el) => (el as any).style.background as string);
    assert.not.match(colour, /42, 47, 54/, 'a worn block is not drawn as never erased');
    assert.match(await page.textContent('#wear-map [data-partition="updater"] .partition-title') ?? '', /3 erases \(max 3 per block\)/);
  });

  test('time control: pause stops the phone clock, Advance jumps by "2h", ×100 runs it fast, Run ×1 restores', async ({ page, phone }) => {
    const clock = () => phone.devices.clock.now();
    await page.click('#time-pause');
    await waitForText(page, '#clock-rate', 'paused');
    const pausedAt = clock();
    await page.waitForTimeout(400);
    assert.is(clock(), pausedAt, 'a paused clock does not move');
    await page.fill('#advance-by', '2h');
    await page.click('#advance-form button[type="submit"]');
    await page.waitForFunction((t) => (globalThis as any).document.querySelector('#clock').textContent.includes(t), new Date(pausedAt + 7_200_000).toISOString().slice(11, 16));
    assert.is(clock(), pausedAt + 7_200_000, `advance while paused moves exactly by the amount (state ${phone.state}, faults ${JSON.stringify(phone.faults).slice(0, 600)}; log: ${phone.log().slice(-8).join(' / ')})`);
    await page.click('.time-speed[data-speed="100"]');
    await waitForText(page, '#clock-rate', '×100');
    const fastFrom = clock();
    const realFrom = Date.now();
    await page.waitForTimeout(600);
    const ratio = (clock() - fastFrom) / (Date.now() - realFrom);
    assert.ok(ratio > 20, `×100 ran at ×${ratio.toFixed(1)}`);
    await page.click('.time-speed[data-speed="1"]');
    await waitForText(page, '#clock-rate', '×1');
    assert.is(await page.isVisible('#message'), false, 'no error shown');
  });

  test('screenshot: a valid, non-blank PNG; no script errors on the page', async ({ page, pageErrors }) => {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, 'web-ui.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = PNG.sync.read(fs.readFileSync(file));
    assert.ok(png.width >= 1000 && png.height >= 700, `${png.width}x${png.height}`);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
    assert.ok(colours.size > 20, `only ${colours.size} colours: blank page?`);
    assert.equal(pageErrors, []);
  });
}

test.run();
