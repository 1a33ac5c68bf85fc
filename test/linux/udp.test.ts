/** The Node `udp` device of the Linux board (hal/linux/udp.ts), which the simulator wraps: send, exchange, refusals. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as dgram from 'dgram';
import { LinuxUdp, MAX_DATAGRAM_BYTES } from '../../hal/linux/udp';

async function receiver(onMessage: (msg: Buffer, from: dgram.RemoteInfo, socket: dgram.Socket) => void): Promise<{ port: number; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (m, from) => onMessage(m, from, socket));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, close: () => socket.close() };
}

test('send: one datagram per call, UTF-8, from one local port; exchange on the same device answers', async () => {
  const got: { text: string; port: number }[] = [];
  const s = await receiver((m, from, sock) => {
    got.push({ text: m.toString('utf8'), port: from.port });
    if (m.toString() === 'ping') sock.send('pong', from.port, from.address);
  });
  const udp = new LinuxUdp();
  try {
    await udp.send('127.0.0.1', s.port, '<134>1 Zürich');
    await udp.send('localhost', s.port, 'second');
    const answer = await udp.exchange({ host: '127.0.0.1', port: s.port, payload: new Uint8Array(Buffer.from('ping')), timeoutMs: 2000 });
    assert.is(Buffer.from(answer).toString(), 'pong');
    for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got.map((g) => g.text), ['<134>1 Zürich', 'second', 'ping']);
    assert.is(got[0].port, got[1].port, 'sends share one local socket');
    assert.is.not(got[2].port, got[0].port, 'an exchange uses a fresh local port');
  } finally {
    udp.dispose();
    s.close();
  }
});

test('send refuses what no receiver must take, a bad port and an unknown host, with the HAL codes', async () => {
  const udp = new LinuxUdp();
  try {
    const big = await udp.send('127.0.0.1', 514, 'x'.repeat(MAX_DATAGRAM_BYTES + 1)).catch((e: Error) => e);
    assert.match((big as Error).message, /^too-big: /);
    const port = await udp.send('127.0.0.1', 0, 'x').catch((e: Error) => e);
    assert.match((port as Error).message, /^io: bad port/);
    const dns = await udp.send('no-such-host.invalid', 514, 'x').catch((e: Error) => e);
    assert.match((dns as Error).message, /^dns: no-such-host\.invalid/);
  } finally {
    udp.dispose();
  }
});

test.run();
