/**
 * `phone keygen`, `phone image` and `phone flash` as a hardware team runs
 * them: the squashfs board image (bundle, Linux host, board file, systemd
 * unit, signed manifest), the signed update file the phone verifies, the RAUC
 * bundle RAUC verifies with the development certificate; flashing onto an
 * image file with progress and read-back, and refusing an image for another
 * board.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUpdateFile } from '../../firmware/updater/update-file';
import { updateRefusal } from '../../firmware/updater/update-verification';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

const ROOT = path.resolve(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-image-test-'));
const key = path.join(dir, 'update.pem');
const image = path.join(dir, 'desk-500.img');
const phone = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'phone.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

test.before(() => {
  const k = phone('keygen', '-o', key);
  assert.is(k.status, 0, k.stderr);
  const r = phone('image', '--board', 'desk-500', '--key', key, '-o', image, '--arch', 'x64');
  assert.is(r.status, 0, r.stderr);
  console.log(`  ${r.stdout.trim().split('\n').join('\n  ')}`);
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('keygen: private key owner-only, public key and RAUC development certificate beside it', () => {
  assert.is(fs.statSync(key).mode & 0o777, 0o600);
  assert.is(fs.statSync(`${key}.rauc-key.pem`).mode & 0o777, 0o600);
  assert.match(fs.readFileSync(`${key}.pub.pem`, 'utf8'), /BEGIN PUBLIC KEY/);
  assert.match(fs.readFileSync(`${key}.rauc-cert.pem`, 'utf8'), /BEGIN CERTIFICATE/);
  assert.match(phone('keygen', '-o', key).stderr, /exists/);
});

test('the board image holds bundle, resource pack, Linux host, board file, systemd unit and a manifest signed by the update key', () => {
  const list = execFileSync('unsquashfs', ['-l', image], { encoding: 'utf8' });
  for (const f of ['opt/phone/dist/firmware.js', 'opt/phone/dist/firmware.res', 'opt/phone/bin/phone.js', 'etc/phone/board.json', 'etc/systemd/system/phone.service',
    'opt/phone/node_modules/koffi/build/koffi/linux_x64/koffi.node', 'opt/phone/node_modules/@jitl/quickjs-wasmfile-release-sync/package.json',
    'opt/phone/vendor/quickjs-bytecode/emscripten-module.wasm',
    'opt/phone/MANIFEST.json', 'opt/phone/MANIFEST.sig', 'opt/phone/update-key.der']) {
    assert.ok(list.includes(`squashfs-root/${f}`), `${f} in the image`);
  }
  const manifestText = execFileSync('unsquashfs', ['-cat', image, 'opt/phone/MANIFEST.json']);
  const manifest = JSON.parse(manifestText.toString());
  assert.equal([manifest.board, manifest.compatible], ['desk-500', 'deskphone-desk-500']);
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'firmware.js'));
  assert.is(manifest.files['opt/phone/dist/firmware.js'], nodeCrypto.createHash('sha256').update(bundle).digest('hex'));
  const pack = fs.readFileSync(path.join(ROOT, 'dist', 'firmware.res'));
  assert.is(manifest.files['opt/phone/dist/firmware.res'], nodeCrypto.createHash('sha256').update(pack).digest('hex'));
  const signature = execFileSync('unsquashfs', ['-cat', image, 'opt/phone/MANIFEST.sig']);
  assert.ok(nodeCrypto.verify(null, manifestText, nodeCrypto.createPublicKey(fs.readFileSync(`${key}.pub.pem`)), signature));
});

test('the update file passes the phone\'s own checks with the key\'s public half, and no other board\'s', () => {
  const parsed = parseUpdateFile(fs.readFileSync(`${image}.upd`));
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const publicKeyDer = nodeCrypto.createPublicKey(fs.readFileSync(`${key}.pub.pem`)).export({ format: 'der', type: 'spki' });
  const phoneKey = { algorithm: 'ed25519' as const, publicKeyDer };
  assert.is(updateRefusal(parsed.file, phoneKey, new NodeCryptoEngine(), 'desk-500'), null);
  assert.match(updateRefusal(parsed.file, phoneKey, new NodeCryptoEngine(), 'desk-99')!, /built for board desk-500/);
});

test('the RAUC bundle verifies against the development certificate as keyring', () => {
  const r = spawnSync('rauc', ['info', `--keyring=${key}.rauc-cert.pem`, `${image}.raucb`], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /Compatible:\s*'deskphone-desk-500'/);
  assert.match(r.stderr + r.stdout, /Verified inline signature/);
});

test('phone flash --device: progress, written, read back and verified', () => {
  const target = path.join(dir, 'sdcard.bin');
  fs.writeFileSync(target, Buffer.alloc(fs.statSync(image).size + 65536, 0xa5));
  const r = phone('flash', '--board', 'desk-500', '--device', target, image);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /writing 100%/);
  assert.match(r.stderr, /verifying 100%/);
  assert.match(r.stdout, /written to .*sdcard\.bin and verified/);
  const written = fs.readFileSync(target);
  assert.ok(written.subarray(0, fs.statSync(image).size).equals(fs.readFileSync(image)));
});

test('phone flash refuses an image for another board and writes nothing', () => {
  const target = path.join(dir, 'other.bin');
  const r = phone('flash', '--board', 'desk-99', '--device', target, image);
  assert.is(r.status, 1);
  assert.match(r.stderr, /refusing .*desk-500\.img: image is for board desk-500, not desk-99/);
  assert.not.ok(fs.existsSync(target));
  const u = phone('flash', '--board', 'desk-500', '--device', target, `${image}.upd`);
  assert.is(u.status, 1);
  assert.match(u.stderr, /not a board image or RAUC bundle/);
});

test.run();
