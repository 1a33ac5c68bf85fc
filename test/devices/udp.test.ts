/** The simulator's datagram device (HAL `udp`): one exchange, timeouts, link down, answers only from the server asked; send. */
import * as dgram from 'dgram';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HostUdp } from '../../sim/devices/udp';

async function server(onMessage: (msg: Buffer, from: dgram.RemoteInfo, socket: dgram.Socket) => void): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (m, from) => onMessage(m, from, socket));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, close: () => socket.close() };
}

test('answers with the first datagram from the server asked', async () => {
  const s = await server((m, from, sock) => sock.send(Buffer.concat([Buffer.from('re:'), m]), from.port, from.address));
  try {
    const udp = new HostUdp();
    const answer = await udp.exchange({ host: '127.0.0.1', port: s.port, payload: new Uint8Array(Buffer.from('hi')), timeoutMs: 2000 });
    assert.is(Buffer.from(answer).toString(), 're:hi');
    assert.equal(udp.exchanges, [{ host: '127.0.0.1', port: s.port, outcome: 'answered' }]);
  } finally {
    s.close();
  }
});

test('a datagram from another port is not the answer: timeout', async () => {
  const other = dgram.createSocket('udp4');
  await new Promise<void>((r) => other.bind(0, '127.0.0.1', r));
  const s = await server((m, from) => other.send(m, from.port, from.address));
  try {
    const udp = new HostUdp();
    const t0 = Date.now();
    const e = await udp.exchange({ host: '127.0.0.1', port: s.port, payload: new Uint8Array([1]), timeoutMs: 300 }).catch((x: Error) => x);
    assert.match((e as Error).message, /^timeout: no answer from 127\.0\.0\.1:\d+ within 300 ms/);
    assert.ok(Date.now() - t0 >= 290);
  } finally {
    s.close();
    other.close();
  }
});

test('link down: refused at once; bad port and unknown host: io / dns', async () => {
  const udp = new HostUdp();
  udp.followLink(() => false);
  const down = await udp.exchange({ host: '127.0.0.1', port: 123, payload: new Uint8Array(1), timeoutMs: 100 }).catch((x: Error) => x);
  assert.match((down as Error).message, /^link-down:/);
  const up = new HostUdp();
  const bad = await up.exchange({ host: '127.0.0.1', port: 70000, payload: new Uint8Array(1), timeoutMs: 100 }).catch((x: Error) => x);
  assert.match((bad as Error).message, /^io: bad port/);
  const dns = await up.exchange({ host: 'no-such-host.invalid', port: 123, payload: new Uint8Array(1), timeoutMs: 100 }).catch((x: Error) => x);
  assert.match((dns as Error).message, /^dns:/);
});

test('send: recorded once sent; link down refuses without sending', async () => {
  const got: string[] = [];
  const s = await server((m) => got.push(m.toString()));
  let up = true;
  const udp = new HostUdp();
  udp.followLink(() => up);
  try {
    await udp.send('127.0.0.1', s.port, 'hi');
    up = false;
    const down = await udp.send('127.0.0.1', s.port, 'lost').catch((x: Error) => x);
    assert.match((down as Error).message, /^link-down:/);
    for (let i = 0; i < 100 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got, ['hi']);
    assert.equal(udp.sent, [{ host: '127.0.0.1', port: s.port, bytes: 2 }]);
  } finally {
    udp.dispose();
    s.close();
  }
});

test.run();
