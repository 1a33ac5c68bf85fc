import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FolderUsb } from '../../sim/devices/usb';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'usb-test-'));
}

test('a present stick takes files into its folder and reports free space', () => {
  const dir = tempDir();
  try {
    const usb = new FolderUsb(dir, 1000);
    assert.ok(usb.present());
    assert.is(usb.freeBytes(), 1000);
    usb.writeFile('app.log', new Uint8Array(Buffer.from('line 1\n')));
    assert.is(fs.readFileSync(path.join(dir, 'app.log'), 'utf8'), 'line 1\n');
    assert.is(usb.freeBytes(), 993);
    usb.writeFile('app.log', new Uint8Array(300));
    assert.is(usb.freeBytes(), 700, 'overwriting replaces, it does not add');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a full stick refuses with "full" and keeps the old file', () => {
  const dir = tempDir();
  try {
    const usb = new FolderUsb(dir, 100);
    usb.writeFile('a.bin', new Uint8Array(60));
    assert.throws(() => usb.writeFile('b.bin', new Uint8Array(50)), /^full: b\.bin needs 50 bytes, 40 free/);
    assert.not.ok(fs.existsSync(path.join(dir, 'b.bin')));
    assert.is(fs.statSync(path.join(dir, 'a.bin')).size, 60);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no stick (no folder, or a folder that was removed) is "absent"', () => {
  const none = new FolderUsb(null);
  assert.not.ok(none.present());
  assert.is(none.freeBytes(), 0);
  assert.throws(() => none.writeFile('x', new Uint8Array(1)), /^absent/);
  const dir = tempDir();
  const pulled = new FolderUsb(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.not.ok(pulled.present());
  assert.throws(() => pulled.writeFile('x', new Uint8Array(1)), /^absent/);
});

test('file names that would leave the stick folder are refused', () => {
  const dir = tempDir();
  try {
    const usb = new FolderUsb(dir);
    for (const bad of ['../escape', 'sub/file', '', '.hidden']) {
      assert.throws(() => usb.writeFile(bad, new Uint8Array(1)), /invalid file name/, bad);
    }
    assert.equal(fs.readdirSync(dir), []);
    assert.not.ok(fs.existsSync(path.join(path.dirname(dir), 'escape')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
