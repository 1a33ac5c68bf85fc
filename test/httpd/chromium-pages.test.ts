/**
 * The web interface in real Chromium (playwright-core) against a simulated
 * phone (the bundle in QuickJS) over HTTPS, the phone's own certificate
 * pinned by its public key: an admin logs in (changing the default
 * password first), changes a parameter, downloads the log package and runs
 * Reset Web Configuration, which the reboot completes; a user sees their
 * call list, adds and deletes a contact whose name holds markup, and cannot
 * open admin pages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, chromiumAvailable, haveChromium } from '../helpers/chromium-page';
import { guardedBefore } from '../helpers/guarded-setup';
import { bootWebPhone, type WebPhone } from './web-harness';

const ADMIN_PASSWORD = 'Adm1n-Chromium-Pw';
const MARKUP_NAME = '<img src=x onerror=alert(1)>';

interface Ctx { web: WebPhone; context: BrowserContext; page: Page; profileDir: string; dialogs: string[]; pageErrors: string[] }
const test = suite<Ctx>('web pages (chromium)');

/** Chromium trusts the phone's self-signed certificate by its key (SPKI pin), not by ignoring certificate errors. */
function spkiPin(certificatePem: string): string {
  const spki = new crypto.X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('base64');
}

async function logIn(ctx: Ctx, role: 'admin' | 'user', password: string): Promise<void> {
  const { page, web } = ctx;
  await page.goto(`${web.baseUrl}/login`);
  await page.check(`input[name="role"][value="${role}"]`);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
}

async function logOut(page: Page): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.click('form.logout button')]);
}

async function submit(page: Page, selector = 'main button[type="submit"]'): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

