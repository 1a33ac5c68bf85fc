/**
 * A directory download streamed to flash as it arrives (download-staging.ts):
 * the pieces land in a sealed file of the download cache, the digest does
 * not depend on how the network cut the body, a download cut short by a
 * power cut leaves no orphan after the next start, a full store fails the
 * download alone, and no byte of it is on the raw flash in clear.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DownloadCache } from '../../firmware/provisioning/download-cache';
import { PIECE_BYTES } from '../../firmware/provisioning/download-staging';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { mountStore, newFlash } from '../storage/store-harness';

const GEOMETRY = { blockSize: 4096, progSize: 16, partitions: [{ name: 'fs', size: 512 * 1024 }] };

/** A directory-like body of `size` bytes naming a person the forensic check looks for. */
function body(size: number): Uint8Array {
  const item = '<item><fn>Alan</fn><ln>Turing</ln><ct>4711</ct></item>\n';
  return new Uint8Array(Buffer.from(item.repeat(Math.ceil(size / item.length)).slice(0, size)));
}

function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

test('streamed pieces land in one sealed file; the digest is the same however the network cut the body; adopted, it is the cached copy', () => {
  const flash = newFlash(GEOMETRY);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  const cache = new DownloadCache(store, () => {});
  const data = body(3 * PIECE_BYTES + 1234);
  const digests: string[] = [];
  for (const sizes of [[65536], [1000, 7, 30000], [PIECE_BYTES]]) {
    const staging = cache.stage(crypto, 'directory');
    for (const c of cut(data, sizes)) staging.write(c);
    const done = staging.finish();
    assert.ok(done.ok);
    if (!done.ok) return;
    assert.is(done.file.bytes, data.length);
    assert.equal(Buffer.from(store.read(done.file.path)!), Buffer.from(data));
    assert.is(Buffer.from(done.file.head).toString(), Buffer.from(data.subarray(0, 64)).toString());
    digests.push(done.file.digest);
    if (digests.length < 3) staging.discard();
    else cache.adopt('directory:000000000000-directory.xml', done.file, { etag: '"v1"' }, 'directory');
  }
  assert.is(new Set(digests).size, 1, digests.join(' '));
  assert.is(store.list('prov/f').length, 1, 'the discarded copies are gone');
  const again = new DownloadCache(store, () => {});
  assert.is(again.text('directory:000000000000-directory.xml'), Buffer.from(data).toString());
  assert.equal(again.validators('directory:000000000000-directory.xml'), { etag: '"v1"' });
  assert.is(again.digest('directory:000000000000-directory.xml'), digests[0]);
  // Forensics: the body is sealed under the directory class: no name in clear on the raw flash.
  assert.is(Buffer.from(flash.image()).indexOf('Turing'), -1);
});

test('a download cut short (power cut before the adoption) leaves an orphan the next start deletes; the copy before it stays', () => {
  const flash = newFlash(GEOMETRY);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  const cache = new DownloadCache(store, () => {});
  const key = 'directory:000000000000-directory.xml';
  const first = cache.stage(crypto, 'directory');
  first.write(body(40000));
  const done = first.finish();
  if (!done.ok) throw new Error(done.error);
  cache.adopt(key, done.file, {}, 'directory');
  const cutShort = cache.stage(crypto, 'directory');
  for (const c of cut(body(100000), [20000])) cutShort.write(c);
  assert.is(store.list('prov/f').length, 2, 'the partial download is on flash');
  // Power cut: the phone starts again from the flash as it is.
  const store2 = mountStore(flash.open('fs'), crypto);
  const after = new DownloadCache(store2, () => {});
  assert.equal(store2.list('prov/f').map((f) => f.path), [done.file.path]);
  assert.is(after.text(key), Buffer.from(body(40000)).toString());
});

test('a store too full for the download fails it alone: a clear error, the pieces written so far deleted, the copy before it kept', () => {
  const flash = newFlash({ ...GEOMETRY, partitions: [{ name: 'fs', size: 96 * 1024 }] });
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  const cache = new DownloadCache(store, () => {});
  const key = 'directory:000000000000-directory.xml';
  cache.save(key, 'old copy', {}, 'directory', 'd0');
  const staging = cache.stage(crypto, 'directory');
  for (const c of cut(body(200000), [16384])) staging.write(c);
  const done = staging.finish();
  assert.not.ok(done.ok);
  if (!done.ok) assert.match(done.error, /cannot store the download/);
  staging.discard();
  assert.is(store.list('prov/f').length, 1);
  assert.is(cache.text(key), 'old copy');
});

test.run();
