/**
 * Remote syslog without a server: the RFC 5424 form of a line, the levels
 * and facility in PRI, octet-counted TCP frames, and the bounded RAM queue
 * while the server is unreachable (drops counted, reported when it answers).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Socket, SocketConnectOptions, SocketConnection } from '../../hal/contract';
import { VirtualClock } from '../../sim/devices/clock';
import { Logger, type LogRecord } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { SYSLOG_QUEUE_MAX_MESSAGES, SyslogForwarder } from '../../firmware/logs/syslog-forwarder';
import { formatSyslogMessage, MAX_MSG_CHARS } from '../../firmware/logs/syslog-message';
import { readSyslogSettings, type SyslogSettings } from '../../firmware/logs/syslog-settings';

const ID = { mac: '0004f2a1b2c3', appName: 'DESK500' };
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const rec = (level: LogRecord['level'], text: string, component = 'prov', missed = 0): LogRecord => ({ time: T, component, level, missed, text });

test('RFC 5424: PRI = facility*8 + severity for each of our levels; UTC timestamp; MAC, model, component', () => {
  const severities = [0, 1, 2, 3, 4, 5, 6].map((l) => Number(/^<(\d+)>/.exec(formatSyslogMessage(rec(l as LogRecord['level'], 'x'), 16, ID, false))![1]) - 128);
  assert.equal(severities, [7, 6, 5, 4, 3, 2, 0]);
  assert.is(formatSyslogMessage(rec(4, 'master file: timeout'), 23, ID, false), '<187>1 2026-01-02T03:04:05.678Z 0004f2a1b2c3 DESK500 - prov - master file: timeout');
  assert.is(formatSyslogMessage(rec(1, 'a\r\nb', 'sip', 2), 16, ID, true), '<134>1 2026-01-02T03:04:05.678Z 0004f2a1b2c3 DESK500 - sip - 0004f2a1b2c3: (2 missed) a b');
  const long = formatSyslogMessage(rec(1, 'y'.repeat(5000)), 16, ID, false);
  assert.ok(long.endsWith('y'.repeat(10) + '…') && long.length < MAX_MSG_CHARS + 100);
});

test('settings: Polycom defaults (UDPOnly, local0, render level 6, MAC prepended), port from the server name, IPv6', () => {
  const s = readSyslogSettings(() => undefined);
  assert.equal(s, { host: '', port: 514, transport: 'UDPOnly', facility: 16, renderLevel: 6, prependMac: true });
  const get = (v: Record<string, string>) => (n: string) => v[n];
  assert.is(readSyslogSettings(get({ 'device.syslog.serverName': 'logs.example:1514' })).port, 1514);
  assert.is(readSyslogSettings(get({ 'device.syslog.serverName': 'logs.example', 'device.syslog.transport': 'TLS' })).port, 6514);
  assert.equal({ ...readSyslogSettings(get({ 'device.syslog.serverName': '[fd00::1]:600' })) }.host, 'fd00::1');
});

/** A socket device whose server can be up or down; frames written are kept (as text); the server can end a connection. */
class FakeSocket implements Socket {
  up = true;
  opens: SocketConnectOptions[] = [];
  written: string[] = [];
  private closers: ((reason: string) => void)[] = [];
  connect(o: SocketConnectOptions): Promise<SocketConnection> {
    this.opens.push(o);
    if (!this.up) return Promise.reject(new Error('refused: connection refused'));
    let ended = false;
    return Promise.resolve({
      write: (bytes: Uint8Array) => {
        if (!this.up || ended) return Promise.reject(new Error('closed: reset'));
        this.written.push(Buffer.from(bytes).toString('utf8'));
        return Promise.resolve();
      },
      onData: () => {},
      onClose: (handler: (reason: string) => void) => { this.closers.push((r) => { ended = true; handler(r); }); },
      close: () => { ended = true; },
    });
  }
  /** The server ends every open connection. */
  hangUp(): void {
    for (const c of this.closers.splice(0)) c('');
  }
}

