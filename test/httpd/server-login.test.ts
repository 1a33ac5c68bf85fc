/**
 * The web server's login, sessions and transport, against the real bundle in
 * QuickJS over real HTTPS on 127.0.0.1 (web-harness.ts): the forced change of
 * the default admin password, Admin and User logins, logout, the idle
 * timeout on virtual time, session fixation, http → https, security headers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootWebPhone, CookieJar, csrfOf, NEW_ADMIN } from './web-harness';

test('admin with the default password: every page sends to Change Password until it is replaced; then pages open', async () => {
  const web = await bootWebPhone();
  try {
    const jar = await web.login('admin', '456');
    for (const path of ['/', '/settings/parameters', '/diagnostics/logs']) {
      const r = await web.request('GET', path, { jar });
      assert.is(r.status, 303, path);
      assert.is(r.headers.location, '/settings/password');
    }
    const page = await web.request('GET', '/settings/password', { jar });
    assert.match(page.body, /Change the default admin password/);
    assert.not.match(page.body, /<nav>/, 'no navigation while the change is pending');
    const same = await web.request('POST', '/settings/password', { jar, form: { csrf: csrfOf(page.body), role: 'admin', current: '456', next: '456', confirm: '456' } });
    assert.is(same.status, 400, 'the default is refused as the new password');
    const changed = await web.request('POST', '/settings/password', { jar, form: { csrf: csrfOf(page.body), role: 'admin', current: '456', next: NEW_ADMIN, confirm: NEW_ADMIN } });
    assert.is(changed.status, 303);
    const after = await web.request('GET', '/settings/password', { jar });
    assert.match(after.body, /Admin password changed/);
    assert.match(after.body, /<nav>/);
    assert.ok(web.phone.log().some((l) => /\|auth\|.*security: admin password changed/.test(l)), 'audited as at the keypad');
    // The keypad takes the new password too (one vault).
    const fresh = await web.login('admin', NEW_ADMIN);
    assert.is((await web.request('GET', '/settings/password', { jar: fresh })).status, 200);
  } finally {
    web.close();
  }
});

test('User login with 123; the admin password also opens a User login; a wrong password is refused with 401', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    const page = await web.request('GET', '/settings/password', { jar: user });
    assert.is(page.status, 200);
    assert.match(page.body, /<span class="role">User<\/span>/);
    assert.not.match(page.body, /value="admin"/, 'a user changes only the user password');
    const jar = new CookieJar();
    const form = await web.request('GET', '/login', { jar });
    const wrong = await web.request('POST', '/login', { jar, form: { csrf: csrfOf(form.body), role: 'user', password: '999' } });
    assert.is(wrong.status, 401);
    assert.match(wrong.body, /Incorrect password/);
    assert.not.match(wrong.body, /999/, 'the typed password is not echoed');
    const asAdmin = await web.request('POST', '/login', { jar, form: { csrf: csrfOf(wrong.body), role: 'admin', password: '123' } });
    assert.is(asAdmin.status, 401, 'the user password does not open an Admin login');
  } finally {
    web.close();
  }
});

test('a User session cannot change the admin password (403) and the admin password stays', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    const page = await web.request('GET', '/settings/password', { jar: user });
    const r = await web.request('POST', '/settings/password', { jar: user, form: { csrf: csrfOf(page.body), role: 'admin', current: '123', next: '24680', confirm: '24680' } });
    assert.is(r.status, 403);
    await web.login('admin', '456'); // still the default: the login works (and would force the change)
  } finally {
    web.close();
  }
});

test('logout ends the session: the old cookie opens nothing and GET /logout is refused', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    const id = user.session()!;
    const page = await web.request('GET', '/settings/password', { jar: user });
    assert.is((await web.request('GET', '/logout', { jar: user })).status, 405);
    const out = await web.request('POST', '/logout', { jar: user, form: { csrf: csrfOf(page.body) } });
    assert.is(out.status, 303);
    assert.is(out.headers.location, '/login');
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const replay = new CookieJar();
    replay.cookies.set(`__Host-phone-${web.phone.mac}`, id);
    const r = await web.request('GET', '/settings/password', { jar: replay });
    assert.is(r.status, 303);
    assert.is(r.headers.location, '/login');
    assert.ok(web.phone.log().some((l) => /web session.*by user: success \(logged out\)/.test(l)));
  } finally {
    web.close();
  }
});

test('idle timeout on virtual time (httpd.cfg.sessionTimeout, default 10 min): activity keeps the session, silence ends it', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    await web.phone.advance(9 * 60_000);
    assert.is((await web.request('GET', '/settings/password', { jar: user })).status, 200, 'within the timeout');
    await web.phone.advance(9 * 60_000);
    assert.is((await web.request('GET', '/settings/password', { jar: user })).status, 200, 'the last request restarted the timer');
    await web.phone.advance(10 * 60_000 + 1000);
    const r = await web.request('GET', '/settings/password', { jar: user });
    assert.is(r.status, 303);
    assert.is(r.headers.location, '/login');
    const login = await web.request('GET', '/login', { jar: user });
    assert.match(login.body, /session ended after a time without activity/);
    assert.ok(web.phone.log().some((l) => /ended after the idle timeout/.test(l)));
  } finally {
    web.close();
  }
});

test('session fixation: the id a browser holds before login (given or planted) is never the session after login', async () => {
  const web = await bootWebPhone();
  try {
    const jar = new CookieJar();
    const form = await web.request('GET', '/login', { jar });
    const before = jar.session();
    assert.ok(before, 'a pre-login session carries the login form\'s CSRF token');
    const login = await web.request('POST', '/login', { jar, form: { csrf: csrfOf(form.body), role: 'user', password: '123' } });
    assert.is(login.status, 303);
    assert.ok(jar.session() && jar.session() !== before, 'a fresh id at login');
    const stale = new CookieJar();
    stale.cookies.set(`__Host-phone-${web.phone.mac}`, before!);
    assert.is((await web.request('GET', '/settings/password', { jar: stale })).status, 303, 'the pre-login id is not logged in');
    const planted = new CookieJar();
    planted.cookies.set(`__Host-phone-${web.phone.mac}`, 'a'.repeat(64));
    const f = await web.request('GET', '/login', { jar: planted });
    assert.is.not(planted.session(), 'a'.repeat(64), 'an unknown id is replaced at once');
    await web.request('POST', '/login', { jar: planted, form: { csrf: csrfOf(f.body), role: 'user', password: '123' } });
    assert.is.not(planted.session(), 'a'.repeat(64));
  } finally {
    web.close();
  }
});

test('cookies: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/; security headers on every answer', async () => {
  const web = await bootWebPhone();
  try {
    const jar = new CookieJar();
    const form = await web.request('GET', '/login', { jar });
    const cookie = String(form.headers['set-cookie']);
    assert.match(cookie, new RegExp(`^__Host-phone-${web.phone.mac}=[0-9a-f]{64}; Path=/; Secure; HttpOnly; SameSite=Strict$`));
    for (const r of [form, await web.request('GET', '/nothing-here', { jar }), await web.request('GET', '/style.css')]) {
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
      assert.not.match(String(r.headers['content-security-policy']), /script-src|unsafe-inline/);
      assert.is(r.headers['x-frame-options'], 'DENY');
      assert.is(r.headers['cache-control'], 'no-store');
      assert.is(r.headers['x-content-type-options'], 'nosniff');
    }
    assert.not.match(form.body, /<script|\sstyle=|\son\w+="/, 'no script, inline style or handler in the markup');
    const css = await web.request('GET', '/style.css');
    assert.is(css.status, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);
  } finally {
    web.close();
  }
});

test('plain HTTP redirects (301) to the HTTPS port, also with httpd.cfg.secureTunnelRequired=1; no page is served in clear', async () => {
  const web = await bootWebPhone();
  try {
    const httpsPort = new URL(web.baseUrl).port;
    for (const target of ['/login', '/settings/password?x=1']) {
      const r = await web.request('GET', target, { plain: true });
      assert.is(r.status, 301);
      assert.is(r.headers.location, `https://127.0.0.1:${httpsPort}${target}`);
      assert.is(r.body, '');
    }
    const post = await web.request('POST', '/login', { plain: true, form: { role: 'admin', password: '456' } });
    assert.is(post.status, 301);
    assert.not.ok(web.phone.log().some((l) => /web password/.test(l)), 'a password sent in clear is not even checked');
  } finally {
    web.close();
  }
});

test('unknown page 404, a method a page does not take 405', async () => {
  const web = await bootWebPhone();
  try {
    const user = await web.login('user', '123');
    assert.is((await web.request('GET', '/no/such/page', { jar: user })).status, 404);
    assert.is((await web.request('PUT', '/settings/password', { jar: user })).status, 405);
    assert.is((await web.request('DELETE', '/login', { jar: user })).status, 405);
    assert.is((await web.request('POST', '/style.css', { jar: user, form: {} })).status, 405);
  } finally {
    web.close();
  }
});

test.run();
