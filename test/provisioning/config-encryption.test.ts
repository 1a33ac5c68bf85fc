/**
 * The config-file encryption codec (docs/config-encryption.md): round trip,
 * every refusal kind, the key string, compatibility with openssl as the doc
 * describes it, and the `phone crypt` CLI.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ConfigDecryptError, decryptConfigFile, encryptConfigFile, formatEncryptionKey, generateEncryptionKey, isEncryptedFile, parseEncryptionKey,
} from '../../firmware/provisioning/config-encryption';
import { cryptCommand } from '../../sim/cli/commands/crypt';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

const crypto = new NodeCryptoEngine();
const KEY = parseEncryptionKey('Crypt=1;KeyDesc=site2026;Key=00112233445566778899AABBCCDDEEFF;');
const PLAIN = Buffer.from('<?xml version="1.0"?>\n<polycomConfig prov.polling.enabled="1" dir.search.field="1"/>\n');

function failure(fn: () => unknown): ConfigDecryptError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ConfigDecryptError);
    return e as ConfigDecryptError;
  }
  throw new Error('expected a ConfigDecryptError');
}

test('key string: parsed in any field order, formatted back canonically', () => {
  const k = parseEncryptionKey(' Key=00112233445566778899aabbccddeeff ; KeyDesc=site2026;Crypt=1 ');
  assert.is(k.description, 'site2026');
  assert.is(Buffer.from(k.key).toString('hex'), '00112233445566778899aabbccddeeff');
  assert.is(formatEncryptionKey(k), 'Crypt=1;KeyDesc=site2026;Key=00112233445566778899aabbccddeeff;');
});

test('key string: wrong version, missing name, short or non-hex key are refused without echoing the key', () => {
  assert.throws(() => parseEncryptionKey('Crypt=2;KeyDesc=a;Key=00112233445566778899aabbccddeeff;'), /Crypt=1/);
  assert.throws(() => parseEncryptionKey('Crypt=1;Key=00112233445566778899aabbccddeeff;'), /KeyDesc/);
  assert.throws(() => parseEncryptionKey('Crypt=1;KeyDesc=a;Key=0011;'), /32 hex/);
  try {
    parseEncryptionKey('Crypt=1;KeyDesc=a;Key=zz112233445566778899aabbccddeeff;');
  } catch (e) {
    assert.not.match((e as Error).message, 'zz1122');
  }
});

test('round trip: header carries KeyDesc, IV, Length and the SHA-256 of the plaintext', () => {
  const enc = encryptConfigFile(crypto, KEY, PLAIN);
  assert.ok(isEncryptedFile(enc));
  assert.not.ok(isEncryptedFile(PLAIN));
  const header = Buffer.from(enc).toString('latin1').split('\n')[0];
  const digest = require('crypto').createHash('sha256').update(PLAIN).digest('hex');
  assert.match(header, new RegExp(`^Crypt=1;KeyDesc=site2026;Alg=AES-128-CBC;IV=[0-9a-f]{32};Length=${PLAIN.length};Digest=SHA-256:${digest};$`));
  assert.equal(Buffer.from(decryptConfigFile(crypto, KEY, enc)), PLAIN);
  // A fresh IV each time: the same file never encrypts to the same bytes.
  assert.not.equal(Buffer.from(encryptConfigFile(crypto, KEY, PLAIN)), Buffer.from(enc));
});

test('wrong key with the same name: refused as wrong-key-or-corrupt', () => {
  const enc = encryptConfigFile(crypto, KEY, PLAIN);
  const other = { description: 'site2026', key: new Uint8Array(16).fill(7) };
  assert.is(failure(() => decryptConfigFile(crypto, other, enc)).reason, 'wrong-key-or-corrupt');
});

test('a file made for another key name: key-mismatch naming both keys', () => {
  const enc = encryptConfigFile(crypto, generateEncryptionKey(crypto, 'site2027'), PLAIN);
  const e = failure(() => decryptConfigFile(crypto, KEY, enc));
  assert.is(e.reason, 'key-mismatch');
  assert.match(e.message, 'site2027');
  assert.match(e.message, 'site2026');
});

test('no key on the phone: no-key', () => {
  assert.is(failure(() => decryptConfigFile(crypto, null, encryptConfigFile(crypto, KEY, PLAIN))).reason, 'no-key');
});

test('truncated inside the body or inside the header: truncated', () => {
  const enc = encryptConfigFile(crypto, KEY, PLAIN);
  assert.is(failure(() => decryptConfigFile(crypto, KEY, enc.subarray(0, enc.length - 16))).reason, 'truncated');
  assert.is(failure(() => decryptConfigFile(crypto, KEY, enc.subarray(0, enc.length - 1))).reason, 'truncated');
  assert.is(failure(() => decryptConfigFile(crypto, KEY, enc.subarray(0, 40))).reason, 'truncated');
});

test('tampered ciphertext or digest, garbage header: refused', () => {
  const enc = encryptConfigFile(crypto, KEY, PLAIN);
  const flipped = Uint8Array.from(enc);
  flipped[flipped.length - 20] ^= 0x55;
  assert.is(failure(() => decryptConfigFile(crypto, KEY, flipped)).reason, 'wrong-key-or-corrupt');
  const text = Buffer.from(enc).toString('latin1');
  const digestForged = Buffer.from(text.replace(/Digest=SHA-256:([0-9a-f])/, (_m, c) => `Digest=SHA-256:${c === '0' ? '1' : '0'}`), 'latin1');
  assert.is(failure(() => decryptConfigFile(crypto, KEY, digestForged)).reason, 'wrong-key-or-corrupt');
  assert.is(failure(() => decryptConfigFile(crypto, KEY, Buffer.from('Crypt=1;KeyDesc=site2026;IV=xyz;\nabc'))).reason, 'bad-header');
  assert.is(failure(() => decryptConfigFile(crypto, KEY, Buffer.from('Crypt=9;\n'))).reason, 'bad-header');
});

test('a file made with the openssl recipe of docs/config-encryption.md decrypts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crypt-'));
  try {
    const src = path.join(dir, 'site.cfg');
    fs.writeFileSync(src, PLAIN);
    const iv = 'a1a2a3a4a5a6a7a8b1b2b3b4b5b6b7b8';
    const digest = require('crypto').createHash('sha256').update(PLAIN).digest('hex');
    const body = execFileSync('openssl', ['enc', '-aes-128-cbc', '-K', '00112233445566778899aabbccddeeff', '-iv', iv, '-in', src]);
    const file = Buffer.concat([Buffer.from(`Crypt=1;KeyDesc=site2026;Alg=AES-128-CBC;IV=${iv};Length=${PLAIN.length};Digest=SHA-256:${digest};\n`), body]);
    assert.equal(Buffer.from(decryptConfigFile(crypto, KEY, file)), PLAIN);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('phone crypt keygen: the key files are owner-only, also when they existed before with wider permissions', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crypt-mode-'));
  const out = process.stdout.write;
  try {
    const keyFile = path.join(dir, 'lab.key');
    const cfgFile = path.join(dir, 'key.cfg');
    for (const f of [keyFile, cfgFile]) {
      fs.writeFileSync(f, 'old');
      fs.chmodSync(f, 0o644);
    }
    process.stdout.write = (() => true) as typeof process.stdout.write;
    await cryptCommand().exitOverride().parseAsync(['node', 'crypt', 'keygen', '-n', 'lab', '-o', keyFile, '--cfg', cfgFile]);
    process.stdout.write = out;
    for (const f of [keyFile, cfgFile]) assert.is(fs.statSync(f).mode & 0o777, 0o600, f);
  } finally {
    process.stdout.write = out;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('phone crypt keygen / encrypt / decrypt', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crypt-cli-'));
  const out = process.stdout.write;
  try {
    const run = (...args: string[]) => cryptCommand().exitOverride().parseAsync(['node', 'crypt', ...args]);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    await run('keygen', '-n', 'lab', '-o', path.join(dir, 'lab.key'), '--cfg', path.join(dir, 'key.cfg'));
    process.stdout.write = out;
    const keyText = fs.readFileSync(path.join(dir, 'lab.key'), 'utf8').trim();
    assert.match(keyText, /^Crypt=1;KeyDesc=lab;Key=[0-9a-f]{32};$/);
    assert.match(fs.readFileSync(path.join(dir, 'key.cfg'), 'utf8'), `device.sec.configEncryption.key="${keyText}" device.sec.configEncryption.key.set="1"`);
    fs.writeFileSync(path.join(dir, 'site.cfg'), PLAIN);
    await run('encrypt', path.join(dir, 'site.cfg'), '-f', path.join(dir, 'lab.key'), '-o', path.join(dir, 'site.enc'));
    assert.ok(isEncryptedFile(fs.readFileSync(path.join(dir, 'site.enc'))));
    await run('decrypt', path.join(dir, 'site.enc'), '-k', keyText, '-o', path.join(dir, 'back.cfg'));
    assert.equal(fs.readFileSync(path.join(dir, 'back.cfg')), PLAIN);
    let refused = '';
    await run('decrypt', path.join(dir, 'site.enc'), '-k', formatEncryptionKey({ description: 'lab', key: new Uint8Array(16) })).catch((e: Error) => { refused = e.message; });
    assert.match(refused, 'does not decrypt');
  } finally {
    process.stdout.write = out;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
