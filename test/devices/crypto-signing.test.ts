import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';

const text = (s: string) => new Uint8Array(Buffer.from(s));

test('a generated P-256 signing key signs; its public key verifies; listKeys/hasKey/destroyKey see it', () => {
  const c = new NodeCryptoEngine();
  c.generateSigningKey('web.tls');
  const spki = c.signingPublicKey('web.tls');
  const signature = c.sign('web.tls', text('tbs certificate'));
  assert.ok(c.verify('ecdsa-p256', spki, text('tbs certificate'), signature));
  assert.not.ok(c.verify('ecdsa-p256', spki, text('other'), signature));
  assert.equal(c.listKeys('web.'), ['web.tls']);
  c.destroyKey('web.tls');
  assert.not.ok(c.hasKey('web.tls'));
  assert.throws(() => c.sign('web.tls', text('x')), /no key "web.tls"/);
});

test('an imported PKCS#8 P-256 key is used as given; another curve, RSA or garbage is refused', () => {
  const c = new NodeCryptoEngine();
  const pair = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  c.importSigningKey('web.tls', new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })));
  assert.is(Buffer.from(c.signingPublicKey('web.tls')).toString('hex'), (pair.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('hex'));
  const p384 = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.throws(() => c.importSigningKey('x', new Uint8Array(p384)), /not ECDSA P-256/);
  assert.throws(() => c.importSigningKey('x', text('junk')), /not a PKCS#8 DER private key/);
  assert.not.ok(c.hasKey('x'));
});

test('AES and signing keys are not interchangeable', () => {
  const c = new NodeCryptoEngine();
  c.generateKey('aes');
  c.generateSigningKey('sig');
  assert.throws(() => c.sign('aes', text('x')), /AES key, not a signing key/);
  assert.throws(() => c.encrypt('sig', text('x')), /signing key, not an AES key/);
});

test('a signing key survives the keystore side file (same public key after reload)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-ks-'));
  const file = path.join(dir, 'phone.keys.json');
  const ks = new Keystore();
  const c = new NodeCryptoEngine(ks);
  c.generateSigningKey('web.tls');
  const before = Buffer.from(c.signingPublicKey('web.tls')).toString('hex');
  ks.save(file);
  const again = new NodeCryptoEngine(Keystore.load(file));
  assert.is(Buffer.from(again.signingPublicKey('web.tls')).toString('hex'), before);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
