/**
 * The phone's network on every Node host (the Linux board; the simulator
 * re-exports it from sim/devices/net.ts): real HTTP and HTTPS, answering basic and
 * digest challenges with the request's credentials, with timeouts, a body size
 * limit and certificate checks against the CAs the firmware trusts. The link
 * state is set by the host (`setLink`): the board follows its interface's
 * operstate (link-state-monitor.ts), the simulator its panel.
 *
 * URLs under a prefix given to `serveFolder` (e.g. `sim://prov/`) are served
 * from a host folder without any server — the simulator's built-in
 * provisioning folder — with GET (ETag / If-None-Match), PUT and DELETE.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import type { Net, NetRequest, NetResponse } from '../contract';

const DEFAULT_TIMEOUT_MS = 15000;

/** A finished request: status (or the error code), bytes each way, real time taken. */
export interface NetRequestDone {
  method: string;
  url: string;
  status: number | string;
  bytesSent: number;
  bytesReceived: number;
  ms: number;
}
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
/** Largest piece handed to `onBodyChunk` (hal/contract.ts). */
const MAX_CHUNK_BYTES = 64 * 1024;

export class HostNet implements Net {
  private up = true;
  private linkHandler: ((up: boolean) => void) | null = null;
  private folders: { prefix: string; dir: string }[] = [];
  /** Origins that asked for Basic auth: later requests send the credentials at once (as curl and browsers do), saving a 401 round trip. */
  private readonly basicOrigins = new Set<string>();
  /** Requests the firmware made, for tests and the panel: method, url, bytes sent. */
  readonly requests: { method: string; url: string; status: number | string; bytesSent: number }[] = [];
  private readonly doneListeners: ((done: NetRequestDone) => void)[] = [];

  /** Told when a request finishes (answered or failed): the simulator's network trace. */
  onRequestDone(listener: (done: NetRequestDone) => void): () => void {
    this.doneListeners.push(listener);
    return () => this.doneListeners.splice(this.doneListeners.indexOf(listener), 1);
  }

  serveFolder(prefix: string, dir: string): void {
    this.folders.push({ prefix, dir: path.resolve(dir) });
  }

  linkUp(): boolean {
    return this.up;
  }

  onLink(handler: (up: boolean) => void): void {
    this.linkHandler = handler;
  }

  setLink(up: boolean): void {
    this.up = up;
    this.linkHandler?.(up);
  }

  detach(): void {
    this.linkHandler = null;
  }

  async request(req: NetRequest): Promise<NetResponse> {
    const record = { method: req.method, url: req.url, status: 0 as number | string, bytesSent: 0 };
    this.requests.push(record);
    const started = performance.now();
    // A streamed body arrives in pieces, not in the response: its bytes are counted as they pass.
    let streamed = 0;
    const sink = req.onBodyChunk;
    if (sink) req = { ...req, onBodyChunk: (chunk) => { streamed += chunk.length; sink(chunk); } };
    const done = (bytesReceived: number) => {
      const d = { ...record, bytesSent: record.bytesSent || (req.body?.length ?? 0), bytesReceived: bytesReceived + streamed, ms: Math.round(performance.now() - started) };
      for (const l of this.doneListeners) l(d);
    };
    try {
      if (!this.up) throw new Error('link-down: network link is down');
      const folder = this.folders.find((f) => req.url.startsWith(f.prefix));
      const res = folder ? serveFromFolder(folder, req) : await httpRequest(req, record, this.basicOrigins);
      record.status = res.status;
      done(res.body.length);
      return res;
    } catch (e) {
      record.status = (e as Error).message.split(':')[0];
      done(0);
      throw e;
    }
  }
}

