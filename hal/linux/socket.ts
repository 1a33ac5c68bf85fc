/**
 * The HAL `socket` device over Node `net` / `tls`, for every host that runs
 * on Node (the Linux board; the simulator wraps it for its link flag,
 * counters and traffic panel, sim/devices/socket.ts).
 *
 * TLS runs over a TCP socket of our own so that an observer can count the
 * bytes on the wire. Without a CA certificate a TLS connection is refused:
 * the phone trusts only what it was provisioned with, not a platform store.
 */
import * as net from 'net';
import * as tls from 'tls';
import type { Socket, SocketConnectOptions, SocketConnection } from '../contract';
import { HeldConnectionEvents } from './held-connection-events';

const DEFAULT_TIMEOUT_MS = 10000;

export interface LinuxSocketOptions {
  /** Called with the TCP socket under each connection attempt (wire byte counts). */
  observeTcp?: (tcp: net.Socket) => void;
}

export class LinuxSocket implements Socket {
  private readonly open = new Set<net.Socket>();

  constructor(private readonly options: LinuxSocketOptions = {}) {}

  openConnections(): number {
    return this.open.size;
  }

  /** Drop every connection at once, without a goodbye and without telling the firmware (power off). */
  closeAll(): void {
    for (const s of [...this.open]) {
      s.removeAllListeners('data');
      s.removeAllListeners('close');
      s.on('error', () => {});
      s.destroy();
    }
    this.open.clear();
  }

  connect(o: SocketConnectOptions): Promise<SocketConnection> {
    const peer = `${o.host}:${o.port}`;
    if (o.tls && !o.tls.caPem) return Promise.reject(new Error(`tls: ${peer}: no CA certificate to check the server against`));
    return new Promise<SocketConnection>((resolve, reject) => {
      let settled = false;
      const raw = net.connect({ host: o.host, port: o.port });
      raw.on('error', () => {});
      this.options.observeTcp?.(raw);
      const socket = o.tls
        ? tls.connect({
          socket: raw, host: o.host, port: o.port, ca: o.tls.caPem, cert: o.tls.certPem, key: o.tls.keyPem,
          servername: o.tls.servername ?? (net.isIP(o.host) ? undefined : o.host),
          checkServerIdentity: (host, cert) => tls.checkServerIdentity(o.tls!.servername ?? host, cert),
        })
        : raw;
      const fail = (e: Error & { code?: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`${failureCode(e)}: ${peer}: ${e.message}`));
      };
      const timer = setTimeout(() => fail(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      socket.once('error', fail);
      if (socket !== raw) raw.once('error', fail);
      socket.once(o.tls ? 'secureConnect' : 'connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.open.add(socket);
        resolve(this.connection(socket, !!o.writeOnly));
      });
    });
  }

  private connection(socket: net.Socket, writeOnly: boolean): SocketConnection {
    const events = new HeldConnectionEvents();
    let lastError = '';
    socket.removeAllListeners('error');
    socket.on('error', (e: Error & { code?: string }) => { lastError = `io: ${e.code ?? ''} ${e.message}`.trim(); });
    socket.on('data', (chunk: Buffer) => {
      // A write-only connection (syslog) drops what the peer sends instead of keeping it.
      if (!writeOnly) events.data(new Uint8Array(chunk));
    });
    socket.on('close', () => {
      this.open.delete(socket);
      events.closed(lastError);
    });
    return {
      write: (bytes) => new Promise<void>((resolve, reject) => {
        if (events.closedReason !== null || socket.destroyed || !socket.writable) {
          reject(new Error('closed: the connection has ended'));
          return;
        }
        socket.write(bytes, (e) => (e ? reject(new Error(`closed: ${e.message}`)) : resolve()));
      }),
      onData: (handler) => events.onData(handler),
      onClose: (handler) => events.onClose(handler),
      close: () => {
        socket.end();
        socket.destroySoon?.();
      },
    };
  }
}

function failureCode(e: Error & { code?: string }): string {
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'dns';
  if (e.code === 'ETIMEDOUT') return 'timeout';
  return /cert|ssl|tls|self.signed|altname|unable.to/i.test(`${e.code} ${e.message}`) ? 'tls' : 'io';
}
