import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
import { HostNet } from '../../sim/devices/net';

let server: http.Server;
let base = '';
const received: { method: string; url: string; body: string; auth?: string }[] = [];

test.before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, body: Buffer.concat(chunks).toString(), auth: req.headers.authorization });
      if (req.url === '/ok') { res.writeHead(200, { 'X-Answer': '42', 'Content-Type': 'text/plain' }); res.end('hello'); }
      else if (req.url === '/missing') { res.writeHead(404); res.end('nope'); }
      else if (req.url === '/slow') { setTimeout(() => { if (!res.destroyed) res.end('late'); }, 1500); }
      else if (req.url === '/huge') { res.writeHead(200); res.end(Buffer.alloc(200_000, 0x61)); }
      else if (req.url === '/announced') { res.writeHead(200, { 'Content-Length': '200000' }); res.end(Buffer.alloc(200_000, 0x61)); }
      else if (req.url === '/chunked') {
        // No Content-Length: the size is only known as the body arrives.
        res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
        for (let i = 0; i < 5; i++) res.write(Buffer.alloc(50_000, 0x30 + i));
        res.end();
      }
      else if (req.url === '/basic') {
        if (req.headers.authorization === 'Basic ' + Buffer.from('alice:s3cret').toString('base64')) { res.writeHead(200); res.end('welcome'); }
        else { res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="prov"' }); res.end(); }
      } else if (req.url === '/upload') { res.writeHead(201); res.end(); }
      else { res.writeHead(500); res.end(); }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const utf8 = (b: Uint8Array) => Buffer.from(b).toString();
const failure = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);

test('GET returns status, lower-cased headers and body; 4xx is an answer, not an error', async () => {
  const net = new HostNet();
  const ok = await net.request({ method: 'GET', url: `${base}/ok` });
  assert.is(ok.status, 200);
  assert.is(ok.headers['x-answer'], '42');
  assert.is(utf8(ok.body), 'hello');
  const missing = await net.request({ method: 'GET', url: `${base}/missing` });
  assert.is(missing.status, 404);
  assert.equal(net.requests.map((r) => r.status), [200, 404]);
});

test('PUT sends the body', async () => {
  const net = new HostNet();
  const res = await net.request({ method: 'PUT', url: `${base}/upload`, body: new Uint8Array(Buffer.from('<calls/>')) });
  assert.is(res.status, 201);
  const put = received.find((r) => r.method === 'PUT')!;
  assert.is(put.body, '<calls/>');
});

test('a server that does not answer in time rejects with "timeout"', async () => {
  const t0 = Date.now();
  const msg = await failure(new HostNet().request({ method: 'GET', url: `${base}/slow`, timeoutMs: 200 }));
  assert.match(msg, /^timeout:/);
  assert.ok(Date.now() - t0 < 1400, 'did not wait for the slow answer');
});

test('a body past maxBodyBytes rejects with "too-large"', async () => {
  const msg = await failure(new HostNet().request({ method: 'GET', url: `${base}/huge`, maxBodyBytes: 50_000 }));
  assert.match(msg, /^too-large:/);
  const fits = await new HostNet().request({ method: 'GET', url: `${base}/huge`, maxBodyBytes: 300_000 });
  assert.is(fits.body.length, 200_000);
});

test('streaming: a 2xx body comes in order in pieces of at most 64 KiB and the response body is empty; a 404 body and a 401 challenge arrive whole', async () => {
  const net = new HostNet();
  const pieces: Uint8Array[] = [];
  const ok = await net.request({ method: 'GET', url: `${base}/chunked`, onBodyChunk: (c) => pieces.push(c) });
  assert.is(ok.status, 200);
  assert.is(ok.body.length, 0);
  assert.ok(pieces.length > 1 && pieces.every((p) => p.length <= 64 * 1024), pieces.map((p) => p.length).join(','));
  const whole = Buffer.concat(pieces);
  assert.is(whole.length, 250_000);
  assert.ok([0, 1, 2, 3, 4].every((i) => whole[i * 50_000] === 0x30 + i && whole[i * 50_000 + 49_999] === 0x30 + i), 'in order');
  const seen: Uint8Array[] = [];
  const missing = await net.request({ method: 'GET', url: `${base}/missing`, onBodyChunk: (c) => seen.push(c) });
  assert.is(utf8(missing.body), 'nope');
  const basic = await net.request({ method: 'GET', url: `${base}/basic`, auth: { user: 'alice', password: 's3cret' }, onBodyChunk: (c) => seen.push(c) });
  assert.is(basic.status, 200);
  assert.is(utf8(Buffer.concat(seen)), 'welcome', 'only the 2xx body streamed, not the 404 or 401 ones');
});