function rig(settings: Partial<SyslogSettings>) {
  const clock = new VirtualClock(T);
  const timers = new Timers(clock, (_l, fn) => fn);
  const socket = new FakeSocket();
  const notes: string[] = [];
  const s: SyslogSettings = { host: '127.0.0.1', port: 6514, transport: 'TLS', facility: 16, renderLevel: 1, prependMac: false, ...settings };
  const f = new SyslogForwarder({ socket, timers, now: () => clock.now(), identity: ID, settings: () => s, trustedCaPem: () => 'CA', note: (_l, t) => notes.push(t) });
  const logger = new Logger(() => clock.now(), 0);
  logger.addSink(f.sink);
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await settle();
  };
  return { f, socket, notes, log: logger.component('prov'), settle, advance };
}

test('TCP/TLS: octet-counted frames (byte length of the UTF-8 message), one connection, the CA passed; renderLevel filters', async () => {
  const r = rig({ renderLevel: 2 });
  r.log.info('not sent');
  r.log.notice('Zürich office');
  r.log.error('second');
  await r.settle();
  assert.is(r.socket.opens.length, 1);
  assert.equal(r.socket.opens[0], { host: '127.0.0.1', port: 6514, tls: { caPem: 'CA' }, timeoutMs: 10000, writeOnly: true });
  assert.is(r.socket.written.length, 2);
  const [len, ...rest] = r.socket.written[0].split(' ');
  assert.is(Number(len), Buffer.byteLength(rest.join(' '), 'utf8'));
  assert.match(r.socket.written[0], /Zürich office$/);
});

test('server unreachable: a bounded queue, oldest dropped and counted; sent in order when it answers, drops reported once', async () => {
  const r = rig({});
  r.socket.up = false;
  for (let i = 0; i < SYSLOG_QUEUE_MAX_MESSAGES + 40; i++) r.log.info(`event ${i}`);
  await r.settle();
  await r.advance(0);
  assert.is(r.f.stats().queued, SYSLOG_QUEUE_MAX_MESSAGES);
  assert.is(r.f.stats().dropped, 40);
  assert.is(r.f.stats().reachable, false);
  assert.is(r.notes.filter((n) => n.includes('unreachable')).length, 1);
  r.socket.up = true;
  await r.advance(5_000);
  await r.advance(0);
  assert.is(r.f.stats().queued, 0);
  assert.is(r.socket.written.length, SYSLOG_QUEUE_MAX_MESSAGES);
  assert.match(r.socket.written[0], /event 40$/);
  assert.match(r.socket.written[SYSLOG_QUEUE_MAX_MESSAGES - 1], new RegExp(`event ${SYSLOG_QUEUE_MAX_MESSAGES + 39}$`));
  assert.ok(r.notes.some((n) => /reachable again; 40 messages dropped while it was not/.test(n)), r.notes.join('\n'));
});

test('the server ends the connection between messages: the next message connects again, no message lost, no warning', async () => {
  const r = rig({ transport: 'TCPOnly', port: 514 });
  r.log.notice('before');
  await r.settle();
  r.socket.hangUp();
  r.log.notice('after');
  await r.settle();
  assert.is(r.socket.opens.length, 2);
  assert.equal(r.socket.opens[1].tls, undefined, 'TCPOnly: no TLS');
  assert.is(r.socket.written.length, 2);
  assert.match(r.socket.written[1], /after$/);
  assert.is(r.notes.length, 0, r.notes.join('\n'));
});

test('transport None or no server name: nothing queued or sent', async () => {
  for (const s of [{ transport: 'None' as const }, { host: '' }]) {
    const r = rig(s);
    r.log.error('x');
    await r.settle();
    assert.is(r.socket.opens.length, 0);
    assert.is(r.f.stats().queued, 0);
  }
});

test.run();
