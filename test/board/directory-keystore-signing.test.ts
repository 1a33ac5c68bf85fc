/** The board's directory keystore holds the web server's signing keys like AES keys: kept across a restart, gone when destroyed. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DirectoryKeystore } from '../../hal/linux/directory-keystore';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

test('a signing key survives reopening the directory, signs the same, and destroying it removes its file', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-signing-')), 'keys');
  try {
    const first = new NodeCryptoEngine(DirectoryKeystore.open(dir));
    first.generateSigningKey('web.tls.device');
    const spki = first.signingPublicKey('web.tls.device');
    assert.is(fs.readdirSync(dir).length, 1);
    const again = new NodeCryptoEngine(DirectoryKeystore.open(dir));
    const data = new Uint8Array(Buffer.from('tbs'));
    assert.ok(again.verify('ecdsa-p256', spki, data, again.sign('web.tls.device', data)));
    assert.match(again.signingKeyPem('web.tls.device'), /^-----BEGIN PRIVATE KEY-----/);
    again.destroyKey('web.tls.device');
    assert.equal(fs.readdirSync(dir), []);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test.run();
