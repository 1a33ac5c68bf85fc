/**
 * The phone's web server (Web Configuration Utility): turns each HAL request
 * into a page answer. It owns what every page relies on:
 *
 * - request parsing (http-request-parsing.ts): a bad target, form or body is
 *   answered 400 alone, logged, and the server keeps serving;
 * - transport: while HTTPS is on, plain HTTP only redirects (301) to HTTPS
 *   (always, not only with `httpd.cfg.secureTunnelRequired=1`: a password
 *   never crosses the network in clear);
 * - login as Admin or User through the keypad's AuthService (one throttle,
 *   one lockout, one audit trail for both), the forced change of the default
 *   admin password before any other page, logout, idle timeout;
 * - sessions (web-sessions.ts) in a `__Host-` cookie (Secure, HttpOnly,
 *   SameSite=Strict, Path=/), a CSRF token checked on every POST;
 * - access: a User session gets 403 on admin pages; unknown paths 404, a
 *   method a page does not take 405; `httpd.cfg.enabled=0` answers 403;
 * - security headers on every answer (CSP without script, no framing,
 *   no-store, nosniff, no referrer).
 */
import type { HttpServerRequest, HttpServerResponse } from '../../hal/contract';
import type { AuthService } from '../auth/auth-service';
import type { Role } from '../auth/password-vault';
import { describeError } from '../kernel/guard';
import type { ComponentLogger } from '../kernel/logger';
import { utf8Encode } from '../kernel/text-codec';
import { BadRequest, parseCookies, parseForm, parseTarget } from './http-request-parsing';
import type { Html } from './html';
import type { WebPage, WebRequest, WebResult } from './web-page';
import { isSessionId, WebSessions, type SessionState } from './web-sessions';
import { loginBody, messageBody, renderShell, STYLESHEET } from './web-shell';

export const LOGIN_PATH = '/login';
export const LOGOUT_PATH = '/logout';
export const STYLE_PATH = '/style.css';
export const PASSWORD_PATH = '/settings/password';

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/** What the server reads of the configuration at each request (web-module.ts binds it). */
export interface WebServerSettings {
  /** `httpd.cfg.enabled`. */
  pagesEnabled(): boolean;
  /** The HTTPS listener's port as actually listened on (0: HTTPS off): where plain HTTP redirects to. */
  httpsPort(): number;
  idleMs(): number;
}

export interface WebServerDeps {
  auth: AuthService;
  sessions: WebSessions;
  pages: readonly WebPage[];
  settings: WebServerSettings;
  log: ComponentLogger;
  /** Model and MAC shown in the header. */
  device: string;
  /** The phone's own MAC: part of the cookie name (browsers share cookies between ports of one host). */
  mac: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Session ids to set in the cookie; '' clears it. */
  cookies?: string[];
}

export class WebServer {
  private readonly byPath = new Map<string, WebPage>();

  constructor(private readonly d: WebServerDeps) {
    for (const page of d.pages) {
      if (this.byPath.has(page.path)) throw new Error(`two web pages answer ${page.path}`);
      this.byPath.set(page.path, page);
    }
  }

  /** The HAL's request handler: answers exactly once, even when a page fails or is asynchronous. */
  handle(request: HttpServerRequest, respond: (response: HttpServerResponse) => void): void {
    const send = (a: Answer) => respond(this.response(a, request.secure));
    let answer: Answer | Promise<Answer>;
    try {
      answer = this.route(request);
    } catch (e) {
      answer = this.failure(request, e);
    }
    if (answer instanceof Promise) answer.then(send, (e) => send(this.failure(request, e)));
    else send(answer);
  }

  private failure(request: HttpServerRequest, e: unknown): Answer {
    if (e instanceof BadRequest) {
      this.d.log.warning(`request refused (400): ${e.message} (${request.method} from ${request.remoteAddress})`);
      return this.page(400, 'Bad Request', messageBody(`The request was refused: ${e.message}.`));
    }
    this.d.log.error(`page failed: ${describeError(e)}`);
    return this.page(500, 'Error', messageBody('The page failed; see the phone log.'));
  }

