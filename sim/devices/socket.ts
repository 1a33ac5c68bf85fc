/**
 * The phone's TCP/TLS client (HAL `socket`): real connections through Node's
 * net and tls, counted (connections, bytes each way) so tests can prove that
 * a feature that is off never touched the network, and logged per chunk for
 * the browser UI's traffic panel.
 *
 * Virtual time: the simulator treats the network as instantaneous. After the
 * firmware writes, the connection counts as awaiting a reply until bytes come
 * back, it closes, or REPLY_WAIT_MS of real time pass; `awaitingReplies()`
 * lets the phone's settle() wait for that, so a broker's answer arrives before
 * the virtual clock moves on (keepalive and ack timeouts stay deterministic).
 */
import * as net from 'net';
import * as tls from 'tls';
import type { Socket, SocketConnectOptions, SocketConnection } from '../../hal/contract';

const DEFAULT_TIMEOUT_MS = 10000;
const REPLY_WAIT_MS = 2000;
/** Traffic entries kept for the panel. */
const MAX_TRAFFIC = 500;

export interface SocketTraffic {
  /** Real time, ms since epoch. */
  at: number;
  peer: string;
  kind: 'connect' | 'sent' | 'received' | 'closed' | 'failed';
  bytes: number;
  /** First bytes in hex, for the panel. */
  head?: string;
  reason?: string;
}

export interface SocketCounters {
  connections: number;
  /** Application bytes (what the firmware wrote and was given: MQTT packets). */
  bytesSent: number;
  bytesReceived: number;
}

/** TCP payload bytes including TLS handshakes and records: what the network carries. */
export interface WireCounters {
  bytesSent: number;
  bytesReceived: number;
}

export class HostSocket implements Socket {
  readonly counters: SocketCounters = { connections: 0, bytesSent: 0, bytesReceived: 0 };
  readonly traffic: SocketTraffic[] = [];
  private readonly open = new Set<net.Socket>();
  private readonly awaiting = new Map<net.Socket, NodeJS.Timeout>();
  private readonly listeners: ((t: SocketTraffic) => void)[] = [];
  private connecting = 0;
  private readonly raw = new Set<net.Socket>();
  private readonly closedWire: WireCounters = { bytesSent: 0, bytesReceived: 0 };
  /** Bumped by closeAll: a connect still under way from before it is dropped when it completes. */
  private generation = 0;

  constructor(private readonly linkUp: () => boolean = () => true) {}

  /** Connections in progress or written to and not answered yet (see the header). */
  awaitingReplies(): number {
    return this.connecting + this.awaiting.size;
  }

  wire(): WireCounters {
    let sent = this.closedWire.bytesSent;
    let received = this.closedWire.bytesReceived;
    for (const r of this.raw) {
      sent += r.bytesWritten;
      received += r.bytesRead;
    }
    return { bytesSent: sent, bytesReceived: received };
  }

  openConnections(): number {
    return this.open.size;
  }

