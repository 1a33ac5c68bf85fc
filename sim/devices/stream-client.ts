/** TCP / TLS out of the simulated phone: real connections through Node (remote syslog to a real rsyslog). */
import * as net from 'net';
import * as tls from 'tls';
import type { StreamClient, StreamOpenOptions } from '../../hal/stream-client';

const DEFAULT_TIMEOUT_MS = 10000;

export class HostStreamClient implements StreamClient {
  private nextId = 1;
  private readonly open_ = new Map<number, net.Socket>();

  constructor(private readonly linkUp: () => boolean) {}

  open(o: StreamOpenOptions): Promise<number> {
    if (!this.linkUp()) return Promise.reject(new Error('link-down: network link is down'));
    return new Promise((resolve, reject) => {
      const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      let settled = false;
      const fail = (msg: string) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(new Error(msg));
      };
      const ready = () => {
        if (settled) return;
        settled = true;
        socket.setTimeout(0);
        const id = this.nextId++;
        this.open_.set(id, socket);
        socket.on('close', () => this.open_.delete(id));
        // Syslog never reads; anything the server sends is dropped.
        socket.on('data', () => {});
        resolve(id);
      };
      const socket: net.Socket = o.tls
        ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ca: o.trustedCaPem ? [o.trustedCaPem, ...tls.rootCertificates] : undefined }, ready)
        : net.connect({ host: o.host, port: o.port }, ready);
      socket.setTimeout(timeoutMs, () => fail(`timeout: no connection to ${o.host}:${o.port} within ${timeoutMs} ms`));
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (!settled) {
          const kind = e.code === 'ECONNREFUSED' ? 'refused' : /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/i.test(`${e.code} ${e.message}`) ? 'tls' : 'io';
          fail(`${kind}: ${e.message}`);
        }
      });
    });
  }

  write(id: number, text: string): Promise<void> {
    const socket = this.open_.get(id);
    if (!socket || socket.destroyed || !socket.writable) return Promise.reject(new Error('closed: connection ended'));
    return new Promise((resolve, reject) => {
      socket.write(Buffer.from(text, 'utf8'), (e) => (e ? reject(new Error(`closed: ${e.message}`)) : resolve()));
    });
  }

  close(id: number): void {
    const socket = this.open_.get(id);
    this.open_.delete(id);
    socket?.end();
  }

  dispose(): void {
    for (const s of this.open_.values()) s.destroy();
    this.open_.clear();
  }
}
