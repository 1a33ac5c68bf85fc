import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MountedUsb } from '../../hal/linux/mounted-usb';

function bench(mounted: boolean): { root: string; mountPoint: string; mounts: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'usb mount-'));
  const mountPoint = path.join(root, 'media usb');
  fs.mkdirSync(mountPoint);
  const mounts = path.join(root, 'mounts');
  // /proc/mounts escapes the space as \040.
  const escaped = mountPoint.replace(/ /g, '\\040');
  fs.writeFileSync(mounts, `proc /proc proc rw 0 0\n${mounted ? `/dev/sda1 ${escaped} vfat rw,relatime 0 0\n` : ''}`);
  return { root, mountPoint, mounts };
}

test('present only while something is mounted at the mount point (an empty folder is not a stick)', () => {
  const b = bench(false);
  try {
    const usb = new MountedUsb({ mountPoint: b.mountPoint, procMounts: b.mounts });
    assert.not.ok(usb.present());
    assert.is(usb.freeBytes(), 0);
    assert.throws(() => usb.writeFile('app.log', new Uint8Array(1)), /^absent: nothing mounted at /);
    assert.equal(fs.readdirSync(b.mountPoint), []);
    fs.appendFileSync(b.mounts, `/dev/sda1 ${b.mountPoint.replace(/ /g, '\\040')} vfat rw 0 0\n`);
    assert.ok(usb.present());
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test('free bytes come from statfs; a file is written whole (replacing the old one) with no temporary file left', () => {
  const b = bench(true);
  try {
    const usb = new MountedUsb({ mountPoint: b.mountPoint, procMounts: b.mounts });
    const s = fs.statfsSync(b.mountPoint);
    assert.is(usb.freeBytes(), s.bavail * s.bsize);
    usb.writeFile('0004f2a1b2c3-app.log', new Uint8Array(Buffer.from('first\n')));
    usb.writeFile('0004f2a1b2c3-app.log', new Uint8Array(Buffer.from('second\n')));
    assert.equal(fs.readdirSync(b.mountPoint), ['0004f2a1b2c3-app.log']);
    assert.is(fs.readFileSync(path.join(b.mountPoint, '0004f2a1b2c3-app.log'), 'utf8'), 'second\n');
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test('a stale temporary file from a pulled stick is replaced; a file larger than the free space is refused as full', () => {
  const b = bench(true);
  try {
    const usb = new MountedUsb({ mountPoint: b.mountPoint, procMounts: b.mounts });
    fs.writeFileSync(path.join(b.mountPoint, '.log.txt.tmp'), 'torn');
    usb.writeFile('log.txt', new Uint8Array(3));
    assert.equal(fs.readdirSync(b.mountPoint), ['log.txt']);
    const tooBig = { length: usb.freeBytes() + 1 } as Uint8Array;
    assert.throws(() => usb.writeFile('big.bin', tooBig), /^full: big.bin needs/);
    assert.throws(() => usb.writeFile('../escape', new Uint8Array(1)), /invalid file name/);
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test.run();
