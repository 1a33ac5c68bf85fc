/**
 * The SNTP client (RFC 4330, unicast): asks the configured server for the
 * time over the HAL's datagram device and steps the HAL wall clock to it.
 * Synchronizes at boot, then every resync period; a failed attempt is
 * retried with exponential backoff (15 s doubling, at most the resync period
 * and one hour) so an absent server is not flooded. Timers run on the
 * monotonic clock, so stepping the wall clock moves no schedule.
 */
import type { Clock, Udp } from '../../hal/contract';
import type { ComponentLogger } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { readSntpAnswer, sntpRequest } from './sntp-packet';

const NTP_PORT = 123;
/** RFC 4330: a client must not poll more often than every 15 s. */
const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 3600_000;
const ANSWER_TIMEOUT_MS = 5000;
/** Offsets smaller than this are noise of the exchange, not worth a log line at notice level. */
const STEP_NOTICE_MS = 1000;

export interface SntpServer { host: string; port: number }

/** `host`, `host:port` or an IPv4 address; null for an empty or malformed value (the reason in `problem`). */
export function parseSntpServer(text: string): { server: SntpServer | null; problem?: string } {
  const value = text.trim();
  if (!value) return { server: null };
  const m = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
  const port = m?.[2] ? Number(m[2]) : NTP_PORT;
  if (!m || port < 1 || port > 65535) return { server: null, problem: `"${value}" is not a host name or address with an optional :port` };
  return { server: { host: m[1], port } };
}

export interface SntpClientDeps {
  clock: Clock;
  udp: Pick<Udp, 'exchange'> | undefined;
  timers: Timers;
  log: ComponentLogger;
  /** The server in force now (re-read at each attempt). */
  server(): string;
  resyncPeriodMs(): number;
  /** The wall clock was stepped by `offsetMs`. */
  stepped(offsetMs: number): void;
}

export class SntpClient {
  private timer: number | null = null;
  private failures = 0;
  private running = false;
  private again = false;
  /** Bumped at each restart: an answer to an older attempt is ignored. */
  private generation = 0;
  /** Wall time of the last good synchronization (for the status screen and tests), 0 before. */
  lastSyncAt = 0;

  constructor(private readonly d: SntpClientDeps) {}

  /** Synchronize now and keep doing so; again from scratch after a configuration change. */
  restart(): void {
    this.generation++;
    this.failures = 0;
    this.schedule(0);
  }

  /** The network link came back: a client waiting out a backoff asks at once. */
  linkUp(): void {
    if (this.failures > 0 && !this.running) {
      this.failures = 0;
      this.schedule(0);
    }
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.d.timers.cancel(this.timer);
    this.timer = this.d.timers.after(ms, 'sntp sync', () => {
      this.timer = null;
      void this.sync();
    });
  }

  private async sync(): Promise<void> {
    const { server, problem } = parseSntpServer(this.d.server());
    if (problem) {
      this.d.log.error(`tcpIpApp.sntp.address: ${problem}; no time synchronization`);
      return;
    }
    if (!server) return;
    if (!this.d.udp) {
      this.d.log.warning('this board has no datagram network device: no time synchronization');
      return;
    }
    if (this.running) {
      // A restart while an exchange is out: start over once it ends (its answer is ignored).
      this.again = true;
      return;
    }
    this.running = true;
    const generation = this.generation;
    const where = `${server.host}:${server.port}`;
    try {
      const t1 = this.d.clock.now();
      const request = sntpRequest(t1);
      const answer = await this.d.udp.exchange({ host: server.host, port: server.port, payload: request, timeoutMs: ANSWER_TIMEOUT_MS });
      const t4 = this.d.clock.now();
      if (generation !== this.generation) return;
      const { offsetMs, delayMs, stratum } = readSntpAnswer(answer, request, t1, t4);
      const step = Math.round(offsetMs);
      this.d.clock.setWallTime(this.d.clock.now() + step);
      this.lastSyncAt = this.d.clock.now();
      this.failures = 0;
      const text = `time from ${where} (stratum ${stratum}, delay ${Math.round(delayMs)} ms): clock ${Math.abs(step) >= STEP_NOTICE_MS ? `stepped by ${(step / 1000).toFixed(3)} s` : `within ${Math.abs(step)} ms`}, now ${new Date(this.lastSyncAt).toISOString()}`;
      if (Math.abs(step) >= STEP_NOTICE_MS) this.d.log.notice(text);
      else this.d.log.info(text);
      if (step !== 0) this.d.stepped(step);
      this.schedule(this.d.resyncPeriodMs());
    } catch (e) {
      if (generation !== this.generation) return;
      this.failures++;
      const retry = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), Math.max(FIRST_RETRY_MS, this.d.resyncPeriodMs()), MAX_RETRY_MS);
      this.d.log.warning(`no time from ${where} (${(e as Error).message}); attempt ${this.failures}, retry in ${Math.round(retry / 1000)} s`);
      this.schedule(retry);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }
}
