/**
 * Remote syslog: a logger sink that sends every line at or above
 * `device.syslog.renderLevel` to `device.syslog.serverName` as an RFC 5424
 * message (syslog-message.ts), over UDP (HAL `udp`, fire and forget) or TCP / TLS (HAL `socket`, opened
 * write-only: syslog never reads; RFC 6587 / 5425 octet-counting framing).
 *
 * The text sent is the line's text as logged locally, after redaction: the
 * server gets no party data the local log would not hold.
 *
 * Never blocks logging: the sink only queues; one send is in flight at a
 * time. While the server is unreachable the queue is bounded in RAM (oldest
 * dropped first, drops counted and reported to the server and the local log
 * once it answers again); sending is retried with backoff.
 */
import type { Socket, SocketConnection, Udp } from '../../hal/contract';
import type { LogRecord } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { utf8Encode } from '../kernel/text-codec';
import { formatSyslogMessage, type SyslogIdentity } from './syslog-message';
import type { SyslogSettings } from './syslog-settings';

export const SYSLOG_QUEUE_MAX_MESSAGES = 256;
export const SYSLOG_QUEUE_MAX_BYTES = 64 * 1024;
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 300_000;

export interface SyslogForwarderDeps {
  udp?: Udp;
  socket?: Socket;
  timers: Timers;
  now: () => number;
  identity: SyslogIdentity;
  settings: () => SyslogSettings;
  /** CA trusted for TLS (device.sec.TLS.customCaCert1). */
  trustedCaPem: () => string | undefined;
  /** A line for the local log about syslog itself; called outside the sink (no re-entry into the logger). */
  note: (level: 'notice' | 'warning', text: string) => void;
}

export interface SyslogStats {
  sent: number;
  dropped: number;
  queued: number;
  reachable: boolean;
}

export class SyslogForwarder {
  private queue: string[] = [];
  private queuedBytes = 0;
  private sending = false;
  private retryTimer: number | null = null;
  private retryMs = RETRY_FIRST_MS;
  private reachable = true;
  private droppedSinceReport = 0;
  private readonly totals = { sent: 0, dropped: 0 };
  private connection: SocketConnection | null = null;
  /** Bumped on reconfiguration: an answer of the old configuration is ignored. */
  private generation = 0;
  private s: SyslogSettings;

  constructor(private readonly d: SyslogForwarderDeps) {
    this.s = d.settings();
  }

  /** The logger sink. */
  readonly sink = (_line: string, record: LogRecord): void => {
    if (!this.active() || record.level < this.s.renderLevel) return;
    this.enqueue(formatSyslogMessage(record, this.s.facility, this.d.identity, this.s.prependMac));
    this.pump();
  };

  /** Settings changed: drop the connection and the queue of the old server. */
  reconfigure(): void {
    this.generation++;
    this.closeConnection();
    if (this.retryTimer !== null) this.d.timers.cancel(this.retryTimer);
    this.retryTimer = null;
    this.queue = [];
    this.queuedBytes = 0;
    this.sending = false;
    this.reachable = true;
    this.retryMs = RETRY_FIRST_MS;
    this.s = this.d.settings();
    if (this.active() && !this.hasTransport()) this.defer('warning', `remote syslog over ${this.s.transport} to ${this.s.host} not possible: this phone has no ${this.s.transport === 'UDPOnly' ? 'udp' : 'socket'} device`);
  }

  stats(): SyslogStats {
    return { ...this.totals, queued: this.queue.length, reachable: this.reachable };
  }

  private active(): boolean {
    return this.s.transport !== 'None' && this.s.host !== '' && this.s.port > 0;
  }

  private hasTransport(): boolean {
    return this.s.transport === 'UDPOnly' ? !!this.d.udp : !!this.d.socket;
  }

  private enqueue(message: string): void {
    this.queue.push(message);
    this.queuedBytes += message.length;
    while (this.queue.length > SYSLOG_QUEUE_MAX_MESSAGES || this.queuedBytes > SYSLOG_QUEUE_MAX_BYTES) {
      this.queuedBytes -= this.queue.shift()!.length;
      this.totals.dropped++;
      this.droppedSinceReport++;
    }
  }

  private pump(): void {
    if (this.sending || this.retryTimer !== null || this.queue.length === 0 || !this.hasTransport()) return;
    this.sending = true;
    const generation = this.generation;
    const message = this.queue[0];
    this.send(message).then(
      () => {
        if (generation !== this.generation) return;
        this.sending = false;
        if (this.queue[0] === message) {
          this.queue.shift();
          this.queuedBytes -= message.length;
        }
        this.totals.sent++;
        this.retryMs = RETRY_FIRST_MS;
        if (!this.reachable) {
          this.reachable = true;
          const dropped = this.droppedSinceReport;
          this.droppedSinceReport = 0;
          this.defer('notice', `syslog server ${this.server()} reachable again${dropped ? `; ${dropped} messages dropped while it was not` : ''}`);
        }
        this.pump();
      },
      (e: Error) => {
        if (generation !== this.generation) return;
        this.sending = false;
        this.closeConnection();
        if (this.reachable) {
          this.reachable = false;
          this.defer('warning', `syslog server ${this.server()} unreachable (${e?.message ?? e}): keeping up to ${SYSLOG_QUEUE_MAX_MESSAGES} messages in RAM, retrying`);
        }
        const delay = this.retryMs;
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
        this.retryTimer = this.d.timers.after(delay, 'syslog retry', () => {
          this.retryTimer = null;
          this.pump();
        });
      },
    );
  }

  private async send(message: string): Promise<void> {
    const s = this.s;
    if (s.transport === 'UDPOnly') return this.d.udp!.send(s.host, s.port, message);
    if (this.connection === null) {
      const generation = this.generation;
      // TLS: the server certificate must chain to the provisioned CA (no CA: the socket refuses, reported as unreachable).
      const tls = s.transport === 'TLS' ? { caPem: this.d.trustedCaPem() ?? '' } : undefined;
      const connection = await this.d.socket!.connect({ host: s.host, port: s.port, tls, timeoutMs: 10_000, writeOnly: true });
      if (generation !== this.generation) {
        // Reconfigured while connecting: this connection belongs to the old server.
        connection.close();
        throw new Error('reconfigured');
      }
      // The server ended it: the next message connects again rather than failing on a dead connection.
      connection.onClose(() => { if (this.connection === connection) this.connection = null; });
      this.connection = connection;
    }
    // Octet counting (RFC 6587 3.4.1, RFC 5425): the length in bytes of the UTF-8 message.
    const frame = utf8Encode(`${utf8Encode(message).length} ${message}`);
    await this.connection.write(frame);
  }

  private closeConnection(): void {
    this.connection?.close();
    this.connection = null;
  }

  private server(): string {
    return `${this.s.host}:${this.s.port} (${this.s.transport})`;
  }

  /** Log about syslog from a timer, never from inside the sink (the logger is not re-entrant there). */
  private defer(level: 'notice' | 'warning', text: string): void {
    this.d.timers.after(0, 'syslog note', () => this.d.note(level, text));
  }
}
