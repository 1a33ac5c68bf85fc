import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DirectoryKeystore, KeystoreDirectoryError } from '../../hal/linux/directory-keystore';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-test-'));
}
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const text = (s: string) => new Uint8Array(Buffer.from(s));

test('a fresh keystore directory is created 0700 and each key file 0600, one file per key', () => {
  const root = tempRoot();
  const old = process.umask(0o022);
  try {
    const dir = path.join(root, 'keys');
    const ks = DirectoryKeystore.open(dir);
    ks.set('class:calls', Buffer.alloc(32, 1));
    ks.set('class:directory', Buffer.alloc(32, 2));
    assert.is(mode(dir), 0o700);
    const files = fs.readdirSync(dir).sort();
    assert.is(files.length, 2);
    for (const f of files) assert.is(mode(path.join(dir, f)), 0o600);
    assert.equal(DirectoryKeystore.open(dir).names(), ['class:calls', 'class:directory']);
    assert.equal([...DirectoryKeystore.open(dir).get('class:directory')!], [...Buffer.alloc(32, 2)]);
  } finally {
    process.umask(old);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('NodeCryptoEngine seals under a key kept in the directory; a second boot decrypts it', () => {
  const root = tempRoot();
  try {
    const first = new NodeCryptoEngine(DirectoryKeystore.open(root));
    first.generateKey('class:calls:alice');
    const sealed = first.encrypt('class:calls:alice', text('call list'));
    const second = new NodeCryptoEngine(DirectoryKeystore.open(root));
    assert.ok(second.hasKey('class:calls:alice'));
    assert.is(Buffer.from(second.decrypt('class:calls:alice', sealed)).toString(), 'call list');
    second.destroyKey('class:calls:alice');
    assert.not.ok(new NodeCryptoEngine(DirectoryKeystore.open(root)).hasKey('class:calls:alice'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a directory others may read is refused with a message naming it and the fix', () => {
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o755);
    assert.throws(() => DirectoryKeystore.open(root), (e: Error) =>
      e instanceof KeystoreDirectoryError && e.message.includes(root) && e.message.includes('mode 0755') && e.message.includes('chmod 700'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a key file others may read is refused', () => {
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o700);
    DirectoryKeystore.open(root).set('k', Buffer.alloc(32, 3));
    const file = path.join(root, fs.readdirSync(root)[0]);
    fs.chmodSync(file, 0o644);
    assert.throws(() => DirectoryKeystore.open(root), /key file .* has mode 0644/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a directory owned by another user is refused', () => {
  if (process.geteuid?.() !== 0) return; // only root can give a directory away; the board runs as root
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o700);
    fs.chownSync(root, 12345, 12345);
    assert.throws(() => DirectoryKeystore.open(root), /owned by uid 12345, not by uid 0/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('atomic writes: no temporary file stays behind, and one left by a cut is wiped and ignored with the old key intact', () => {
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o700);
    const ks = DirectoryKeystore.open(root);
    ks.set('k', Buffer.alloc(32, 4));
    assert.equal(fs.readdirSync(root).filter((f) => f.endsWith('.tmp')), []);
    // A cut between the temporary file's write and its rename: half a new key in `<file>.tmp`.
    const keyFile = path.join(root, fs.readdirSync(root)[0]);
    fs.writeFileSync(keyFile + '.tmp', Buffer.alloc(10, 9), { mode: 0o600 });
    const again = DirectoryKeystore.open(root);
    assert.equal([...again.get('k')!], [...Buffer.alloc(32, 4)]);
    assert.equal(fs.readdirSync(root), [path.basename(keyFile)]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('deleting a key overwrites its bytes before unlinking the file', () => {
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o700);
    const ks = DirectoryKeystore.open(root);
    const secret = Buffer.from('0123456789abcdef0123456789abcdef');
    ks.set('class:directory', secret);
    const keyFile = path.join(root, fs.readdirSync(root)[0]);
    // A second name for the same inode shows what is left in the file's blocks after the delete.
    const witness = path.join(os.tmpdir(), `keystore-witness-${process.pid}`);
    fs.rmSync(witness, { force: true });
    fs.linkSync(keyFile, witness);
    try {
      ks.delete('class:directory');
      assert.not.ok(fs.existsSync(keyFile));
      const left = fs.readFileSync(witness);
      assert.is(left.length, secret.length);
      assert.ok(left.every((b) => b === 0), 'the key bytes were overwritten with zeros');
      assert.equal(ks.names(), []);
    } finally {
      fs.rmSync(witness, { force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a stray file in the keystore directory is refused by name', () => {
  const root = tempRoot();
  try {
    fs.chmodSync(root, 0o700);
    fs.writeFileSync(path.join(root, 'notes.txt'), 'x', { mode: 0o600 });
    assert.throws(() => DirectoryKeystore.open(root), /unexpected file "notes.txt"/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
