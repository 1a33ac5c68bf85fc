/**
 * Security of the web interface against the real bundle in QuickJS over
 * HTTPS: brute force shares the keypad's lockout both ways, every attempt is
 * in the audit log, CSRF tokens are checked, path traversal is refused, no
 * secret ever reaches the browser, and no web password or session secret is
 * on flash in clear.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findRawStrings } from '../../sim/forensics/scan';
import { openAdvanced, typeDigits } from '../auth/phone-prompts';
import { adminWithNewPassword, bootWebPhone, CookieJar, csrfOf, NEW_ADMIN, type WebPhone, type WebResponse } from './web-harness';

async function tryWeb(web: WebPhone, role: 'admin' | 'user', password: string): Promise<WebResponse> {
  const jar = new CookieJar();
  const form = await web.request('GET', '/login', { jar });
  return web.request('POST', '/login', { jar, form: { csrf: csrfOf(form.body), role, password } });
}

const auditLines = (web: WebPhone, re: RegExp) => web.phone.log().filter((l) => /\|auth\|/.test(l) && re.test(l));

test('brute force at the web locks the keypad\'s password prompts too, and is audited', async () => {
  const web = await bootWebPhone();
  try {
    for (let i = 0; i < 5; i++) {
      const r = await tryWeb(web, 'admin', '999');
      assert.is(r.status, 401);
      await web.phone.advance(10_000);
    }
    const locked = await tryWeb(web, 'admin', '456');
    assert.is(locked.status, 401);
    assert.match(locked.body, /Locked: try again in/);
    assert.is(auditLines(web, /login attempt: web password for "Web Configuration Utility" by admin: failure/).length, 5);
    assert.is(auditLines(web, /\|5\|.*password prompt locked for 5 min after 5 failed attempts/).length, 1);
    assert.is(auditLines(web, /web password.*refused \(locked/).length, 1, 'the refused attempt is audited, unchecked');
    assert.not.ok(web.phone.log().some((l) => l.includes('999')), 'no typed password in the log');
    // The keypad's admin prompt is locked by the same lockout.
    await openAdvanced(web.phone);
    assert.match(web.phone.screen().lines.join('|'), /Locked: try again in 5 min/);
    await web.phone.advance(5 * 60_000);
    assert.is((await tryWeb(web, 'admin', '456')).status, 303, 'open again after the lock');
  } finally {
    web.close();
  }
});

test('brute force at the keypad locks the web login', async () => {
  const web = await bootWebPhone();
  try {
    await openAdvanced(web.phone);
    for (let i = 0; i < 5; i++) {
      await typeDigits(web.phone, '999');
      await web.phone.press('soft1');
      await web.phone.advance(10_000);
    }
    const r = await tryWeb(web, 'user', '123');
    assert.is(r.status, 401);
    assert.match(r.body, /Locked: try again in/);
  } finally {
    web.close();
  }
});

test('CSRF: a POST without the token, with another session\'s token, or a forged login form is refused (403) and changes nothing', async () => {
  const web = await bootWebPhone();
  try {
    const admin = await adminWithNewPassword(web);
    const other = await web.login('user', '123');
    const otherToken = csrfOf((await web.request('GET', '/settings/password', { jar: other })).body);
    const change = { role: 'user', current: NEW_ADMIN, next: '86420', confirm: '86420' };
    for (const form of [change, { ...change, csrf: otherToken }, { ...change, csrf: '' }]) {
      const r = await web.request('POST', '/settings/password', { jar: admin, form });
      assert.is(r.status, 403);
      assert.match(r.body, /security token/);
    }
    assert.is((await tryWeb(web, 'user', '123')).status, 303, 'the user password is unchanged');
    assert.ok(web.phone.log().some((l) => /\|web\|3\|.*POST refused \(403\): CSRF token missing/.test(l)));
    assert.ok(web.phone.log().some((l) => /\|web\|3\|.*POST refused \(403\): CSRF token wrong/.test(l)));
    // Login CSRF: a login posted without the login form's token is refused before the password is checked.
    const jar = new CookieJar();
    await web.request('GET', '/login', { jar });
    const forged = await web.request('POST', '/login', { jar, form: { role: 'user', password: '123' } });
    assert.is(forged.status, 403);
    // Logout needs the token too.
    assert.is((await web.request('POST', '/logout', { jar: admin, form: {} })).status, 403);
    assert.is((await web.request('GET', '/settings/password', { jar: admin })).status, 200, 'still logged in');
  } finally {
    web.close();
  }
});

test('path traversal and malformed targets are refused (400), logged, and the server keeps serving', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    const targets = [
      '/../settings/password', '/settings/../settings/password', '/%2e%2e/settings/password', '/settings/%2E%2E/password',
      '/settings%2fpassword', '/settings%2Fpassword', '/settings%5cpassword', '/settings\\password', '/%zz', '/a%00b',
      `/${'a'.repeat(3000)}`,
    ];
    for (const target of targets) {
      const r = await web.request('GET', target, { jar: user });
      assert.is(r.status, 400, target);
      assert.match(r.body, /The request was refused/);
    }
    const refused = web.phone.log().filter((l) => /\|web\|3\|.*request refused \(400\)/.test(l));
    assert.ok(refused.length >= targets.length - 1, refused.join('\n'));
    assert.ok(refused.some((l) => /path traversal/.test(l)));
    assert.ok(refused.some((l) => /encoded slash/.test(l)));
    // `//` is normalised, not refused; the server still answers.
    assert.is((await web.request('GET', '//settings//password', { jar: user })).status, 200);
  } finally {
    web.close();
  }
});

test('bad input from outside: oversized body (413), broken multipart, unknown form type, bad cookie: each refused alone, logged, server keeps serving', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    const token = csrfOf((await web.request('GET', '/settings/password', { jar: user })).body);
    const big = await web.request('POST', '/settings/password', { jar: user, body: Buffer.alloc(300 * 1024, 0x61), contentType: 'application/x-www-form-urlencoded' });
    assert.is(big.status, 413);
    assert.ok(web.phone.log().some((l) => /\[sim\] httpd: https POST refused \(413\)/.test(l)));
    const broken = [
      { contentType: 'multipart/form-data', body: `--x\r\n` },
      { contentType: 'multipart/form-data; boundary=xyz', body: `--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${token}` },
      { contentType: 'multipart/form-data; boundary=xyz', body: `garbage\r\n--xyz--\r\n` },
      { contentType: 'multipart/form-data; boundary=xyz', body: `--xyz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n` },
      { contentType: 'application/json', body: '{"csrf":"x"}' },
      { contentType: 'application/x-www-form-urlencoded', body: `csrf=${token}&role=%E0%A4%A` },
    ];
    for (const b of broken) {
      const r = await web.request('POST', '/settings/password', { jar: user, ...b });
      assert.is(r.status, 400, `${b.contentType}: ${b.body.slice(0, 30)}`);
    }
    const refused = web.phone.log().filter((l) => /\|web\|3\|.*request refused \(400\)/.test(l));
    assert.is(refused.length, broken.length, refused.join('\n'));
    // A well-formed multipart form is accepted (and checked like any form).
    const ok = `--xyz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${token}\r\n--xyz\r\nContent-Disposition: form-data; name="role"\r\n\r\nuser\r\n--xyz\r\nContent-Disposition: form-data; name="current"\r\n\r\n000\r\n--xyz--\r\n`;
    const multipart = await web.request('POST', '/settings/password', { jar: user, contentType: 'multipart/form-data; boundary=xyz', body: ok });
    assert.is(multipart.status, 400);
    assert.match(multipart.body, /Incorrect password/, 'parsed and handed to the page');
    // A malformed session cookie: logged, treated as no session.
    const bad = new CookieJar();
    bad.cookies.set(`__Host-phone-${web.phone.mac}`, '../../etc<script>');
    const r = await web.request('GET', '/settings/password', { jar: bad });
    assert.is(r.status, 303);
    assert.ok(web.phone.log().some((l) => /\|web\|3\|.*malformed session cookie ignored/.test(l)));
    // Node's HTTP parser refuses a broken request line before the firmware: 400 from the host, logged.
    const raw = await rawRequest(web.baseUrl, web.caPem, web.serverName, 'GET /a b c\r\n\r\n');
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.is((await web.request('GET', '/settings/password', { jar: user })).status, 200, 'still serving');
    assert.equal(web.phone.faults, []);
  } finally {
    web.close();
  }
});

test('no secret is ever sent to the browser; no web password or session secret is on flash in clear', async () => {
  const web = await bootWebPhone();
  try {
    const bodies: string[] = [];
    const keep = async (p: Promise<WebResponse>) => { const r = await p; bodies.push(r.body + JSON.stringify(r.headers)); return r; };
    const admin = await adminWithNewPassword(web, 'Sesame2468');
    const user = await web.login('user', '123');
    const page = await keep(web.request('GET', '/settings/password', { jar: admin }));
    await keep(web.request('POST', '/settings/password', { jar: admin, form: { csrf: csrfOf(page.body), role: 'user', current: 'Sesame2468', next: 'Ufo97531', confirm: 'Ufo97531' } }));
    await keep(web.request('GET', '/settings/password', { jar: admin }));
    await keep(web.request('GET', '/settings/password', { jar: user }));
    await keep(web.request('GET', '/login'));
    for (const b of bodies) {
      for (const secret of ['Sesame2468', 'Ufo97531', 'pbkdf2', 'PRIVATE KEY']) assert.not.ok(b.includes(secret), `${secret} sent to the browser`);
    }
    // Flash: sessions are RAM only, passwords only as PBKDF2 hashes in the sealed device settings.
    const sessionIds = [admin.session()!, user.session()!];
    const tokens = [csrfOf(page.body)];
    const hits = findRawStrings(web.phone.dumpFlash(), ['Sesame2468', 'Ufo97531', ...sessionIds, ...tokens], web.phone.profile.flash);
    assert.equal(hits.map((h) => `${h.needle} (${h.encoding}) in ${h.partition}`), []);
    assert.not.ok(web.phone.log().some((l) => ['Sesame2468', 'Ufo97531', ...sessionIds, ...tokens].some((s) => l.includes(s))), 'nor in the log');
  } finally {
    web.close();
  }
});

function rawRequest(baseUrl: string, caPem: string, serverName: string, text: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tls = require('tls') as typeof import('tls');
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: Number(u.port), ca: caPem, servername: serverName }, () => socket.write(text));
    let out = '';
    socket.on('data', (d) => { out += d.toString(); });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test.run();