function serveFromFolder(folder: { prefix: string; dir: string }, req: NetRequest): NetResponse {
  let rel: string;
  try {
    rel = decodeURIComponent(req.url.slice(folder.prefix.length).split('?')[0]);
  } catch {
    return text(400, 'bad request: malformed %-escape in the path'); // as a web server answers
  }
  const file = path.resolve(folder.dir, rel);
  if (!file.startsWith(folder.dir + path.sep)) return text(403, 'forbidden');
  const headers = (req.headers ?? {}) as Record<string, string>;
  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return text(404, 'not found');
      const body = fs.readFileSync(file);
      const etag = `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      const inm = Object.entries(headers).find(([k]) => k.toLowerCase() === 'if-none-match')?.[1];
      if (inm === etag) return { status: 304, headers: { etag }, body: new Uint8Array(0) };
      if (req.maxBodyBytes !== undefined && body.length > req.maxBodyBytes) throw new Error(`too-large: ${req.url} is ${body.length} bytes`);
      const headers200 = { etag, 'content-length': String(body.length) };
      if (req.method === 'HEAD') return { status: 200, headers: headers200, body: new Uint8Array(0) };
      if (req.onBodyChunk) {
        for (let at = 0; at < body.length; at += MAX_CHUNK_BYTES) req.onBodyChunk(new Uint8Array(body.subarray(at, at + MAX_CHUNK_BYTES)));
        return { status: 200, headers: headers200, body: new Uint8Array(0) };
      }
      return { status: 200, headers: headers200, body: new Uint8Array(body) };
    }
    case 'PUT':
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Replace by a new file: truncating an old one makes ext4 flush it first (auto_da_alloc), ~2 ms a PUT.
      fs.rmSync(file, { force: true });
      fs.writeFileSync(file, req.body ?? new Uint8Array(0));
      return text(201, 'created');
    case 'DELETE':
      if (!fs.existsSync(file)) return text(404, 'not found');
      fs.unlinkSync(file);
      return text(204, '');
    default:
      return text(405, 'method not allowed');
  }
}

function text(status: number, body: string): NetResponse {
  return { status, headers: { 'content-type': 'text/plain' }, body: new Uint8Array(Buffer.from(body)) };
}

async function httpRequest(req: NetRequest, record: { bytesSent: number }, basicOrigins: Set<string>): Promise<NetResponse> {
  const origin = /^[a-z]+:\/\/[^/]+/i.exec(req.url)?.[0] ?? '';
  if (req.auth && basicOrigins.has(origin)) {
    const res = await once(req, authorization(req, 'Basic'), record);
    if (res.status !== 401) return res;
  }
  let res = await once(req, undefined, record);
  const challenge = res.headers['www-authenticate'];
  if (res.status === 401 && req.auth && challenge) {
    res = await once(req, authorization(req, challenge), record);
    if (/^basic/i.test(challenge) && res.status !== 401) basicOrigins.add(origin);
  }
  return res;
}

/** Authorization header answering a basic or digest (RFC 7616, MD5 / SHA-256, qop=auth) challenge. */
function authorization(req: NetRequest, challenge: string): string {
  const { user, password } = req.auth!;
  if (/^basic/i.test(challenge)) return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const params: Record<string, string> = {};
  for (const m of challenge.replace(/^digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) params[m[1].toLowerCase()] = m[3] ?? m[2];
  const algorithm = (params.algorithm ?? 'MD5').toUpperCase();
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (s: string) => crypto.createHash(hashName).update(s).digest('hex');
  const uri = new URL(req.url).pathname + new URL(req.url).search;
  const cnonce = crypto.randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = h(`${user}:${params.realm}:${password}`);
  const ha2 = h(`${req.method}:${uri}`);
  const qop = params.qop?.split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const response = qop ? h(`${ha1}:${params.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${params.nonce}:${ha2}`);
  const parts = [`username="${user}"`, `realm="${params.realm}"`, `nonce="${params.nonce}"`, `uri="${uri}"`, `algorithm=${algorithm}`, `response="${response}"`];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (params.opaque) parts.push(`opaque="${params.opaque}"`);
  return 'Digest ' + parts.join(', ');
}

function once(req: NetRequest, auth: string | undefined, record: { bytesSent: number }): Promise<NetResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reject(new Error(`io: bad URL ${req.url}`));
      return;
    }
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
      reject(new Error(`io: unsupported scheme ${url.protocol}`));
      return;
    }
    const headers: Record<string, string> = { 'user-agent': 'DeskPhone', ...(req.headers ?? {}) };
    if (auth) headers.authorization = auth;
    if (req.body) headers['content-length'] = String(req.body.length);
    const maxBody = req.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const options: https.RequestOptions = {
      method: req.method,
      headers,
      timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(isHttps ? { ca: req.trustedCaPem ? [req.trustedCaPem] : [], rejectUnauthorized: true } : {}),
    };
    const client = isHttps ? https : http;
    const r = client.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const status = res.statusCode ?? 0;
      const sink = req.onBodyChunk && status >= 200 && status <= 299 ? req.onBodyChunk : null;
      // A body announced too large is refused before any of it is handed over (or stored by a streaming caller).
      if (Number(res.headers['content-length'] ?? 0) > maxBody) {
        r.destroy(new Error(`too-large: body of ${req.url} is ${res.headers['content-length']} bytes, more than ${maxBody}`));
        return;
      }
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          r.destroy(new Error(`too-large: body of ${req.url} exceeds ${maxBody} bytes`));
          return;
        }
        if (!sink) chunks.push(c);
        else for (let at = 0; at < c.length; at += MAX_CHUNK_BYTES) sink(new Uint8Array(c.subarray(at, at + MAX_CHUNK_BYTES)));
      });
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: h, body: new Uint8Array(Buffer.concat(chunks)) });
      });
      res.on('error', (e) => reject(classify(e)));
    });
    r.on('timeout', () => r.destroy(new Error(`timeout: no answer from ${url.host} within ${options.timeout} ms`)));
    r.on('error', (e) => reject(classify(e)));
    const head = `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n') + '\r\n\r\n';
    record.bytesSent += head.length + (req.body?.length ?? 0);
    r.end(req.body ? Buffer.from(req.body) : undefined);
  });
}

function classify(e: Error & { code?: string }): Error {
  if (/^(timeout|too-large|io|tls|refused|dns|link-down):/.test(e.message)) return e;
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return new Error(`refused: ${e.message}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Error(`dns: ${e.message}`);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || /certificate|ssl|tls/i.test(e.message)) return new Error(`tls: ${e.message}`);
  return new Error(`io: ${e.message}`);
}
