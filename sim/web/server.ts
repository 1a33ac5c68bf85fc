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

export const WEB_HOST = '127.0.0.1';

export interface WebServerOptions {
  phone: Phone;
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
  const { phone } = options;
  const ownPacer = !options.pacer;
  const pacer = options.pacer ?? new RealtimePacer(phone);
  const events = new PhoneEventStream(phone);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => reply(res, e instanceof HttpError ? e.status : 500, { error: e.message }));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${WEB_HOST}`);
    const method = req.method ?? 'GET';
    if (url.pathname === '/api/events' && method === 'GET') return events.attach(req, res);
    if (url.pathname.startsWith('/api/')) {
      const route = findRoute(method, url.pathname);
      const body = method === 'POST' ? await readJsonBody(req) : {};
      const answer = await route({ phone, pacer, body, query: url.searchParams });
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
    events.close();
    throw e.code === 'EADDRINUSE' ? new Error(`port ${options.port} on ${WEB_HOST} is in use (pass --port 0 for any free port)`) : e;
  });
  if (ownPacer) pacer.start();
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${WEB_HOST}:${port}/`,
    port,
    pacer,
    async close() {
      events.close();
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
