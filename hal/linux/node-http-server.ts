/**
 * The phone's own web server (HAL `httpServer`) on Node's http and https:
 * the board's driver, and the simulator's (sim/devices/http-server.ts) with
 * 127.0.0.1 and free ports. The host owns sockets, TLS and HTTP parsing; the
 * firmware renders every answer.
 *
 * - TLS: the certificate comes from the firmware, the private key from the
 *   crypto device's keystore by name (`keyPem`): the firmware never holds it.
 * - A body longer than `maxBodyBytes` is answered 413 here and the firmware
 *   never sees the request; a request Node cannot parse is answered 400 here.
 *   Both are logged (`log`) and the server keeps serving.
 * - A request the firmware has not answered after RESPOND_TIMEOUT_MS is
 *   answered 503 (a firmware that crashed or rebooted mid-request).
 */
import * as http from 'http';
import * as https from 'https';
import type * as net from 'net';
import type { HttpListening, HttpServeOptions, HttpServer, HttpServerRequest, HttpServerResponse } from '../contract';

const RESPOND_TIMEOUT_MS = 30_000;

export type HttpScheme = 'http' | 'https';

export interface NodeHttpServerOptions {
  /** Address to listen on (`127.0.0.1` in the simulator, the board file's `httpServer.listenAddress`). */
  host: string;
  /** The port to listen on for a configured one (0: any free port). */
  portFor(scheme: HttpScheme, configured: number): number;
  /** PEM (PKCS#8) of the keystore's signing key `name`. */
  keyPem(name: string): string;
  /** A request refused by the host (400, 413, 503): one line, no request content. */
  log(line: string): void;
}

type Handler = (request: HttpServerRequest, respond: (response: HttpServerResponse) => void) => void;

export class NodeHttpServer implements HttpServer {
  private servers: { scheme: HttpScheme; server: http.Server }[] = [];
  private readonly connections = new Set<net.Socket>();
  /** Ports listened on now, by scheme. */
  readonly listening: Partial<Record<HttpScheme, number>> = {};

  constructor(private readonly o: NodeHttpServerOptions) {}

  async serve(options: HttpServeOptions, handler: Handler): Promise<HttpListening> {
    this.stop();
    const wanted: [HttpScheme, number][] = [];
    if (options.httpPort > 0) wanted.push(['http', options.httpPort]);
    if (options.httpsPort > 0) wanted.push(['https', options.httpsPort]);
    let tls: { cert: string; key: string } | null = null;
    if (options.httpsPort > 0) {
      if (!options.tls) throw new Error('tls: an HTTPS port needs a certificate and key');
      try {
        tls = { cert: options.tls.certificatePem, key: this.o.keyPem(options.tls.keyName) };
      } catch (e) {
        throw new Error(`tls: key "${options.tls.keyName}": ${(e as Error).message}`);
      }
    }
    try {
      for (const [scheme, configured] of wanted) {
        let server: http.Server;
        try {
          server = scheme === 'https'
            ? https.createServer({ cert: tls!.cert, key: tls!.key, minVersion: 'TLSv1.2' })
            : http.createServer();
        } catch (e) {
          throw new Error(`tls: certificate or key refused: ${(e as Error).message}`);
        }
        this.watch(scheme, server, options.maxBodyBytes, handler);
        this.servers.push({ scheme, server });
        this.listening[scheme] = await this.listen(server, this.o.portFor(scheme, configured), configured);
      }
    } catch (e) {
      this.stop();
      throw e;
    }
    return { httpPort: this.listening.http ?? 0, httpsPort: this.listening.https ?? 0 };
  }

  stop(): void {
    for (const { server } of this.servers) server.close();
    this.servers = [];
    for (const c of this.connections) c.destroy();
    this.connections.clear();
    delete this.listening.http;
    delete this.listening.https;
  }

  private listen(server: http.Server, port: number, configured: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (e: NodeJS.ErrnoException) => {
        reject(new Error(e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? `in-use: ${this.o.host}:${port} (configured ${configured}): ${e.code}`
          : `io: listening on ${this.o.host}:${port}: ${e.message}`));
      };
      server.once('error', failed);
      server.listen(port, this.o.host, () => {
        server.off('error', failed);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private watch(scheme: HttpScheme, server: http.Server, maxBodyBytes: number, handler: Handler): void {
    const track = (socket: net.Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    };
    server.on(scheme === 'https' ? 'secureConnection' : 'connection', track);
    server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
      this.o.log(`httpd: ${scheme} request refused (400): ${err.code ?? err.message}`);
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBodyBytes) return this.tooLarge(scheme, req, res, maxBodyBytes);
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > maxBodyBytes) {
          refused = true;
          this.tooLarge(scheme, req, res, maxBodyBytes);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (refused) return;
        this.dispatch(scheme, req, res, new Uint8Array(Buffer.concat(chunks)), handler);
      });
    });
  }

  private tooLarge(scheme: HttpScheme, req: http.IncomingMessage, res: http.ServerResponse, max: number): void {
    this.o.log(`httpd: ${scheme} ${req.method} refused (413): body over ${max} bytes`);
    res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(`413 Payload Too Large: the limit is ${max} bytes\n`);
    req.resume();
  }

  private dispatch(scheme: HttpScheme, req: http.IncomingMessage, res: http.ServerResponse, body: Uint8Array, handler: Handler): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
    }
    const request: HttpServerRequest = {
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      headers,
      body,
      secure: scheme === 'https',
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    let answered = false;
    const timeout = setTimeout(() => {
      if (answered) return;
      answered = true;
      this.o.log(`httpd: ${request.method} unanswered by the firmware after ${RESPOND_TIMEOUT_MS} ms (503)`);
      if (!res.writableEnded) { res.writeHead(503, { connection: 'close' }); res.end(); }
    }, RESPOND_TIMEOUT_MS);
    timeout.unref();
    const respond = (response: HttpServerResponse): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timeout);
      if (res.writableEnded || res.destroyed) return;
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        out[name] = name.toLowerCase() === 'set-cookie' ? value.split('\n') : value;
      }
      out['content-length'] = String(response.body.length);
      res.writeHead(response.status, out);
      res.end(Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength));
    };
    try {
      handler(request, respond);
    } catch (e) {
      this.o.log(`httpd: the firmware failed on a request: ${(e as Error).message}`);
      respond({ status: 500, headers: { 'content-type': 'text/plain' }, body: new Uint8Array(Buffer.from('500 Internal Server Error\n')) });
    }
  }
}