if (chromiumAvailable('chromium-pages.test.ts')) {
  guardedBefore(test, async (ctx) => {
    assert.ok(haveChromium, `${CHROMIUM} is missing: install it with "apt-get update && apt-get install -y chromium"`);
    ctx.web = await bootWebPhone({ board: 'desk-500', engine: 'quickjs' });
    ctx.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-pages-chromium-'));
    ctx.context = await chromium.launchPersistentContext(ctx.profileDir, {
      executablePath: CHROMIUM, headless: true, acceptDownloads: true,
      args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiPin(ctx.web.caPem)}`],
    });
    ctx.page = ctx.context.pages()[0] ?? await ctx.context.newPage();
    ctx.page.setDefaultTimeout(15_000);
    ctx.dialogs = [];
    ctx.pageErrors = [];
    // Markup in a name that ran as script would open a dialog or throw: both are recorded and must stay empty.
    ctx.page.on('dialog', (d) => { ctx.dialogs.push(d.message()); void d.dismiss(); });
    ctx.page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
  });

  test.after(async (ctx) => {
    await ctx.context?.close();
    ctx.web?.close();
    if (ctx.profileDir) fs.rmSync(ctx.profileDir, { recursive: true, force: true });
  });

  test('an admin logs in (changing the default password first) and changes a parameter: it goes to the web layer', async (ctx) => {
    const { page } = ctx;
    await logIn(ctx, 'admin', '456');
    assert.match(page.url(), /\/settings\/password$/, 'the default admin password must be changed first');
    await page.fill('input[name="current"]', '456');
    await page.fill('input[name="next"]', ADMIN_PASSWORD);
    await page.fill('input[name="confirm"]', ADMIN_PASSWORD);
    await submit(page);
    await page.goto(`${ctx.web.baseUrl}/settings/parameters`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/settings/parameters?module=calls"]')]);
    const row = 'tr[id="row-callLists.collapseDuplicates"]';
    assert.match(await page.textContent(`${row} td.layer`) ?? '', /^default/);
    await page.selectOption(`${row} select`, '0');
    await submit(page);
    assert.match(await page.textContent('.notice') ?? '', /Saved to the web configuration: callLists\.collapseDuplicates/);
    assert.match(await page.textContent(`${row} td.layer`) ?? '', new RegExp(`^web \\(${ctx.web.phone.mac.toLowerCase()}-web\\.cfg\\)`));
    // A value out of range is refused alone, next to its field.
    await page.goto(`${ctx.web.baseUrl}/settings/parameters?module=lines`);
    await page.fill('input[id="p.reg.1.server.1.port"]', '70000');
    await page.fill('input[id="p.reg.1.displayName"]', 'Chromium Desk');
    await submit(page);
    assert.match(await page.textContent('[role="alert"]') ?? '', /reg\.1\.server\.1\.port = "70000": out of range/);
    assert.is(await page.inputValue('input[id="p.reg.1.displayName"]'), 'Chromium Desk');
  });

  test('the admin downloads the log package from Diagnostics > Logs', async (ctx) => {
    const { page } = ctx;
    await page.goto(`${ctx.web.baseUrl}/diagnostics/logs?component=auth`);
    // The login and password change just made are in the log the page shows (boot.log until the boot phase ends).
    assert.match(await page.textContent('table.log') ?? '', /auth/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/diagnostics/logs/download"]')]);
    const mac = ctx.web.phone.mac.toLowerCase();
    assert.is(download.suggestedFilename(), `${mac}-logs.tgz`);
    const file = path.join(ctx.profileDir, 'logs.tgz');
    await download.saveAs(file);
    const listing = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' });
    assert.is(listing.status, 0, listing.stderr);
    assert.equal(listing.stdout.trim().split('\n').sort(), [`${mac}-app.log`, `${mac}-boot.log`, `${mac}-cdr.jsonl`, 'README.txt'].sort());
  });

  test('the admin runs Reset Web Configuration from Simple Setup\'s Reset to Default; after the reboot the web layer is empty', async (ctx) => {
    const { page } = ctx;
    await page.goto(`${ctx.web.baseUrl}/setup`);
    await Promise.all([page.waitForNavigation(), page.click('main a[href="/utilities/reset?variant=resetWebConfig"]')]);
    assert.match(await page.textContent('main') ?? '', /Are you sure\?/);
    await submit(page);
    assert.match(await page.textContent('main') ?? '', /Reset Web Configuration: requested/);
    assert.ok(ctx.web.phone.log().some((l) => /reset: Reset Web Configuration requested by web admin/.test(l)));
    // The phone reboots to complete the reset; its web server comes back.
    const deadline = Date.now() + 20000;
    while (!ctx.web.phone.log().some((l) => /reset: Reset Web Configuration done \(requested by web admin\)/.test(l))) {
      if (Date.now() > deadline) throw new Error(`no reboot after the reset; log:\n${ctx.web.phone.log().slice(-20).join('\n')}`);
      await ctx.web.phone.advance(1000);
      await ctx.web.phone.settle();
    }
    await ctx.web.refresh();
    await ctx.context.close();
    ctx.context = await chromium.launchPersistentContext(ctx.profileDir, {
      executablePath: CHROMIUM, headless: true, acceptDownloads: true,
      args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiPin(ctx.web.caPem)}`],
    });
    ctx.page = ctx.context.pages()[0] ?? await ctx.context.newPage();
    ctx.page.setDefaultTimeout(15_000);
    ctx.page.on('dialog', (d) => { ctx.dialogs.push(d.message()); void d.dismiss(); });
    ctx.page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
    await logIn(ctx, 'admin', ADMIN_PASSWORD);
    await ctx.page.goto(`${ctx.web.baseUrl}/settings/parameters?module=calls`);
    assert.match(await ctx.page.textContent('tr[id="row-callLists.collapseDuplicates"] td.layer') ?? '', /^default/, 'the web change is gone');
    await logOut(ctx.page);
  });

  test('a user sees their call list, adds and deletes a contact whose name holds markup (shown as text), and cannot open admin pages', async (ctx) => {
    const phone = ctx.web.phone;
    const id = phone.farEnd.ring('5550142', 'Caller <b>Bold</b>');
    await phone.advance(5000);
    phone.farEnd.hangup(id);
    await phone.advance(1000);
    await phone.settle();
    const { page } = ctx;
    await logIn(ctx, 'user', '123');
    await page.goto(`${ctx.web.baseUrl}/user/calls`);
    const missed = await page.textContent('#missed') ?? '';
    assert.match(missed, /Missed Calls \(1\)/);
    assert.match(missed, /5550142/);
    assert.match(missed, /Caller <b>Bold<\/b>/, 'the name as text');
    assert.is(await page.locator('#missed b').count(), 0, 'no markup element made of the name');

    await page.goto(`${ctx.web.baseUrl}/user/contacts`);
    await page.fill('input[id="c.fn"]', MARKUP_NAME);
    await page.fill('input[id="c.ln"]', 'Markup');
    await page.fill('input[id="c.ct"]', '7100');
    await submit(page, 'form.contact button[type="submit"]');
    assert.match(await page.textContent('.notice') ?? '', /Contact added/);
    assert.ok((await page.textContent('table.list') ?? '').includes(`${MARKUP_NAME} Markup`));
    assert.is(await page.locator('table.list img').count(), 0);
    await Promise.all([page.waitForNavigation(), page.click('table.list tr:has-text("7100") button')]);
    assert.match(await page.textContent('.notice') ?? '', /Contact deleted/);
    assert.not.ok((await page.textContent('main') ?? '').includes('7100'));

    for (const adminPage of ['/settings/parameters', '/settings/parameters?module=calls', '/setup', '/diagnostics/logs', '/diagnostics/logs/download', '/utilities/reset']) {
      const r = await page.goto(`${ctx.web.baseUrl}${adminPage}`);
      assert.is(r?.status(), 403, adminPage);
    }
    const nav = await page.textContent('nav') ?? '';
    assert.not.ok(/Parameters|Reset|Logs|Simple Setup/.test(nav), `the user's navigation: ${nav}`);
    assert.equal(ctx.dialogs, [], 'no script ran from a name');
    assert.equal(ctx.pageErrors, []);
  });
}

test.run();