  private route(request: HttpServerRequest): Answer | Promise<Answer> {
    const target = parseTarget(request.target);
    const httpsPort = this.d.settings.httpsPort();
    if (!request.secure && httpsPort > 0) return this.redirectToHttps(request, httpsPort);
    if (!this.d.settings.pagesEnabled()) {
      return this.page(403, 'Forbidden', messageBody('The Web Configuration Utility is turned off on this phone (httpd.cfg.enabled=0).'));
    }
    const method = request.method.toUpperCase();
    if (target.path === STYLE_PATH) {
      if (method !== 'GET') return this.methodNotAllowed('GET');
      return { status: 200, headers: { 'content-type': 'text/css; charset=utf-8' }, body: STYLESHEET };
    }
    const found = this.sessionOf(request);
    if (target.path === LOGIN_PATH) return this.login(request, method, found.session);
    if (method !== 'GET' && method !== 'POST') return this.methodNotAllowed('GET, POST');
    const session = found.session?.loggedIn ? found.session : null;
    if (!session) {
      return this.seeOther(LOGIN_PATH, found.expired ? { notice: 'Your session ended after a time without activity. Please log in again.' } : {});
    }
    const form = method === 'POST' ? this.checkedForm(request, session) : null;
    if (form instanceof Error) return this.page(403, 'Forbidden', messageBody(form.message), session);
    if (target.path === LOGOUT_PATH) {
      if (method !== 'POST') return this.methodNotAllowed('POST');
      this.d.sessions.end(session);
      this.d.auth.audit.attempt({ prompt: 'web session', menu: 'Web Configuration Utility', who: session.role, result: 'success', detail: 'logged out' });
      return this.seeOther(LOGIN_PATH, { clearCookie: true, notice: null });
    }
    if (session.mustChangeAdmin && !this.d.auth.vault.isDefault('admin')) session.mustChangeAdmin = false;
    if (session.mustChangeAdmin && target.path !== PASSWORD_PATH) {
      session.notice = 'Change the default admin password before anything else.';
      return this.seeOther(PASSWORD_PATH);
    }
    const page = this.byPath.get(target.path);
    if (!page) return this.page(404, 'Not Found', messageBody('There is no such page.'), session);
    if (page.access === 'admin' && session.role !== 'admin') {
      this.d.log.warning(`user session refused (403) on an admin page: ${page.path}`);
      return this.page(403, 'Forbidden', messageBody('This page needs an Admin login.'), session);
    }
    if (method === 'POST' && !page.post) return this.methodNotAllowed('GET');
    const webRequest: WebRequest = {
      method: method as 'GET' | 'POST',
      path: target.path,
      query: target.query,
      form: form ? form.form : {},
      files: form ? form.files : {},
      session: { role: session.role, csrfToken: session.csrfToken },
    };
    const result = method === 'POST' ? page.post!(webRequest) : page.get(webRequest);
    return result instanceof Promise ? result.then((r) => this.render(r, session)) : this.render(result, session);
  }

  private render(result: WebResult, session: SessionState): Answer {
    if (result.kind === 'redirect') {
      if (result.notice) session.notice = result.notice;
      return this.seeOther(result.to);
    }
    if (result.kind === 'download') {
      const fileName = result.fileName.replace(/[^\w.-]/g, '_');
      return { status: 200, headers: { 'content-type': result.contentType, 'content-disposition': `attachment; filename="${fileName}"` }, body: result.bytes };
    }
    return this.page(result.status ?? 200, result.title, result.body, session);
  }

  /** Login page: GET shows the form under a pre-login session; POST checks the password like the keypad does. */
  private login(request: HttpServerRequest, method: string, current: SessionState | null): Answer {
    if (method === 'GET') {
      if (current?.loggedIn) return this.seeOther('/');
      const pre = current ?? this.d.sessions.create(null);
      return this.loginPage(200, pre, null, 'admin', current === null);
    }
    if (method !== 'POST') return this.methodNotAllowed('GET, POST');
    if (!current || current.loggedIn) return this.seeOther(LOGIN_PATH);
    const form = this.checkedForm(request, current);
    if (form instanceof Error) return this.loginPage(403, current, form.message, 'admin', false);
    const role: Role = form.form.role === 'user' ? 'user' : 'admin';
    const result = this.d.auth.tryWebLogin(role, form.form.password ?? '');
    if (result.kind === 'refused') return this.loginPage(401, current, result.message, role, false);
    // A fresh id at login: whatever id the browser had before (planted or not) is not the session.
    this.d.sessions.end(current);
    const session = this.d.sessions.create(role, result.kind === 'mustChangeAdmin');
    if (session.mustChangeAdmin) {
      session.notice = 'You are using the default admin password: change it before anything else.';
      return this.seeOther(PASSWORD_PATH, { setSession: session });
    }
    return this.seeOther('/', { setSession: session });
  }

