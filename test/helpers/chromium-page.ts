/**
 * Debian Chromium driven by playwright-core for the browser UI suites: one
 * persistent context in a temporary profile, downloads accepted. Under
 * CI=true a missing Chromium fails the suite; elsewhere it is skipped with a warning.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const haveChromium = fs.existsSync(CHROMIUM);

/** True when the suite should run; prints why not otherwise. */
export function chromiumAvailable(suiteFile: string): boolean {
  if (haveChromium || process.env.CI === 'true') return true;
  console.warn(`\n  ${suiteFile}: NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium). Under CI=true this fails.\n`);
  return false;
}

export interface BrowserPage {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowserPage(url: string, viewport = { width: 1440, height: 1000 }): Promise<BrowserPage> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install it with "apt-get update && apt-get install -y chromium"`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-web-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, acceptDownloads: true });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  return {
    context, page, pageErrors,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Wait until the element's text contains `text`. */
export function waitForText(page: Page, selector: string, text: string) {
  return page.waitForFunction(([sel, t]) => ((globalThis as any).document.querySelector(sel)?.textContent ?? '').includes(t), [selector, text] as const);
}
