/**
 * Scenario recorder in Chromium: clicks and keyboard keys become press
 * steps, "Expect screen" takes the current text model, the download is a
 * JSON scenario that `phone scenario run` loads and passes (the round trip).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Phone } from '../../sim/phone';
import { loadScenarioFile } from '../../sim/scenario/loader';
import { runScenario } from '../../sim/scenario/runner';
import { startWebServer, type WebServer } from '../../sim/web/server';
import { bootPhone } from '../helpers/sim';
import { chromiumAvailable, openBrowserPage, waitForText, type BrowserPage } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';

interface Ctx { phone: Phone; web: WebServer; browser: BrowserPage; dir: string }
const test = suite<Ctx>('scenario recorder (chromium)');

if (chromiumAvailable('recorder.test.ts')) {
  guardedBefore(test, async (ctx) => {
    ctx.phone = await bootPhone({ board: 'desk-500' });
    ctx.web = await startWebServer({ phone: ctx.phone, port: 0 });
    ctx.browser = await openBrowserPage(ctx.web.url);
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recorder-test-'));
  });
  test.after(async (ctx) => {
    await ctx.browser?.close();
    await ctx.web?.close();
    ctx.phone?.dispose();
    if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true });
  });

  test('record Menu, Settings and Back with expectScreen steps; the download runs as a scenario and passes', async ({ browser, dir }) => {
    const { page } = browser;
    await waitForText(page, '#screen-text', '[idle]');
    await page.click('#recorder-toggle');
    await page.click('#recorder-expect');
    await page.click('button[data-key="soft4"]');
    await waitForText(page, '#screen-text', '[menu]');
    await page.click('#recorder-expect');
    await page.keyboard.press('Escape');
    await waitForText(page, '#screen-text', '[idle]');
    await page.click('#recorder-expect');
    await page.click('#recorder-toggle');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#recorder-download')]);
    const file = path.join(dir, 'recorded.json');
    await download.saveAs(file);
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(recorded.steps.map((s: object) => Object.keys(s)[0]), ['boot', 'expectScreen', 'press', 'expectScreen', 'press', 'expectScreen']);
    assert.equal(recorded.steps[2], { press: 'soft4' });
    assert.equal(recorded.steps[4], { press: 'back' });
    assert.is(recorded.steps[3].expectScreen.id, 'menu');
    assert.is(recorded.board, 'desk-500');
    const result = await runScenario(loadScenarioFile(file), { artifactsDir: path.join(dir, 'artifacts') });
    assert.ok(result.passed, JSON.stringify(result.steps.filter((s) => s.status !== 'passed')));
    assert.equal(browser.pageErrors, []);
  });

  test.run();
}
