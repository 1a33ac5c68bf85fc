/**
 * The simulated phone's own web server (HAL `httpServer`): the board's Node
 * driver (hal/linux/node-http-server.ts) on 127.0.0.1 only, each configured
 * port mapped to a free local port. The phone keeps its ports across reboots
 * (a browser tab stays valid) unless another process took them meanwhile.
 * The TLS key is read from the phone's keystore by name; the firmware never
 * holds it. `stop()` runs at every reboot and when the phone is disposed.
 */
import type { HttpListening, HttpServeOptions, HttpServer, HttpServerRequest, HttpServerResponse } from '../../hal/contract';
import { NodeHttpServer, type HttpScheme } from '../../hal/linux/node-http-server';
import type { NodeCryptoEngine } from './crypto';

export class SimHttpServer implements HttpServer {
  /** Local port each scheme got the first time: asked for again after a reboot. */
  private readonly kept: Partial<Record<HttpScheme, number>> = {};
  private readonly node: NodeHttpServer;

  constructor(crypto: NodeCryptoEngine, log: (line: string) => void) {
    this.node = new NodeHttpServer({
      host: '127.0.0.1',
      portFor: (scheme) => this.kept[scheme] ?? 0,
      keyPem: (name) => crypto.signingKeyPem(name),
      log,
    });
  }

  async serve(options: HttpServeOptions, handler: (request: HttpServerRequest, respond: (response: HttpServerResponse) => void) => void): Promise<HttpListening> {
    try {
      await this.node.serve(options, handler);
    } catch (e) {
      if (!/^in-use/.test((e as Error).message)) throw e;
      // Another process took a kept port while the phone was off: take fresh ones.
      delete this.kept.http;
      delete this.kept.https;
      await this.node.serve(options, handler);
    }
    if (this.node.listening.http) this.kept.http = this.node.listening.http;
    if (this.node.listening.https) this.kept.https = this.node.listening.https;
    return { httpPort: this.node.listening.http ?? 0, httpsPort: this.node.listening.https ?? 0 };
  }

  stop(): void {
    this.node.stop();
  }

  /** Where the phone serves now (`https://127.0.0.1:PORT`), or null per scheme. */
  urls(): { http: string | null; https: string | null } {
    const at = (scheme: HttpScheme) => (this.node.listening[scheme] ? `${scheme}://127.0.0.1:${this.node.listening[scheme]}` : null);
    return { http: at('http'), https: at('https') };
  }
}
