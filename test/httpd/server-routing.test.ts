/**
 * WebServer routing in isolation (Node, no phone): access by role, 405, a
 * page that throws or rejects answers 500 once, downloads, redirects with a
 * notice. The integration suites cover the same server in QuickJS over HTTPS.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HttpServerRequest, HttpServerResponse } from '../../hal/contract';
import type { AuthService } from '../../firmware/auth/auth-service';
import { Logger } from '../../firmware/kernel/logger';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { html } from '../../firmware/web/html';
import type { WebPage } from '../../firmware/web/web-page';
import { WebServer } from '../../firmware/web/web-server';
import { WebSessions } from '../../firmware/web/web-sessions';

const logLines: string[] = [];
const logger = new Logger(() => 0);
logger.addSink((line) => { logLines.push(line); });

const pages: WebPage[] = [
  { path: '/admin/thing', nav: ['Settings', 'Thing'], access: 'admin', get: () => ({ kind: 'page', title: 'Thing', body: html`<p>secret settings</p>` }) },
  { path: '/user/list', nav: ['User', 'List'], access: 'user', get: () => ({ kind: 'page', title: 'List', body: html`<p>${'<b>markup</b>'}</p>` }), post: () => ({ kind: 'redirect', to: '/user/list', notice: 'Saved.' }) },
  { path: '/user/export', access: 'user', get: () => ({ kind: 'download', fileName: 'calls "x".xml', contentType: 'application/xml', bytes: new Uint8Array([60, 97, 47, 62]) }) },
  { path: '/user/throws', access: 'user', get: () => { throw new Error('boom'); } },
  { path: '/user/rejects', access: 'user', get: () => Promise.reject(new Error('later boom')) },
];

function server(role: 'admin' | 'user') {
  const sessions = new WebSessions(new NodeCryptoEngine(), () => 0);
  const session = sessions.create(role);
  const auth = { vault: { isDefault: () => false }, audit: { attempt: () => {} } } as unknown as AuthService;
  const s = new WebServer({ auth, sessions, pages, settings: { pagesEnabled: () => true, httpsPort: () => 0, idleMs: () => 600_000 }, log: logger.component('web'), device: 'TEST', mac: '0004f2000001' });
  const call = (method: string, target: string, body = ''): Promise<HttpServerResponse> => new Promise((resolve) => {
    const request: HttpServerRequest = {
      method, target, secure: true, remoteAddress: '127.0.0.1', body: new Uint8Array(Buffer.from(body)),
      headers: { cookie: `__Host-phone-0004f2000001=${session.id}`, 'content-type': 'application/x-www-form-urlencoded' },
    };
    let answers = 0;
    s.handle(request, (r) => { answers++; assert.is(answers, 1, 'answered once'); resolve(r); });
  });
  return { call, session };
}

const text = (r: HttpServerResponse) => Buffer.from(r.body).toString();

test('a User session gets 403 on an admin page and sees no admin entry in the navigation; an admin gets both', async () => {
  const user = server('user');
  const refused = await user.call('GET', '/admin/thing');
  assert.is(refused.status, 403);
  assert.not.match(text(refused), /secret settings/);
  assert.not.match(text(await user.call('GET', '/user/list')), /\/admin\/thing/);
  const admin = server('admin');
  assert.is((await admin.call('GET', '/admin/thing')).status, 200);
  assert.match(text(await admin.call('GET', '/user/list')), /href="\/admin\/thing"/);
});

test('markup from data is shown as text', async () => {
  const r = await server('user').call('GET', '/user/list');
  assert.match(text(r), /&lt;b&gt;markup&lt;\/b&gt;/);
});

test('POST without page.post is 405 with Allow; a redirect carries its notice once', async () => {
  const s = server('admin');
  const r = await s.call('POST', '/admin/thing', `csrf=${s.session.csrfToken}`);
  assert.is(r.status, 405);
  assert.is(r.headers.allow, 'GET');
  const saved = await s.call('POST', '/user/list', `csrf=${s.session.csrfToken}`);
  assert.is(saved.status, 303);
  assert.match(text(await s.call('GET', '/user/list')), /Saved\./);
  assert.not.match(text(await s.call('GET', '/user/list')), /Saved\./);
});

test('a download is an attachment with a safe file name', async () => {
  const r = await server('user').call('GET', '/user/export');
  assert.is(r.headers['content-disposition'], 'attachment; filename="calls__x_.xml"');
  assert.is(text(r), '<a/>');
});

test('a page that throws or rejects is answered 500 once and logged', async () => {
  const s = server('user');
  assert.is((await s.call('GET', '/user/throws')).status, 500);
  assert.is((await s.call('GET', '/user/rejects')).status, 500);
  assert.ok(logLines.some((l) => /page failed: Error: boom/.test(l)));
  assert.ok(logLines.some((l) => /page failed: Error: later boom/.test(l)));
});

test.run();
