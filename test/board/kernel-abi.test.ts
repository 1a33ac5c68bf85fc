import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  EVIOCGKEY, EVIOCGNAME, EVIOCGRAB, IoctlError, MEMERASE, MEMGETINFO, errnoName, inputEventLayout, inputEventSize, ioctl, longBytes,
} from '../../hal/linux/kernel-abi';

// The constants as the kernel headers expand them (printed by a C program with <mtd/mtd-user.h> and <linux/input.h>).
test('ioctl numbers computed with _IOC equal the kernel headers\' values', () => {
  assert.is(MEMGETINFO, 0x80204d01);
  assert.is(MEMERASE, 0x40084d02);
  assert.is(EVIOCGRAB, 0x40044590);
  assert.is(EVIOCGKEY(96), 0x80604518);
  assert.is(EVIOCGNAME(256), 0x81004506);
});

test('input_event is 24 bytes on 64-bit boards and 16 on 32-bit ARM', () => {
  assert.is(inputEventSize('x64'), 24);
  assert.is(inputEventSize('arm64'), 24);
  assert.is(inputEventSize('arm'), 16);
  assert.equal(inputEventLayout('x64').offsets, { sec: 0, usec: 8, type: 16, code: 18, value: 20 });
  assert.equal(inputEventLayout('arm').offsets, { sec: 0, usec: 4, type: 8, code: 10, value: 12 });
});

test('an unknown architecture is refused by name, not guessed', () => {
  assert.is(longBytes('x64'), 8);
  assert.throws(() => longBytes('sparc'), /unknown CPU architecture "sparc"/);
});

test('ioctl through koffi reports the kernel\'s errno by name (a regular file knows no MEMGETINFO)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-abi-'));
  const file = path.join(dir, 'not-a-device');
  fs.writeFileSync(file, 'x');
  const fd = fs.openSync(file, 'r');
  try {
    const err = (() => {
      try { ioctl().withBuffer(fd, MEMGETINFO, new Uint8Array(32), 'MEMGETINFO'); } catch (e) { return e; }
      return null;
    })();
    assert.ok(err instanceof IoctlError, 'throws an IoctlError');
    assert.is((err as IoctlError).code, 'ENOTTY');
    assert.match((err as IoctlError).message, /^MEMGETINFO failed: ENOTTY/);
    assert.throws(() => ioctl().withInt(-1, EVIOCGRAB, 1, 'EVIOCGRAB'), /EVIOCGRAB failed: EBADF/);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('errno numbers are named', () => {
  assert.is(errnoName(22), 'EINVAL');
  assert.is(errnoName(123456), 'errno 123456');
});

test.run();