  onTraffic(listener: (t: SocketTraffic) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /** Power off: every connection drops at once, without a goodbye. */
  closeAll(): void {
    // No event of a dead boot may reach the next one: listeners go before the sockets.
    for (const s of [...this.open]) {
      s.removeAllListeners('data');
      s.removeAllListeners('close');
      s.on('error', () => {});
      s.destroy();
    }
    this.open.clear();
    for (const t of this.awaiting.values()) clearTimeout(t);
    this.awaiting.clear();
    this.generation++;
  }

  connect(o: SocketConnectOptions): Promise<SocketConnection> {
    const peer = `${o.host}:${o.port}`;
    if (!this.linkUp()) return Promise.reject(new Error('link-down: network link is down'));
    this.counters.connections++;
    const generation = this.generation;
    this.connecting++;
    return new Promise<SocketConnection>((resolve, reject) => {
      let settled = false;
      // TLS over a TCP socket of our own, so the bytes on the wire can be counted.
      const raw = net.connect({ host: o.host, port: o.port });
      this.raw.add(raw);
      raw.once('close', () => {
        this.raw.delete(raw);
        this.closedWire.bytesSent += raw.bytesWritten;
        this.closedWire.bytesReceived += raw.bytesRead;
      });
      raw.on('error', () => {});
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
        this.connecting--;
        socket.destroy();
        const code = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ENOTFOUND' ? 'dns' : e.code === 'ETIMEDOUT' ? 'timeout'
          : /certificate|ssl|tls|self.signed|altname/i.test(`${e.code} ${e.message}`) ? 'tls' : 'io';
        this.record({ peer, kind: 'failed', bytes: 0, reason: `${code}: ${e.message}` });
        reject(new Error(`${code}: ${peer}: ${e.message}`));
      };
      const timer = setTimeout(() => fail(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      socket.once('error', (e) => { clearTimeout(timer); fail(e); });
      if (socket !== raw) raw.once('error', (e) => { clearTimeout(timer); fail(e); });
      socket.once(o.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        this.connecting--;
        if (generation !== this.generation) {
          socket.destroy();
          reject(new Error('link-down: the phone lost power while connecting'));
          return;
        }
        this.open.add(socket);
        this.record({ peer, kind: 'connect', bytes: 0 });
        resolve(this.connection(socket, peer));
      });
    });
  }

  private connection(socket: net.Socket, peer: string): SocketConnection {
    let dataHandler: ((b: Uint8Array) => void) | null = null;
    let closeHandler: ((reason: string) => void) | null = null;
    const early: Uint8Array[] = [];
    let closedWith: string | null = null;
    let lastError = '';
    socket.removeAllListeners('error');
    socket.on('error', (e: Error & { code?: string }) => { lastError = `io: ${e.code ?? ''} ${e.message}`.trim(); });
    socket.on('data', (chunk: Buffer) => {
      this.answered(socket);
      this.counters.bytesReceived += chunk.length;
      this.record({ peer, kind: 'received', bytes: chunk.length, head: chunk.subarray(0, 16).toString('hex') });
      const bytes = new Uint8Array(chunk);
      if (dataHandler) dataHandler(bytes);
      else early.push(bytes);
    });
    socket.on('close', () => {
      this.answered(socket);
      this.open.delete(socket);
      closedWith = lastError;
      this.record({ peer, kind: 'closed', bytes: 0, reason: lastError || undefined });
      closeHandler?.(closedWith);
    });
    return {
      write: (bytes) => new Promise<void>((resolve, reject) => {
        if (closedWith !== null || socket.destroyed) {
          reject(new Error('closed: the connection has ended'));
          return;
        }
        this.counters.bytesSent += bytes.length;
        this.record({ peer, kind: 'sent', bytes: bytes.length, head: Buffer.from(bytes.subarray(0, 16)).toString('hex') });
        this.expectReply(socket);
        socket.write(bytes, (e) => (e ? reject(new Error(`io: ${e.message}`)) : resolve()));
      }),
      onData: (handler) => {
        dataHandler = handler;
        for (const b of early.splice(0)) handler(b);
      },
      onClose: (handler) => {
        closeHandler = handler;
        if (closedWith !== null) handler(closedWith);
      },
      close: () => {
        this.answered(socket);
        socket.end();
        socket.destroySoon?.();
      },
    };
  }

  private expectReply(socket: net.Socket): void {
    this.answered(socket);
    this.awaiting.set(socket, setTimeout(() => this.awaiting.delete(socket), REPLY_WAIT_MS));
  }

  private answered(socket: net.Socket): void {
    const t = this.awaiting.get(socket);
    if (t) clearTimeout(t);
    this.awaiting.delete(socket);
  }

  private record(entry: Omit<SocketTraffic, 'at'>): void {
    const t: SocketTraffic = { at: Date.now(), ...entry };
    this.traffic.push(t);
    if (this.traffic.length > MAX_TRAFFIC) this.traffic.splice(0, this.traffic.length - MAX_TRAFFIC);
    for (const l of this.listeners) l(t);
  }
}
