/**
 * Shared by the pages suites: the web pages of a phone booted in this
 * process (sim/host/in-process-firmware), called with a built WebRequest as
 * the server would after its session and CSRF checks. Not a test file itself.
 */
import { parse as parseQuery } from 'querystring';
import { webPageSets } from '../../firmware/web/pages/index';
import type { WebPage, WebRequest, WebResult, WebRole } from '../../firmware/web/web-page';
import { bootInProcess, type InProcessPhone } from '../../sim/host/in-process-firmware';

export const CSRF = 'test-csrf-token';

export interface PageHarness {
  phone: InProcessPhone;
  pages: WebPage[];
  get(target: string, role?: WebRole): Promise<WebResult>;
  post(target: string, form: Record<string, string>, role?: WebRole): Promise<WebResult>;
}

export function pagesOf(phone: InProcessPhone): WebPage[] {
  return webPageSets.flatMap((set) => set(phone.booted));
}

function request(method: 'GET' | 'POST', target: string, form: Record<string, string>, role: WebRole): WebRequest {
  const [path, query = ''] = target.split('?');
  const q = parseQuery(query);
  return {
    method, path, form, files: {}, session: { role, csrfToken: CSRF },
    query: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v ?? ''])),
  };
}

/** The page answering `target`; a role below the page's access gets an error, as from the server's 403. */
function pageFor(pages: WebPage[], target: string, role: WebRole): WebPage {
  const path = target.split('?')[0];
  const page = pages.find((p) => p.path === path);
  if (!page) throw new Error(`no page ${path}`);
  if (page.access === 'admin' && role !== 'admin') throw new Error(`403: ${path} is for admins`);
  return page;
}

export function harnessFor(phone: InProcessPhone): PageHarness {
  const pages = pagesOf(phone);
  return {
    phone,
    pages,
    get: async (target, role = 'admin') => pageFor(pages, target, role).get(request('GET', target, {}, role)),
    post: async (target, form, role = 'admin') => {
      const page = pageFor(pages, target, role);
      if (!page.post) throw new Error(`405: ${target}`);
      return page.post(request('POST', target, form, role));
    },
  };
}

export function bootPages(options: { flashImage?: string } = {}): PageHarness {
  return harnessFor(bootInProcess({ board: 'desk-500', ...options }));
}

/** The HTML of a page result (fails on a redirect or download). */
export function htmlOf(r: WebResult): string {
  if (r.kind !== 'page') throw new Error(`expected a page, got ${r.kind}${r.kind === 'redirect' ? ` to ${r.to}` : ''}`);
  return r.body.text;
}

/** Text of an HTML fragment's character references decoded (the escapes of firmware/web/html.ts). */
export function decodeHtmlText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Let promises settle, advance virtual time, settle again. */
export async function tick(phone: InProcessPhone, ms = 0): Promise<void> {
  await new Promise((r) => setImmediate(r));
  phone.devices.clock.advance(ms);
  await new Promise((r) => setImmediate(r));
}

export async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
