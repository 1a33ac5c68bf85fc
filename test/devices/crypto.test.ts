import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';

const text = (s: string) => new Uint8Array(Buffer.from(s));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('hashes, HMAC and PBKDF2 match Node crypto', () => {
  const c = new NodeCryptoEngine();
  assert.is(hex(c.sha1(text('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.is(hex(c.sha256(text('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(hex(c.hmacSha256(text('k'), text('m'))), nodeCrypto.createHmac('sha256', 'k').update('m').digest('hex'));
  assert.is(hex(c.pbkdf2Sha256(text('456'), text('salt'), 1000, 32)), nodeCrypto.pbkdf2Sync('456', 'salt', 1000, 32, 'sha256').toString('hex'));
  assert.is(c.randomBytes(24).length, 24);
});

test('AES-CBC round trip with 128- and 256-bit keys; a bad key length or padding is an error', () => {
  const c = new NodeCryptoEngine();
  const iv = new Uint8Array(16).fill(7);
  for (const len of [16, 32]) {
    const key = new Uint8Array(len).fill(1);
    const sealed = c.aesCbcEncrypt(key, iv, text('config file'));
    assert.is(sealed.length, 16);
    assert.is(Buffer.from(c.aesCbcDecrypt(key, iv, sealed)).toString(), 'config file');
  }
  assert.throws(() => c.aesCbcEncrypt(new Uint8Array(10), iv, text('x')), /16 or 32 bytes, got 10/);
  assert.throws(() => c.aesCbcDecrypt(new Uint8Array(16).fill(2), iv, c.aesCbcEncrypt(new Uint8Array(16).fill(1), iv, text('x'))));
});

test('named keys: encrypt/decrypt by name, tamper detection, destroy is a cryptographic erase', () => {
  const c = new NodeCryptoEngine();
  c.generateKey('calls.user1');
  c.generateKey('dir.user1');
  assert.equal(c.listKeys('calls.'), ['calls.user1']);
  const sealed = c.encrypt('calls.user1', text('+1 555 0100'), text('aad'));
  assert.is(sealed.length, 12 + 11 + 16);
  assert.is(Buffer.from(c.decrypt('calls.user1', sealed, text('aad'))).toString(), '+1 555 0100');
  const tampered = new Uint8Array(sealed);
  tampered[14] ^= 1;
  assert.throws(() => c.decrypt('calls.user1', tampered, text('aad')), /data was altered/);
  assert.throws(() => c.decrypt('calls.user1', sealed, text('other aad')), /data was altered/);
  assert.throws(() => c.decrypt('dir.user1', sealed, text('aad')), /data was altered or belongs to another key/);
  c.destroyKey('calls.user1');
  assert.not.ok(c.hasKey('calls.user1'));
  assert.throws(() => c.decrypt('calls.user1', sealed, text('aad')), /no key "calls.user1"/);
  c.destroyKey('calls.user1');
});

test('the keystore persists to its own side file (mode 0600) and nowhere else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-test-'));
  try {
    const store = new Keystore();
    const c = new NodeCryptoEngine(store);
    c.generateKey('k1');
    const sealed = c.encrypt('k1', text('secret'));
    const file = path.join(dir, 'phone.bin.keys.json');
    store.save(file);
    assert.is(fs.statSync(file).mode & 0o777, 0o600);
    const again = new NodeCryptoEngine(Keystore.load(file));
    assert.is(Buffer.from(again.decrypt('k1', sealed)).toString(), 'secret');
    assert.equal(Keystore.load(path.join(dir, 'absent.json')).names(), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