test('streaming: a body announced larger than maxBodyBytes is refused before any piece; one found too large midway rejects "too-large"', async () => {
  const net = new HostNet();
  const pieces: Uint8Array[] = [];
  assert.match(await failure(net.request({ method: 'GET', url: `${base}/announced`, maxBodyBytes: 100_000, onBodyChunk: (c) => pieces.push(c) })), /^too-large:/);
  assert.is(pieces.length, 0);
  assert.match(await failure(net.request({ method: 'GET', url: `${base}/chunked`, maxBodyBytes: 120_000, onBodyChunk: (c) => pieces.push(c) })), /^too-large:/);
  assert.ok(pieces.reduce((n, p) => n + p.length, 0) <= 120_000);
});

test('streaming from a served folder: the file in pieces of at most 64 KiB, all of them counted as received', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-stream-'));
  try {
    fs.writeFileSync(path.join(dir, 'big.xml'), Buffer.alloc(150_000, 0x7a));
    const net = new HostNet();
    net.serveFolder('sim://prov/', dir);
    const received: number[] = [];
    net.onRequestDone((d) => received.push(d.bytesReceived));
    const pieces: Uint8Array[] = [];
    const res = await net.request({ method: 'GET', url: 'sim://prov/big.xml', onBodyChunk: (c) => pieces.push(c) });
    assert.is(res.status, 200);
    assert.is(res.body.length, 0);
    assert.equal(pieces.map((p) => p.length), [65536, 65536, 18928]);
    assert.equal(received, [150_000], 'the network trace counts the streamed body');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('basic auth: the challenge is answered with the request credentials; wrong ones stay 401', async () => {
  const net = new HostNet();
  const res = await net.request({ method: 'GET', url: `${base}/basic`, auth: { user: 'alice', password: 's3cret' } });
  assert.is(res.status, 200);
  assert.is(utf8(res.body), 'welcome');
  const wrong = await net.request({ method: 'GET', url: `${base}/basic`, auth: { user: 'alice', password: 'guess' } });
  assert.is(wrong.status, 401);
  const none = await net.request({ method: 'GET', url: `${base}/basic` });
  assert.is(none.status, 401);
});

test('served folder: a malformed %-escape in the path is answered 400, like a web server, not thrown', async () => {
  const net = new HostNet();
  net.serveFolder('sim://prov/', __dirname);
  assert.is((await net.request({ method: 'GET', url: 'sim://prov/bad%zz.cfg' })).status, 400);
  assert.is((await net.request({ method: 'GET', url: 'sim://prov/missing.cfg' })).status, 404);
});

test('refused connection, bad URL, unsupported scheme and link down are named errors', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const net = new HostNet();
  assert.match(await failure(net.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })), /^refused:/);
  assert.match(await failure(net.request({ method: 'GET', url: 'not a url' })), /^io: bad URL/);
  assert.match(await failure(net.request({ method: 'GET', url: 'ftp://127.0.0.1/x' })), /^io: unsupported scheme/);
  const links: boolean[] = [];
  net.onLink((up) => links.push(up));
  net.setLink(false);
  assert.match(await failure(net.request({ method: 'GET', url: `${base}/ok` })), /^link-down:/);
  net.setLink(true);
  assert.equal(links, [false, true]);
  assert.is((await net.request({ method: 'GET', url: `${base}/ok` })).status, 200);
});

test.run();
