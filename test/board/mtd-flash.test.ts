import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardDeviceError } from '../../hal/linux/board-device-error';
import { IoctlError } from '../../hal/linux/kernel-abi';
import { MtdDevice, MtdFlash, MtdInfo, decodeMtdInfo, parseProcMtd } from '../../hal/linux/mtd-flash';

// A fake /proc/mtd and /dev: regular files stand in for the mtdN character
// devices, and a fake MtdDevice answers MEMGETINFO and does MEMERASE on them.
const GEOMETRY = { blockSize: 256, progSize: 16, partitions: [{ name: 'nvram', size: 1024 }, { name: 'fs', size: 2048 }] };
const PROC_MTD = 'dev:    size   erasesize  name\nmtd0: 00000400 00000100 "nvram"\nmtd1: 00000800 00000100 "data"\n';
const NOR_WRITEABLE = { type: 3, flags: 0xc00, writesize: 1, oobsize: 0 };

interface FakeBoard { dir: string; procMtd: string; devDir: string; erases: { fd: number; start: number; length: number }[]; opens: () => number }

function fakeBoard(procMtd = PROC_MTD, sizes: Record<string, number> = { mtd0: 1024, mtd1: 2048 }): FakeBoard {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtd-flash-'));
  fs.writeFileSync(path.join(dir, 'mtd'), procMtd);
  fs.mkdirSync(path.join(dir, 'dev'));
  for (const [dev, size] of Object.entries(sizes)) fs.writeFileSync(path.join(dir, 'dev', dev), new Uint8Array(size).fill(0xff));
  return { dir, procMtd: path.join(dir, 'mtd'), devDir: path.join(dir, 'dev'), erases: [], opens: () => 0 };
}

/** MEMGETINFO answers from the file's size unless `override` says otherwise; MEMERASE fills with 0xFF, refusing misaligned ranges as the kernel does. */
function fakeDevice(board: FakeBoard, override: (info: MtdInfo) => MtdInfo = (i) => i): MtdDevice {
  return {
    info: (fd) => override({ ...NOR_WRITEABLE, size: fs.fstatSync(fd).size, erasesize: 256 }),
    erase: (fd, start, length) => {
      board.erases.push({ fd, start, length });
      if (start % 256 !== 0 || length % 256 !== 0) throw new IoctlError('MEMERASE', 22, 'EINVAL');
      fs.writeSync(fd, new Uint8Array(length).fill(0xff), 0, length, start);
    },
  };
}

const open = (board: FakeBoard, extra: Partial<Parameters<typeof MtdFlash.open>[0]> = {}) => MtdFlash.open({
  geometry: GEOMETRY, partitions: { fs: 'data' }, procMtd: board.procMtd, devDir: board.devDir, device: fakeDevice(board), ...extra,
});

test('/proc/mtd is parsed into device, size, erase size and name; the header is skipped', () => {
  assert.equal(parseProcMtd(PROC_MTD), [
    { device: 'mtd0', size: 1024, erasesize: 256, name: 'nvram' },
    { device: 'mtd1', size: 2048, erasesize: 256, name: 'data' },
  ]);
  assert.equal(parseProcMtd(''), []);
});

test('MEMGETINFO\'s struct mtd_info_user is decoded little-endian at the kernel\'s offsets', () => {
  const buf = new Uint8Array(32);
  const v = new DataView(buf.buffer);
  v.setUint8(0, 3); v.setUint32(4, 0xc00, true); v.setUint32(8, 0x100000, true); v.setUint32(12, 0x1000, true);
  v.setUint32(16, 1, true); v.setUint32(20, 0, true);
  assert.equal(decodeMtdInfo(buf), { type: 3, flags: 0xc00, size: 0x100000, erasesize: 0x1000, writesize: 1, oobsize: 0 });
});

test('partitions are found by their MTD name (board file mapping, default the same name) and read back', () => {
  const board = fakeBoard();
  fs.writeFileSync(path.join(board.devDir, 'mtd1'), new Uint8Array(2048).fill(0x5a));
  const flash = open(board);
  assert.equal(flash.partitions(), ['nvram', 'fs']);
  const fsPart = flash.open('fs');
  assert.is(fsPart.size, 2048);
  assert.is(fsPart.blockSize, 256);
  assert.ok(fsPart.read(100, 1000).every((b) => b === 0x5a), 'fs is /dev/mtd1 ("data")');
  assert.ok(flash.open('nvram').read(0, 1024).every((b) => b === 0xff));
  assert.throws(() => flash.open('updater'), /no flash partition "updater"/);
  flash.close();
});

test('program has NOR semantics (old AND new) and refuses unaligned offsets and lengths', () => {
  const board = fakeBoard();
  const p = open(board).open('nvram');
  p.program(32, new Uint8Array(16).fill(0x0f));
  p.program(32, new Uint8Array(16).fill(0xf3));
  assert.is(p.read(32, 1)[0], 0x03, '0x0f & 0xf3');
  p.program(32, new Uint8Array(16).fill(0xff));
  assert.is(p.read(32, 1)[0], 0x03, 'programming 1s cannot set bits back');
  assert.is(fs.readFileSync(path.join(board.devDir, 'mtd0'))[32], 0x03, 'the bytes are on the device');
  assert.throws(() => p.program(8, new Uint8Array(16)), (e: Error) => e instanceof RangeError && /not aligned to the program size 16/.test(e.message));
  assert.throws(() => p.program(16, new Uint8Array(8)), RangeError);
  assert.throws(() => p.program(1024, new Uint8Array(16)), /outside partition nvram/);
  assert.throws(() => p.read(1000, 100), /outside partition nvram/);
});

