/**
 * Server-Sent Events for the browser UI: one stream per open page, fed by
 * polling the phone (cheap field compares every `pollMs`) and by its log.
 *
 * Events: `hello` (full snapshot and log on connect), `screen` (text model changed or
 * the framebuffer was redrawn; `frame` is a counter the page appends to the
 * PNG URL), `state` (power state, boot reason), `calls` (far-end calls), `leds` (LED states),
 * `log` (new log lines, batched), `flash` (flash operations happened; the page
 * refetches the wear map, at most once per `flashPollMs`), `broker` (the phone's
 * socket traffic to the analytics broker, batched, with its counters).
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { SocketTraffic } from '../devices/socket';
import type { Phone } from '../phone';
import { phoneLeds, phoneSnapshot } from './phone-snapshot';

export interface EventStreamOptions {
  pollMs?: number;
  flashPollMs?: number;
  heartbeatMs?: number;
}

export class PhoneEventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribeLog: () => void;
  private pendingLog: string[] = [];
  private pendingTraffic: SocketTraffic[] = [];
  private readonly unsubscribeTraffic: () => void;
  private frame = 0;
  private seen = { blits: -1, screen: '', state: '', calls: '', leds: '', flashOps: -1 };

  constructor(private readonly phone: Phone, options: EventStreamOptions = {}) {
    this.unsubscribeLog = phone.onLog((line) => this.pendingLog.push(line));
    this.unsubscribeTraffic = phone.devices.socket.onTraffic((t) => this.pendingTraffic.push(t));
    this.timers.push(setInterval(() => this.poll(), options.pollMs ?? 100));
    this.timers.push(setInterval(() => this.pollFlash(), options.flashPollMs ?? 1000));
    this.timers.push(setInterval(() => this.comment('heartbeat'), options.heartbeatMs ?? 15000));
    this.poll();
    this.pollFlash();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    // Flush buffered lines to the other pages first: the new page gets the whole log in `hello`, then only later lines.
    this.poll();
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
    this.sendTo(res, 'hello', { ...phoneSnapshot(this.phone), frame: this.frame, log: this.phone.log(), broker: { counters: this.phone.devices.socket.counters, entries: this.phone.devices.socket.traffic.slice(-100) } });
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribeLog();
    this.unsubscribeTraffic();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private poll(): void {
    const { phone } = this;
    const blits = phone.devices.display.blits;
    const screen = JSON.stringify(phone.screen());
    if (blits !== this.seen.blits || screen !== this.seen.screen) {
      this.seen.blits = blits;
      this.seen.screen = screen;
      this.frame++;
      this.broadcast('screen', { screen: phone.screen(), frame: this.frame });
    }
    const state = JSON.stringify({ state: phone.state, bootReason: phone.lastBootReason(), bootCount: phone.devices.power.bootCount(), build: phone.build });
    if (state !== this.seen.state) {
      this.seen.state = state;
      this.broadcast('state', JSON.parse(state));
    }
    const calls = JSON.stringify(phone.farEnd.calls());
    if (calls !== this.seen.calls) {
      this.seen.calls = calls;
      this.broadcast('calls', JSON.parse(calls));
    }
    const leds = JSON.stringify(phoneLeds(phone));
    if (leds !== this.seen.leds) {
      this.seen.leds = leds;
      this.broadcast('leds', { leds: JSON.parse(leds) });
    }
    if (this.pendingTraffic.length) {
      this.broadcast('broker', { counters: phone.devices.socket.counters, entries: this.pendingTraffic });
      this.pendingTraffic = [];
    }
    if (this.pendingLog.length) {
      this.broadcast('log', { lines: this.pendingLog });
      this.pendingLog = [];
    }
  }

  private pollFlash(): void {
    const ops = this.phone.devices.flash.operationCount();
    if (ops === this.seen.flashOps) return;
    this.seen.flashOps = ops;
    this.broadcast('flash', { operations: ops });
  }

  private broadcast(event: string, data: unknown): void {
    for (const res of this.clients) this.sendTo(res, event, data);
  }

  private sendTo(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private comment(text: string): void {
    for (const res of this.clients) res.write(`: ${text}\n\n`);
  }
}
