/**
 * HTTP server of the browser UI for one simulated phone: the page
 * (sim/web/public), the JSON API (routes.ts) and the live event stream
 * (event-stream.ts). Listens on 127.0.0.1 only.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Phone } from '../phone';
import { RealtimePacer } from '../realtime-pacer';
import { PhoneEventStream } from './event-stream';
import { HttpError } from './http-error';
import { readJsonBody } from './request-body';
import { findRoute } from './routes';
import { lookupStaticFile } from './static-files';
import { tracesOf } from './trace-recorder';

export const WEB_HOST = '127.0.0.1';

/** One phone of several on a virtual SIP network (`phone sim --phones N`). */
export interface ServedPhone {
  name: string;
  extension: string;
  phone: Phone;
  pacer: RealtimePacer;
}

export interface WebServerOptions {
  /** The phone served (the first of `phones` when those are given). */
  phone: Phone;
  /** Several phones, chosen per request with `?phone=NAME` (default: the first); each keeps its own pacer. */
  phones?: ServedPhone[];
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Drives the phone in real time; without one the server makes (and stops) its own. */
  pacer?: RealtimePacer;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  readonly pacer: RealtimePacer;
  /** Stop serving, end open event streams, stop an own pacer. The phone stays as it is. */
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const ownPacer = !options.pacer && !options.phones;
  const served: ServedPhone[] = options.phones ?? [{ name: 'A', extension: '', phone: options.phone, pacer: options.pacer ?? new RealtimePacer(options.phone) }];
  const pacer = served[0].pacer;
  const streams = new Map(served.map((s) => [s.name, new PhoneEventStream(s.phone)]));
  // The trace panels record from the start, not from the first look.
  for (const s of served) tracesOf(s.phone);
  const closeStreams = () => { for (const s of streams.values()) s.close(); };
  /** The phone a request means: `?phone=NAME`, else the first. */
  const chosen = (url: URL): ServedPhone => {
    const name = url.searchParams.get('phone');
    if (!name) return served[0];
    const hit = served.find((s) => s.name === name);
    if (!hit) throw new HttpError(404, `no phone "${name}" (phones: ${served.map((s) => s.name).join(', ')})`);
    return hit;
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => reply(res, e instanceof HttpError ? e.status : 500, { error: e.message }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${WEB_HOST}`);
    const method = req.method ?? 'GET';
    if (url.pathname === '/api/events' && method === 'GET') return streams.get(chosen(url).name)!.attach(req, res);
    if (url.pathname === '/api/phones' && method === 'GET') {
      return reply(res, 200, { phones: served.map((s) => ({ name: s.name, extension: s.extension, board: s.phone.board, state: s.phone.state })) });
    }
    if (url.pathname.startsWith('/api/')) {
      const route = findRoute(method, url.pathname);
      const target = chosen(url);
      const body = method === 'POST' ? await readJsonBody(req) : {};
      // Phones on one network share one timeline: pause, speed and advance apply to every phone.
      if (method === 'POST' && url.pathname.startsWith('/api/time')) {
        for (const other of served) if (other !== target) await route({ phone: other.phone, pacer: other.pacer, body, query: url.searchParams });
      }
      const answer = await route({ phone: target.phone, pacer: target.pacer, body, query: url.searchParams });
      if ('png' in answer) {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
        res.end(answer.png);
        return;
      }
      if ('download' in answer) {
        const d = answer.download;
        res.writeHead(200, { 'Content-Type': d.type, 'Content-Disposition': `attachment; filename="${d.name}"`, 'Cache-Control': 'no-store' });
        res.end(d.bytes);
        return;
      }
      return reply(res, answer.status ?? 200, answer.json);
    }
    const file = method === 'GET' ? lookupStaticFile(url.pathname) : null;
    if (!file) throw new HttpError(404, `not found: ${url.pathname}`);
    res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
    res.end(file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, WEB_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e: NodeJS.ErrnoException) => {
    closeStreams();
    throw e.code === 'EADDRINUSE' ? new Error(`port ${options.port} on ${WEB_HOST} is in use (pass --port 0 for any free port)`) : e;
  });
  if (ownPacer) pacer.start();
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${WEB_HOST}:${port}/`,
    port,
    pacer,
    async close() {
      closeStreams();
      if (ownPacer) await pacer.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: http.ServerResponse, status: number, json: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(json));
}