test('block starts are the first bytes of each block, read from the device, as the store\'s mount asks for them', () => {
  const board = fakeBoard();
  const p = open(board).open('fs');
  p.program(256, new Uint8Array(16).fill(0x11));
  p.program(3 * 256, new Uint8Array(32).fill(0x22));
  const starts = p.readBlockStarts(32);
  assert.is(starts.length, 8 * 32);
  assert.equal([...starts.subarray(32, 48)], new Array(16).fill(0x11));
  assert.equal([...starts.subarray(48, 64)], new Array(16).fill(0xff));
  assert.equal([...starts.subarray(96, 128)], new Array(32).fill(0x22));
  assert.ok(starts.subarray(0, 32).every((b) => b === 0xff) && starts.subarray(128).every((b) => b === 0xff));
  assert.throws(() => p.readBlockStarts(257), RangeError);
});

test('the blank check reads each block from the device and says which read 0xFF past an offset', () => {
  const board = fakeBoard();
  const p = open(board).open('fs');
  p.program(256, new Uint8Array(16).fill(0x11));
  p.program(3 * 256 + 240, new Uint8Array(16).fill(0x22));
  assert.equal([...p.blankBlocks(0)], [1, 0, 1, 0, 1, 1, 1, 1]);
  assert.equal([...p.blankBlocks(16)], [1, 1, 1, 0, 1, 1, 1, 1]);
  assert.throws(() => p.blankBlocks(256), RangeError);
});

test('erase is one MEMERASE of the block; a block outside the partition is a RangeError', () => {
  const board = fakeBoard();
  const p = open(board).open('nvram');
  p.program(256, new Uint8Array(256).fill(0));
  p.erase(1);
  assert.equal(board.erases.map(({ start, length }) => ({ start, length })), [{ start: 256, length: 256 }]);
  assert.ok(p.read(256, 256).every((b) => b === 0xff));
  assert.throws(() => p.erase(4), RangeError);
  assert.throws(() => p.erase(-1), RangeError);
});

test('a misaligned erase refused by the kernel (EINVAL) is reported with the range and the erase block', () => {
  const board = fakeBoard();
  const p = open(board).open('nvram');
  assert.throws(() => p.eraseRange(100, 256), (e: Error) => e instanceof BoardDeviceError
    && /mtd0: erase of 256 bytes at 100 refused by the kernel: MEMERASE failed: EINVAL .*256-byte erase blocks/.test(e.message));
});

test('writeThrough closes and reopens the device after every program and erase; without it the device stays open', () => {
  const countOpens = (writeThrough: boolean): number => {
    const board = fakeBoard();
    const p = open(board, { writeThrough }).open('nvram');
    const device = path.join(board.devDir, 'mtd0');
    // The fs module object itself (the import above is a read-only namespace view of it).
    const nodeFs = require('fs') as { openSync: typeof fs.openSync };
    const realOpen = nodeFs.openSync;
    let opens = 0;
    nodeFs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
      if (file === device) opens++;
      return (realOpen as (...a: unknown[]) => number)(file, ...rest);
    }) as typeof fs.openSync;
    try {
      p.program(0, new Uint8Array(16).fill(0));
      p.erase(0);
      p.program(16, new Uint8Array(16).fill(0));
    } finally {
      nodeFs.openSync = realOpen;
    }
    assert.is(fs.readFileSync(device)[16], 0, 'the data is on the device');
    return opens;
  };
  assert.is(countOpens(true), 3);
  assert.is(countOpens(false), 0);
});

test('a geometry that does not match the board profile is refused with a clear message', () => {
  const board = fakeBoard();
  const refuse = (override: (i: MtdInfo) => MtdInfo, pattern: RegExp) => {
    assert.throws(() => open(board, { device: fakeDevice(board, override) }), (e: Error) => e instanceof BoardDeviceError && pattern.test(e.message), String(pattern));
  };
  refuse((i) => ({ ...i, size: i.size * 2 }), /mtd0: MTD partition "nvram" \(the firmware's nvram\) is 2048 bytes, but the board profile's nvram partition is 1024 bytes/);
  refuse((i) => ({ ...i, erasesize: 65536 }), /erases 65536-byte blocks, but the board profile's block size is 256 bytes/);
  refuse((i) => ({ ...i, type: 4 }), /is NAND flash/);
  refuse((i) => ({ ...i, writesize: 32 }), /32-byte pages/);
  refuse((i) => ({ ...i, flags: 0 }), /read-only/);
});

test('a missing /proc/mtd, MTD name or device node is a BoardDeviceError naming it', () => {
  const board = fakeBoard();
  assert.throws(() => open(board, { procMtd: path.join(board.dir, 'none') }), /none: cannot be read \(ENOENT\): the kernel needs MTD support/);
  assert.throws(() => open(board, { partitions: {} }), /no MTD partition named "fs" for the firmware's fs partition \(the kernel has: "nvram", "data"\)/);
  fs.rmSync(path.join(board.devDir, 'mtd1'));
  assert.throws(() => open(board), (e: Error) => e instanceof BoardDeviceError && /dev\/mtd1: MTD partition "data" missing/.test(e.message));
  const notMtd: MtdDevice = { info: () => { throw new IoctlError('MEMGETINFO', 25, 'ENOTTY'); }, erase: () => {} };
  assert.throws(() => open(fakeBoard(), { device: notMtd }), /mtd0: MEMGETINFO failed: ENOTTY .*not an MTD character device/);
});

test('the real ioctl on a regular file is refused clearly (no MTD on this host)', () => {
  const board = fakeBoard();
  assert.throws(() => open(board, { device: undefined }), (e: Error) => e instanceof BoardDeviceError && /MEMGETINFO failed: ENOTTY/.test(e.message));
});

test.run();
