/**
 * The Node `socket` device of the Linux board (hal/linux/socket.ts), which the
 * simulator wraps (test/devices/socket.test.ts covers the wrapper; TLS with a
 * CA is covered against rsyslog and mosquitto): write-only connections drop
 * what the peer sends, TLS without a CA is refused, power off is silent.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'net';
import { LinuxSocket } from '../../hal/linux/socket';

async function chattyServer(): Promise<{ port: number; received: () => string; close: () => void }> {
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('error', () => {});
    c.write('hello from the server');
    c.on('data', (d) => { received += d.toString('utf8'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, received: () => received, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

test('write-only: bytes go out, what the peer sends is dropped (never handed over later); a peer close is reported', async () => {
  const server = await chattyServer();
  const device = new LinuxSocket();
  try {
    const conn = await device.connect({ host: '127.0.0.1', port: server.port, writeOnly: true });
    await conn.write(new Uint8Array(Buffer.from('5 hello')));
    for (let i = 0; i < 100 && server.received() !== '5 hello'; i++) await new Promise((r) => setTimeout(r, 5));
    assert.is(server.received(), '5 hello');
    const late: Uint8Array[] = [];
    conn.onData((b) => late.push(b));
    assert.is(late.length, 0, 'nothing kept for a reader that never comes');
    const closed = new Promise<string>((r) => conn.onClose(r));
    server.close();
    assert.is(await closed, '');
    assert.is(device.openConnections(), 0);
    await conn.write(new Uint8Array([1])).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^closed: /));
  } finally {
    server.close();
  }
});

test('TLS without a CA certificate is refused before any connection (no platform trust store)', async () => {
  let tcp = 0;
  const device = new LinuxSocket({ observeTcp: () => tcp++ });
  const e = await device.connect({ host: '127.0.0.1', port: 6514, tls: { caPem: '' } }).catch((x: Error) => x);
  assert.match((e as Error).message, /^tls: 127\.0\.0\.1:6514: no CA certificate/);
  assert.is(tcp, 0);
});

test('closeAll: connections drop without telling the firmware', async () => {
  const server = await chattyServer();
  const device = new LinuxSocket();
  try {
    const conn = await device.connect({ host: '127.0.0.1', port: server.port });
    const events: string[] = [];
    conn.onClose((r) => events.push(`close ${r}`));
    device.closeAll();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(events, []);
    assert.is(device.openConnections(), 0);
  } finally {
    server.close();
  }
});

test.run();