  private loginPage(status: number, pre: SessionState, error: string | null, role: Role, setCookie: boolean): Answer {
    const notice = pre.notice;
    pre.notice = null;
    const text = renderShell({ title: 'Login', body: loginBody(pre, error, role), notice, device: this.d.device });
    return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text, cookies: setCookie ? [pre.id] : [] };
  }

  /** The form of a POST, its CSRF token checked and removed; an Error (answered 403) when the token is missing or wrong. */
  private checkedForm(request: HttpServerRequest, session: SessionState) {
    const parsed = parseForm(request.headers['content-type'] ?? '', request.body);
    const token = parsed.form.csrf ?? '';
    delete parsed.form.csrf;
    if (!sameText(token, session.csrfToken)) {
      this.d.log.warning(`POST refused (403): CSRF token ${token ? 'wrong' : 'missing'} (from ${request.remoteAddress})`);
      return new Error('The form was refused: its security token is missing or out of date. Reload the page and try again.');
    }
    return parsed;
  }

  private sessionOf(request: HttpServerRequest): { session: SessionState | null; expired: SessionState | null } {
    const raw = parseCookies(request.headers.cookie ?? '')[this.cookieName(request.secure)];
    if (raw === undefined) return { session: null, expired: null };
    if (!isSessionId(raw)) {
      this.d.log.warning(`malformed session cookie ignored (from ${request.remoteAddress})`);
      return { session: null, expired: null };
    }
    const found = this.d.sessions.find(raw, this.d.settings.idleMs());
    if (found.expired?.loggedIn) {
      this.d.auth.audit.attempt({ prompt: 'web session', menu: 'Web Configuration Utility', who: found.expired.role, result: 'success', detail: 'ended after the idle timeout' });
    }
    return found;
  }

  /**
   * `__Host-`: Secure, Path=/, no Domain, so no other site or port can set it. With HTTPS off
   * (secureTunnelEnabled=0, a choice the log warns about) a browser keeps no Secure cookie over HTTP.
   */
  private cookieName(secure: boolean): string {
    return secure ? `__Host-phone-${this.d.mac}` : `phone-${this.d.mac}`;
  }

  private sessionCookie(id: string, secure: boolean): string {
    const attributes = `Path=/;${secure ? ' Secure;' : ''} HttpOnly; SameSite=Strict`;
    return id ? `${this.cookieName(secure)}=${id}; ${attributes}` : `${this.cookieName(secure)}=; ${attributes}; Max-Age=0`;
  }

  private seeOther(to: string, o: { setSession?: SessionState; clearCookie?: boolean; notice?: string | null } = {}): Answer {
    const cookies: string[] = [];
    if (o.setSession) cookies.push(o.setSession.id);
    if (o.clearCookie) cookies.push('');
    if (o.notice) {
      // Before login the notice needs a pre-login session to travel in.
      const pre = this.d.sessions.create(null);
      pre.notice = o.notice;
      cookies.push(pre.id);
    }
    return { status: 303, headers: { location: to }, cookies };
  }

  private redirectToHttps(request: HttpServerRequest, httpsPort: number): Answer {
    const hostHeader = request.headers.host ?? '';
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d+)?$/.exec(hostHeader);
    if (!m) throw new BadRequest('missing or malformed Host header on plain HTTP');
    const port = httpsPort === 443 ? '' : `:${httpsPort}`;
    return { status: 301, headers: { location: `https://${m[1]}${port}${request.target}` }, body: '' };
  }

  private methodNotAllowed(allow: string): Answer {
    return { ...this.page(405, 'Method Not Allowed', messageBody('This page does not take that request.')), headers: { 'content-type': 'text/html; charset=utf-8', allow } };
  }

  private page(status: number, title: string, body: Html, session?: SessionState): Answer {
    const notice = session?.notice ?? null;
    if (session) session.notice = null;
    const text = renderShell({ title, body, session: session?.loggedIn ? session : undefined, pages: this.d.pages, notice, device: this.d.device });
    return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text };
  }

  private response(a: Answer, secure: boolean): HttpServerResponse {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, ...(a.headers ?? {}) };
    if (secure) headers['strict-transport-security'] = 'max-age=31536000';
    if (a.cookies && a.cookies.length > 0) headers['set-cookie'] = a.cookies.map((id) => this.sessionCookie(id, secure)).join('\n');
    const body = a.body === undefined ? new Uint8Array(0) : typeof a.body === 'string' ? utf8Encode(a.body) : a.body;
    return { status: a.status, headers, body };
  }
}

/** Compare without an early exit (the token is a secret). */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0 && a.length > 0;
}
