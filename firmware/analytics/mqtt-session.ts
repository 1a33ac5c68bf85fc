/**
 * One MQTT 3.1.1 connection to the broker over the HAL socket: CONNECT and
 * wait for CONNACK, PUBLISH at QoS 1 resolved by its PUBACK, PINGREQ when
 * nothing was sent for a keepalive period, DISCONNECT on close. A broker
 * that does not answer in time, or sends anything malformed, ends the
 * session: the uploader reconnects later and resends what was not acked.
 */
import type { Socket, SocketConnectOptions, SocketConnection } from '../../hal/contract';
import {
  CONNACK_REASONS, MqttPacketReader, encodeConnect, encodeDisconnect, encodePingreq, encodePublish,
  type ConnectOptions, type IncomingPacket,
} from './mqtt-codec';

export interface SessionTimers {
  after(ms: number, label: string, fn: () => void): number;
  cancel(id: number): void;
}

export interface SessionOptions {
  connect: SocketConnectOptions;
  mqtt: ConnectOptions;
  /** CONNACK, PUBACK and PINGRESP must come within this (ms). */
  answerTimeoutMs: number;
}

export interface SessionTraffic {
  bytesSent: number;
  bytesReceived: number;
}

export class MqttSession {
  private readonly reader = new MqttPacketReader();
  private readonly acks = new Map<number, { resolve: () => void; reject: (e: Error) => void; timer: number }>();
  private keepAliveTimer: number | null = null;
  private pingTimer: number | null = null;
  private closed = false;
  private closeListeners: ((reason: string) => void)[] = [];
  private nextPacketId = 1;
  readonly traffic: SessionTraffic = { bytesSent: 0, bytesReceived: 0 };

  private constructor(private readonly conn: SocketConnection, private readonly o: SessionOptions, private readonly timers: SessionTimers) {}

  /** Connect and log in; rejects with the socket's error, a refused CONNACK or a timeout. */
  static open(socket: Socket, o: SessionOptions, timers: SessionTimers): Promise<MqttSession> {
    return socket.connect(o.connect).then((conn) => new Promise<MqttSession>((resolve, reject) => {
      const session = new MqttSession(conn, o, timers);
      let waiting = true;
      const timer = timers.after(o.answerTimeoutMs, 'mqtt connack', () => {
        if (!waiting) return;
        waiting = false;
        session.end('timeout: no CONNACK from the broker');
        reject(new Error('timeout: no CONNACK from the broker'));
      });
      session.onConnack = (p) => {
        if (!waiting) return;
        waiting = false;
        timers.cancel(timer);
        if (p.returnCode !== 0) {
          const why = `refused: broker refused the connection (${CONNACK_REASONS[p.returnCode] ?? `code ${p.returnCode}`})`;
          session.end(why);
          reject(new Error(why));
          return;
        }
        session.armKeepAlive();
        resolve(session);
      };
      session.onClose((reason) => {
        if (!waiting) return;
        waiting = false;
        timers.cancel(timer);
        reject(new Error(reason || 'closed: the broker closed the connection before CONNACK'));
      });
      conn.onData((bytes) => session.received(bytes));
      conn.onClose((reason) => session.end(reason || 'closed: the broker closed the connection'));
      session.send(encodeConnect(o.mqtt)).catch((e: Error) => session.end(e.message));
    }));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  /** QoS 1: resolves when the broker acknowledged it; rejects when the session ends first. */
  publish(topic: string, payload: Uint8Array, dup = false): Promise<void> {
    if (this.closed) return Promise.reject(new Error('closed: the session has ended'));
    const packetId = this.allocatePacketId();
    return new Promise<void>((resolve, reject) => {
      const timer = this.timers.after(this.o.answerTimeoutMs, 'mqtt puback', () => this.end(`timeout: no PUBACK for packet ${packetId}`));
      this.acks.set(packetId, { resolve, reject, timer });
      this.send(encodePublish({ topic, payload, qos: 1, packetId, dup })).catch((e: Error) => this.end(e.message));
    });
  }

  /** DISCONNECT, then close the socket. */
  close(): void {
    if (this.closed) return;
    this.conn.write(encodeDisconnect()).catch(() => {});
    this.traffic.bytesSent += 2;
    this.end('closed by the phone');
  }

  /** Close at once without DISCONNECT (analytics turned off, power going). */
  abort(reason: string): void {
    this.end(reason);
  }

  private onConnack: (p: Extract<IncomingPacket, { type: 'connack' }>) => void = () => {};

  private send(bytes: Uint8Array): Promise<void> {
    this.traffic.bytesSent += bytes.length;
    this.armKeepAlive();
    return this.conn.write(bytes);
  }

  private received(bytes: Uint8Array): void {
    if (this.closed) return;
    this.traffic.bytesReceived += bytes.length;
    let packets: IncomingPacket[];
    try {
      packets = this.reader.push(bytes);
    } catch (e) {
      this.end(`io: ${(e as Error).message}`);
      return;
    }
    for (const p of packets) {
      if (p.type === 'connack') this.onConnack(p);
      else if (p.type === 'puback') {
        const waiter = this.acks.get(p.packetId);
        if (!waiter) continue; // a late duplicate ack
        this.acks.delete(p.packetId);
        this.timers.cancel(waiter.timer);
        waiter.resolve();
      } else if (p.type === 'pingresp' && this.pingTimer !== null) {
        this.timers.cancel(this.pingTimer);
        this.pingTimer = null;
      }
    }
  }

  /** The broker drops a client silent for 1.5 keepalive periods: ping when nothing was sent for one. */
  private armKeepAlive(): void {
    if (this.closed || this.o.mqtt.keepAliveSeconds === 0) return;
    if (this.keepAliveTimer !== null) this.timers.cancel(this.keepAliveTimer);
    this.keepAliveTimer = this.timers.after(this.o.mqtt.keepAliveSeconds * 1000, 'mqtt keepalive', () => {
      this.keepAliveTimer = null;
      if (this.closed) return;
      if (this.pingTimer === null) {
        this.pingTimer = this.timers.after(this.o.answerTimeoutMs, 'mqtt pingresp', () => this.end('timeout: no PINGRESP from the broker'));
      }
      this.send(encodePingreq()).catch((e: Error) => this.end(e.message));
    });
  }

  private allocatePacketId(): number {
    for (let i = 0; i < 0xffff; i++) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 0xffff ? 1 : id + 1;
      if (!this.acks.has(id)) return id;
    }
    throw new Error('mqtt: no free packet id');
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.keepAliveTimer, this.pingTimer]) if (t !== null) this.timers.cancel(t);
    this.keepAliveTimer = this.pingTimer = null;
    for (const [, w] of this.acks) {
      this.timers.cancel(w.timer);
      w.reject(new Error(reason));
    }
    this.acks.clear();
    this.conn.close();
    for (const l of this.closeListeners.splice(0)) l(reason);
  }
}
