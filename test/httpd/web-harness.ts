/**
 * Drives a simulated phone's web interface over real HTTPS on 127.0.0.1:
 * boots the real bundle in QuickJS (test/helpers/sim.ts), waits for its web
 * server, pins the phone's own certificate as the only CA (so every request
 * also checks that certificate: signature, name, validity), and speaks
 * HTTP with a small cookie jar.
 *
 *   const web = await bootWebPhone();
 *   const admin = await web.login('admin', '456');           // a CookieJar
 *   const page = await web.request('GET', '/settings/password', { jar: admin });
 *   await web.request('POST', '/x', { jar: admin, form: { csrf: csrfOf(page.body), a: '1' } });
 *   web.close();
 */
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import type { Phone } from '../../sim/phone';
import type { PhoneOptions } from '../../sim/phone-api';
import { bootPhone } from '../helpers/sim';

export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }

  take(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The phone's session cookie value (undefined: none). */
  session(): string | undefined {
    for (const [name, value] of this.cookies) if (/^(__Host-)?phone-/.test(name)) return value;
    return undefined;
  }
}

export interface WebResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bytes: Buffer;
}

export interface RequestOptions {
  jar?: CookieJar;
  /** urlencoded form body (POST). */
  form?: Record<string, string>;
  /** Raw body with its content type. */
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Plain HTTP to the phone's http listener instead of HTTPS. */
  plain?: boolean;
  /** Send the target as is (no URL normalisation): traversal tests. */
  rawTarget?: boolean;
}

export interface WebPhone {
  phone: Phone;
  /** https://127.0.0.1:PORT */
  baseUrl: string;
  /** http://127.0.0.1:PORT (null: no plain listener) */
  httpUrl: string | null;
  /** The phone's certificate (self-signed): the only CA the harness trusts. */
  caPem: string;
  /** The name in the certificate (`phone-<mac>.local`): sent as SNI and checked. */
  serverName: string;
  request(method: string, target: string, options?: RequestOptions): Promise<WebResponse>;
  /** GET /login, POST the password; throws unless the server answered 303 with a session. */
  login(role: 'admin' | 'user', password: string): Promise<CookieJar>;
  /** Re-read the URLs and certificate after a reboot or a switch. */
  refresh(): Promise<void>;
  close(): void;
}

/** The admin password the tests set in place of the default (any that the policy takes). */
export const NEW_ADMIN = '97531';

/** Log in with the default admin password and replace it (what every admin test starts with); the jar is logged in as admin. */
export async function adminWithNewPassword(web: WebPhone, password = NEW_ADMIN): Promise<CookieJar> {
  const jar = await web.login('admin', '456');
  const page = await web.request('GET', '/settings/password', { jar });
  const changed = await web.request('POST', '/settings/password', { jar, form: { csrf: csrfOf(page.body), role: 'admin', current: '456', next: password, confirm: password } });
  if (changed.status !== 303) throw new Error(`admin password change answered ${changed.status}:\n${changed.body.slice(0, 600)}`);
  return jar;
}

/** The hidden CSRF field of the first form of a page. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([0-9a-f]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF field in the page:\n${html.slice(0, 400)}`);
  return m[1];
}

/** Wait (real time, settling the phone) until its web server listens. */
export async function waitForWeb(phone: Phone, scheme: 'https' | 'http' = 'https'): Promise<string> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const url = phone.webUrls()[scheme];
    if (url) return url;
    if (Date.now() > deadline) throw new Error(`the phone's web server never listened on ${scheme}; log:\n${phone.log().slice(-20).join('\n')}`);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The certificate a TLS server presents, as PEM (read without trusting it: the pinned CA from then on). */
export function peerCertificatePem(url: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`);
    });
    socket.once('error', reject);
  });
}

export async function bootWebPhone(options: Partial<PhoneOptions> = {}): Promise<WebPhone> {
  const phone = await bootPhone(options);
  const web: WebPhone = {
    phone,
    baseUrl: '',
    httpUrl: null,
    caPem: '',
    serverName: `phone-${phone.mac.toLowerCase()}.local`,
    async refresh() {
      web.baseUrl = await waitForWeb(phone);
      web.httpUrl = phone.webUrls().http;
      web.caPem = await peerCertificatePem(web.baseUrl);
    },
    request: (method, target, o = {}) => send(web, method, target, o),
    async login(role, password) {
      const jar = new CookieJar();
      const form = await web.request('GET', '/login', { jar });
      const answer = await web.request('POST', '/login', { jar, form: { csrf: csrfOf(form.body), role, password } });
      if (answer.status !== 303) throw new Error(`login as ${role} answered ${answer.status}:\n${answer.body.slice(0, 600)}`);
      return jar;
    },
    close: () => phone.dispose(),
  };
  try {
    await web.refresh();
  } catch (e) {
    phone.dispose();
    throw e;
  }
  return web;
}

function send(web: WebPhone, method: string, target: string, o: RequestOptions): Promise<WebResponse> {
  const base = new URL(o.plain ? web.httpUrl ?? 'http://127.0.0.1:1' : web.baseUrl);
  const body = o.form ? Buffer.from(new URLSearchParams(o.form).toString()) : o.body === undefined ? undefined : Buffer.from(o.body);
  const headers: Record<string, string> = { host: `127.0.0.1:${base.port}`, ...(o.headers ?? {}) };
  if (o.jar && o.jar.cookies.size > 0) headers.cookie = o.jar.header();
  if (body) {
    headers['content-type'] = o.contentType ?? 'application/x-www-form-urlencoded';
    headers['content-length'] = String(body.length);
  }
  const options: https.RequestOptions = {
    method, host: '127.0.0.1', port: Number(base.port), path: target, headers, agent: false,
    ...(o.plain ? {} : { ca: web.caPem, servername: web.serverName, checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(web.serverName, cert) }),
  };
  return new Promise((resolve, reject) => {
    const req = (o.plain ? http : https).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        o.jar?.take(res.headers['set-cookie']);
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
