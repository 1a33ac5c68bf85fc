/**
 * Drains the flash queue to the broker, oldest first, one message in flight:
 * a message leaves the queue only after its PUBACK (at-least-once). While the
 * broker cannot be reached the uploader retries with a doubling backoff; an
 * idle connection is closed so an idle phone holds no socket open.
 */
import type { Socket } from '../../hal/contract';
import { utf8Encode } from '../kernel/text-codec';
import type { BrokerSettings } from './analytics-broker';
import type { AnalyticsQueue } from './analytics-queue';
import { MqttSession, type SessionTimers } from './mqtt-session';

export const FIRST_RETRY_MS = 30000;
export const MAX_RETRY_MS = 15 * 60000;
/** Close the connection when nothing was queued for this long. */
export const IDLE_CLOSE_MS = 30000;
export const KEEPALIVE_SECONDS = 60;
export const ANSWER_TIMEOUT_MS = 20000;

export interface UploaderDeps {
  socket: Socket | undefined;
  timers: SessionTimers;
  queue: AnalyticsQueue;
  broker: () => BrokerSettings | { error: string };
  topic: (service: string) => string;
  clientId: string;
  now: () => number;
  log: { info(m: string): void; warning(m: string): void; error(m: string): void };
}

export interface UploaderStatus {
  /** null: not tried yet this boot. */
  brokerReachable: boolean | null;
  /** Wall time of the last PUBACK, ms. */
  lastUploadAt: number | null;
  lastError: string;
  sentThisBoot: number;
}

export class AnalyticsUploader {
  readonly status: UploaderStatus = { brokerReachable: null, lastUploadAt: null, lastError: '', sentThisBoot: 0 };
  private session: MqttSession | null = null;
  private running = false;
  private stopped = false;
  private retryTimer: number | null = null;
  private idleTimer: number | null = null;
  private backoffMs = FIRST_RETRY_MS;
  /** The message last handed to the broker without an ack: resent with DUP. */
  private unackedSeq = -1;

  constructor(private readonly d: UploaderDeps) {}

  /** Something was queued (or the network came back): send soon. */
  kick(): void {
    if (this.stopped || this.running || this.retryTimer !== null) return;
    this.running = true;
    this.run().catch((e) => this.d.log.error(`analytics upload: ${reason(e)}`)).then(() => { this.running = false; });
  }

  /** Analytics turned off: close at once, send nothing more. */
  stop(): void {
    this.stopped = true;
    for (const t of [this.retryTimer, this.idleTimer]) if (t !== null) this.d.timers.cancel(t);
    this.retryTimer = this.idleTimer = null;
    this.session?.abort('analytics disabled');
    this.session = null;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const m = this.d.queue.oldest();
      if (!m) {
        this.armIdleClose();
        return;
      }
      this.cancelIdleClose();
      const session = this.session?.isOpen ? this.session : await this.connect();
      if (!session || this.stopped) return;
      const dup = m.seq === this.unackedSeq;
      this.unackedSeq = m.seq;
      try {
        await session.publish(this.d.topic(m.service), utf8Encode(m.body), dup);
      } catch (e) {
        this.failed(`publish of message ${m.id} failed: ${reason(e)}`);
        return;
      }
      if (this.stopped) return;
      try {
        this.d.queue.acknowledge(m.seq);
      } catch (e) {
        // Still on flash: it goes again later, the receiver drops the duplicate by id.
        this.failed(`acknowledged message ${m.id} not removed from flash: ${reason(e)}`);
        return;
      }
      this.status.lastUploadAt = this.d.now();
      this.status.sentThisBoot++;
      this.backoffMs = FIRST_RETRY_MS;
    }
  }

  private async connect(): Promise<MqttSession | null> {
    if (!this.d.socket) {
      this.failed('this board has no socket device');
      return null;
    }
    const broker = this.d.broker();
    if ('error' in broker) {
      this.failed(`broker settings: ${broker.error}`);
      return null;
    }
    try {
      const session = await MqttSession.open(this.d.socket, {
        connect: broker.connect,
        mqtt: { clientId: this.d.clientId, username: broker.username, password: broker.password, keepAliveSeconds: KEEPALIVE_SECONDS, cleanSession: true },
        answerTimeoutMs: ANSWER_TIMEOUT_MS,
      }, this.d.timers);
      if (this.stopped) {
        session.abort('analytics disabled');
        return null;
      }
      this.session = session;
      session.onClose((reason) => {
        if (this.session === session) this.session = null;
        if (reason !== 'closed by the phone' && reason !== 'analytics disabled') this.d.log.info(`analytics: broker connection closed (${reason})`);
      });
      if (this.status.brokerReachable !== true) this.d.log.info(`analytics: connected to ${broker.label}`);
      this.status.brokerReachable = true;
      this.status.lastError = '';
      return session;
    } catch (e) {
      this.failed(`cannot reach the broker ${broker.label}: ${reason(e)}`);
      return null;
    }
  }

  private failed(why: string): void {
    if (this.stopped) return;
    this.status.lastError = why;
    if (this.status.brokerReachable !== false) this.d.log.warning(`analytics: ${why}; retrying in ${Math.round(this.backoffMs / 1000)} s`);
    this.status.brokerReachable = false;
    this.session?.abort(why);
    this.session = null;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(MAX_RETRY_MS, this.backoffMs * 2);
    this.retryTimer = this.d.timers.after(delay, 'analytics retry', () => {
      this.retryTimer = null;
      this.kick();
    });
  }

  private armIdleClose(): void {
    if (!this.session || this.idleTimer !== null) return;
    this.idleTimer = this.d.timers.after(IDLE_CLOSE_MS, 'analytics idle close', () => {
      this.idleTimer = null;
      if (this.d.queue.length === 0) {
        this.session?.close();
        this.session = null;
      }
    });
  }

  private cancelIdleClose(): void {
    if (this.idleTimer !== null) this.d.timers.cancel(this.idleTimer);
    this.idleTimer = null;
  }
}

/** The error's own message: the broker's answer matters here, not the firmware's stack. */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
