/**
 * The MQTT session over a scripted socket and a manual clock: CONNACK codes,
 * PUBACK resolving the right publish, PINGREQ after a keepalive period of
 * silence, and a broker that stops answering ends the session (pending
 * publishes rejected, so the uploader keeps them queued).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Socket, SocketConnection } from '../../hal/contract';
import { MqttSession, type SessionTimers } from '../../firmware/analytics/mqtt-session';

class ManualTimers implements SessionTimers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  after(ms: number, _label: string, fn: () => void): number {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  cancel(id: number): void {
    this.due.delete(id);
  }
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const [id, t] = [...this.due].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!t) break;
      this.due.delete(id!);
      this.now = t.at;
      t.fn();
    }
    this.now = target;
  }
}

function scriptedSocket(answer: (packet: Uint8Array) => number[] | null) {
  const written: Uint8Array[] = [];
  let data: (b: Uint8Array) => void = () => {};
  let closed = false;
  const conn: SocketConnection = {
    write: async (b) => {
      written.push(b);
      const reply = answer(b);
      if (reply) queueMicrotask(() => data(new Uint8Array(reply)));
    },
    onData: (h) => { data = h; },
    onClose: () => {},
    close: () => { closed = true; },
  };
  const socket: Socket = { connect: async () => conn };
  return { socket, written, isClosed: () => closed };
}

const OPTIONS = { connect: { host: 'b', port: 1 }, mqtt: { clientId: 'c', keepAliveSeconds: 60, cleanSession: true }, answerTimeoutMs: 20000 };
const tick = () => new Promise((r) => setTimeout(r, 0));

test('CONNACK 0 opens; PUBACK resolves the publish with its packet id; PINGREQ after 60 s of silence', async () => {
  const timers = new ManualTimers();
  const s = scriptedSocket((p) => (p[0] === 0x10 ? [0x20, 2, 0, 0] : p[0] === 0x32 ? [0x40, 2, p[p[3] + 4], p[p[3] + 5]] : p[0] === 0xc0 ? [0xd0, 0] : null));
  const session = await MqttSession.open(s.socket, OPTIONS, timers);
  await session.publish('t/a', new Uint8Array([1]));
  assert.is(s.written[1][0], 0x32, 'QoS 1 PUBLISH');
  timers.advance(60000);
  await tick();
  assert.is(s.written[2][0], 0xc0, 'PINGREQ');
  timers.advance(20000);
  assert.ok(session.isOpen, 'PINGRESP came: still open');
  session.close();
  assert.is(s.written[3][0], 0xe0, 'DISCONNECT');
});

test('CONNACK 5 (not authorised) rejects with the reason; the socket is closed', async () => {
  const s = scriptedSocket((p) => (p[0] === 0x10 ? [0x20, 2, 0, 5] : null));
  const e = await MqttSession.open(s.socket, OPTIONS, new ManualTimers()).then(() => null, (err: Error) => err);
  assert.match(e!.message, /^refused: .*not authorized/);
  assert.ok(s.isClosed());
});

test('no PUBACK within the answer timeout: the session ends and the publish is rejected (the message stays queued)', async () => {
  const timers = new ManualTimers();
  const s = scriptedSocket((p) => (p[0] === 0x10 ? [0x20, 2, 0, 0] : null));
  const session = await MqttSession.open(s.socket, OPTIONS, timers);
  const publish = session.publish('t/a', new Uint8Array([1])).then(() => 'acked', (e: Error) => e.message);
  await tick();
  timers.advance(20000);
  assert.match(await publish, /^timeout: no PUBACK/);
  assert.not.ok(session.isOpen);
  assert.ok(s.isClosed());
});

test('a malformed packet from the broker ends the session', async () => {
  const timers = new ManualTimers();
  const s = scriptedSocket((p) => (p[0] === 0x10 ? [0x20, 2, 0, 0] : p[0] === 0x32 ? [0x90, 3, 0, 1, 0] : null));
  const session = await MqttSession.open(s.socket, OPTIONS, timers);
  const result = await session.publish('t/a', new Uint8Array([1])).then(() => 'acked', (e: Error) => e.message);
  assert.match(result, /unexpected packet type 9/);
  assert.not.ok(session.isOpen);
});

test.run();
