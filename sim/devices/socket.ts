/**
 * The simulated phone's TCP/TLS client (HAL `socket`): the Node
 * implementation of the Linux board (hal/linux/socket.ts) behind the phone's
 * virtual network link, counted (connections, bytes each way) so tests can
 * prove that a feature that is off never touched the network, and logged per
 * chunk for the browser UI's traffic panel.
 *
 * Virtual time: the simulator treats the network as instantaneous. After the
 * firmware writes, the connection counts as awaiting a reply until bytes come
 * back, it closes, or REPLY_WAIT_MS of real time pass; `awaitingReplies()`
 * lets the phone's settle() wait for that, so a broker's answer arrives before
 * the virtual clock moves on (keepalive and ack timeouts stay deterministic).
 * A write-only connection (syslog) expects no reply and is not waited for.
 */
import type * as net from 'net';
import { HeldConnectionEvents } from '../../hal/linux/held-connection-events';
import type { Socket, SocketConnectOptions, SocketConnection } from '../../hal/contract';
import { LinuxSocket } from '../../hal/linux/socket';

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
  private readonly awaiting = new Map<SocketConnection, NodeJS.Timeout>();
  private readonly listeners: ((t: SocketTraffic) => void)[] = [];
  private connecting = 0;
  private readonly raw = new Set<net.Socket>();
  private readonly closedWire: WireCounters = { bytesSent: 0, bytesReceived: 0 };
  private readonly node = new LinuxSocket({ observeTcp: (tcp) => this.observe(tcp) });
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
    return this.node.openConnections();
  }

  onTraffic(listener: (t: SocketTraffic) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /** Power off: every connection drops at once, without a goodbye; no event of a dead boot reaches the next one. */
  closeAll(): void {
    this.node.closeAll();
    for (const t of this.awaiting.values()) clearTimeout(t);
    this.awaiting.clear();
    this.generation++;
  }

  async connect(o: SocketConnectOptions): Promise<SocketConnection> {
    const peer = `${o.host}:${o.port}`;
    if (!this.linkUp()) throw new Error('link-down: network link is down');
    this.counters.connections++;
    const generation = this.generation;
    this.connecting++;
    let c: SocketConnection;
    try {
      c = await this.node.connect(o);
    } catch (e) {
      const reason = (e as Error).message;
      this.record({ peer, kind: 'failed', bytes: 0, reason });
      throw e;
    } finally {
      this.connecting--;
    }
    if (generation !== this.generation) {
      c.close();
      throw new Error('link-down: the phone lost power while connecting');
    }
    this.record({ peer, kind: 'connect', bytes: 0 });
    return this.counted(c, peer, !!o.writeOnly);
  }

  private counted(c: SocketConnection, peer: string, writeOnly: boolean): SocketConnection {
    // Subscribed at once, to count and record; handed on to the firmware when it subscribes.
    const events = new HeldConnectionEvents();
    c.onData((bytes) => {
      this.answered(c);
      this.counters.bytesReceived += bytes.length;
      this.record({ peer, kind: 'received', bytes: bytes.length, head: Buffer.from(bytes.subarray(0, 16)).toString('hex') });
      events.data(bytes);
    });
    c.onClose((reason) => {
      this.answered(c);
      this.record({ peer, kind: 'closed', bytes: 0, reason: reason || undefined });
      events.closed(reason);
    });
    return {
      write: (bytes) => {
        if (events.closedReason === null) {
          this.counters.bytesSent += bytes.length;
          this.record({ peer, kind: 'sent', bytes: bytes.length, head: Buffer.from(bytes.subarray(0, 16)).toString('hex') });
          if (!writeOnly) this.expectReply(c);
        }
        return c.write(bytes);
      },
      onData: (handler) => events.onData(handler),
      onClose: (handler) => events.onClose(handler),
      close: () => {
        this.answered(c);
        c.close();
      },
    };
  }

  private observe(tcp: net.Socket): void {
    this.raw.add(tcp);
    tcp.once('close', () => {
      this.raw.delete(tcp);
      this.closedWire.bytesSent += tcp.bytesWritten;
      this.closedWire.bytesReceived += tcp.bytesRead;
    });
  }

  private expectReply(c: SocketConnection): void {
    this.answered(c);
    this.awaiting.set(c, setTimeout(() => this.awaiting.delete(c), REPLY_WAIT_MS));
  }

  private answered(c: SocketConnection): void {
    const t = this.awaiting.get(c);
    if (t) clearTimeout(t);
    this.awaiting.delete(c);
  }

  private record(entry: Omit<SocketTraffic, 'at'>): void {
    const t: SocketTraffic = { at: Date.now(), ...entry };
    this.traffic.push(t);
    if (this.traffic.length > MAX_TRAFFIC) this.traffic.splice(0, this.traffic.length - MAX_TRAFFIC);
    for (const l of this.listeners) l(t);
  }
}
