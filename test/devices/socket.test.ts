/**
 * The simulator's socket device: real TCP, counted (connections, application
 * bytes, bytes on the wire), refused cleanly (refused, link down), awaiting a
 * reply after a write (so virtual time waits for the peer), and silent after
 * a power cut (no event of a dead boot reaches the next one). TLS is covered
 * against mosquitto in test/analytics.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'net';
import { HostSocket } from '../../sim/devices/socket';

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('data', (d) => c.write(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

test('counts connections and bytes both ways; awaits a reply after a write until it comes', async () => {
  const server = await echoServer();
  const device = new HostSocket();
  try {
    const conn = await device.connect({ host: '127.0.0.1', port: server.port });
    const got: number[] = [];
    conn.onData((b) => got.push(...b));
    const written = conn.write(new Uint8Array([1, 2, 3]));
    assert.is(device.awaitingReplies(), 1, 'written, not answered yet');
    await written;
    for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got, [1, 2, 3]);
    assert.is(device.awaitingReplies(), 0);
    assert.equal(device.counters, { connections: 1, bytesSent: 3, bytesReceived: 3 });
    assert.equal(device.wire(), { bytesSent: 3, bytesReceived: 3 }, 'plain TCP: the wire carries the same bytes');
    const closed = new Promise<string>((r) => conn.onClose(r));
    conn.close();
    assert.is(await closed, '');
    assert.is(device.openConnections(), 0);
  } finally {
    server.close();
  }
});

test('refused and link down reject with their codes; only attempts that reach the network count', async () => {
  const server = await echoServer();
  server.close();
  let up = true;
  const device = new HostSocket(() => up);
  await device.connect({ host: '127.0.0.1', port: server.port }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^refused: /));
  up = false;
  await device.connect({ host: '127.0.0.1', port: server.port }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^link-down: /));
  assert.is(device.counters.connections, 1);
  assert.equal(device.traffic.map((t) => t.kind), ['failed']);
});

test('power cut (closeAll): connections drop and report nothing to the firmware afterwards', async () => {
  const server = await echoServer();
  const device = new HostSocket();
  try {
    const conn = await device.connect({ host: '127.0.0.1', port: server.port });
    const events: string[] = [];
    conn.onData(() => events.push('data'));
    conn.onClose(() => events.push('close'));
    await conn.write(new Uint8Array([9]));
    device.closeAll();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(events, []);
    assert.is(device.openConnections(), 0);
    assert.is(device.awaitingReplies(), 0);
  } finally {
    server.close();
  }
});

test.run();
