/**
 * The board's flash on Linux MTD character devices (/dev/mtdN), one per
 * firmware partition (nvram, fs, updater), found by name in /proc/mtd.
 *
 * - Geometry comes from the kernel (MEMGETINFO) and must equal the board
 *   profile's: a partition of another size or erase block is refused with a
 *   message saying which, never used with a layout the store was not built for.
 * - NOR program semantics: a program stores `old & new` (read, AND, write), so
 *   RAM-backed test devices (mtdram, block2mtd) behave like a NOR chip, and
 *   offsets/lengths must be multiples of the profile's progSize (RangeError,
 *   as the simulator's flash).
 * - Erase is MEMERASE of one block; a refusal (EINVAL for a misaligned range)
 *   is reported with the range and the device's erase size.
 * - `writeThrough`: the fd is closed and reopened after every program and
 *   erase. mtdchar's release calls mtd_sync, and block2mtd only reaches its
 *   disk then — so writes land on the disk in order, as on real NOR, and a
 *   power cut (a killed VM) leaves the store as a cut on a chip would.
 *
 * The ioctls sit behind a small `MtdDevice` object so tests can stand a
 * regular file in for the character device and inject MEMGETINFO's answer.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BoardInfo, Flash, FlashPartition } from '../contract';
import { BoardDeviceError } from './board-device-error';
import { ERASE_INFO_USER, IoctlError, MEMERASE, MEMGETINFO, MTD_INFO_USER, ioctl } from './kernel-abi';

/** struct mtd_info_user, as MEMGETINFO fills it. */
export interface MtdInfo {
  type: number;
  flags: number;
  size: number;
  erasesize: number;
  writesize: number;
  oobsize: number;
}

/** mtd-abi.h: the device types NOR semantics cannot be emulated on (pages are written once per erase). */
const MTD_NANDFLASH = 4;
const MTD_MLCNANDFLASH = 8;
const MTD_WRITEABLE = 0x400;

/** The ioctl side of an MTD character device (injectable: tests use a regular file and a fake). */
export interface MtdDevice {
  info(fd: number): MtdInfo;
  /** MEMERASE of `length` bytes at `start`; throws IoctlError when the kernel refuses. */
  erase(fd: number, start: number, length: number): void;
}

/** The real thing: MEMGETINFO and MEMERASE through libc's ioctl. */
export const kernelMtdDevice: MtdDevice = {
  info(fd) {
    const buf = new Uint8Array(MTD_INFO_USER.size);
    ioctl().withBuffer(fd, MEMGETINFO, buf, 'MEMGETINFO');
    return decodeMtdInfo(buf);
  },
  erase(fd, start, length) {
    const buf = new Uint8Array(ERASE_INFO_USER.size);
    const view = new DataView(buf.buffer);
    view.setUint32(ERASE_INFO_USER.offsets.start, start, true);
    view.setUint32(ERASE_INFO_USER.offsets.length, length, true);
    ioctl().withBuffer(fd, MEMERASE, buf, 'MEMERASE');
  },
};

/** Little-endian: every board this runs on (x64, arm, arm64 Linux) is. */
export function decodeMtdInfo(buf: Uint8Array): MtdInfo {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const o = MTD_INFO_USER.offsets;
  return {
    type: view.getUint8(o.type),
    flags: view.getUint32(o.flags, true),
    size: view.getUint32(o.size, true),
    erasesize: view.getUint32(o.erasesize, true),
    writesize: view.getUint32(o.writesize, true),
    oobsize: view.getUint32(o.oobsize, true),
  };
}

/** One line of /proc/mtd: `mtd0: 00010000 00001000 "nvram"`. */
export interface ProcMtdEntry {
  /** `mtd0` */
  device: string;
  size: number;
  erasesize: number;
  name: string;
}

/** Parses /proc/mtd's text; lines that are not partitions (the header) are skipped. */
export function parseProcMtd(text: string): ProcMtdEntry[] {
  const entries: ProcMtdEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(mtd\d+):\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+"(.*)"\s*$/.exec(line);
    if (m) entries.push({ device: m[1], size: parseInt(m[2], 16), erasesize: parseInt(m[3], 16), name: m[4] });
  }
  return entries;
}

export interface MtdFlashOptions {
  /** The board profile's flash geometry: what the kernel's partitions must match. */
  geometry: BoardInfo['flash'];
  /** Firmware partition name (nvram, fs, updater) → MTD partition name in /proc/mtd; a missing entry means the same name. */
  partitions: Record<string, string>;
  /** Default /proc/mtd. */
  procMtd?: string;
  /** Where the mtdN character devices are; default /dev. */
  devDir?: string;
  /** Close and reopen the device after every program and erase (block2mtd: writes reach the disk in order). */
  writeThrough?: boolean;
  /** The ioctls; default the kernel's. */
  device?: MtdDevice;
}

export class MtdFlash implements Flash {
  private readonly parts = new Map<string, MtdPartition>();

  private constructor(private readonly order: string[], parts: MtdPartition[]) {
    for (const p of parts) this.parts.set(p.name, p);
  }

  /** Opens every partition of the profile and checks its geometry; throws BoardDeviceError when one is missing or wrong. */
  static open(o: MtdFlashOptions): MtdFlash {
    const procMtd = o.procMtd ?? '/proc/mtd';
    const devDir = o.devDir ?? '/dev';
    const device = o.device ?? kernelMtdDevice;
    let text: string;
    try {
      text = fs.readFileSync(procMtd, 'utf8');
    } catch (e) {
      throw new BoardDeviceError(procMtd, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}): the kernel needs MTD support (CONFIG_MTD, CONFIG_MTD_CHAR) and the board's flash driver`);
    }
    const entries = parseProcMtd(text);
    const opened: MtdPartition[] = [];
    try {
      for (const layout of o.geometry.partitions) {
        const mtdName = o.partitions[layout.name] ?? layout.name;
        const entry = entries.find((e) => e.name === mtdName);
        if (!entry) {
          const have = entries.length ? entries.map((e) => `"${e.name}"`).join(', ') : 'none';
          throw new BoardDeviceError(procMtd, `no MTD partition named "${mtdName}" for the firmware's ${layout.name} partition (the kernel has: ${have}); name it in the board file's flash.partitions`);
        }
        opened.push(MtdPartition.open({
          name: layout.name, mtdName, devicePath: path.join(devDir, entry.device), size: layout.size,
          blockSize: o.geometry.blockSize, progSize: o.geometry.progSize, writeThrough: o.writeThrough ?? false, device,
        }));
      }
    } catch (e) {
      for (const p of opened) p.close();
      throw e;
    }
    return new MtdFlash(o.geometry.partitions.map((p) => p.name), opened);
  }

  partitions(): string[] {
    return [...this.order];
  }

  open(name: string): MtdPartition {
    const part = this.parts.get(name);
    if (!part) throw new Error(`no flash partition "${name}" (have ${this.order.join(', ')})`);
    return part;
  }

  close(): void {
    for (const p of this.parts.values()) p.close();
  }
}

interface MtdPartitionOptions {
  name: string;
  mtdName: string;
  devicePath: string;
  size: number;
  blockSize: number;
  progSize: number;
  writeThrough: boolean;
  device: MtdDevice;
}

/** One firmware partition on one MTD character device. */
export class MtdPartition implements FlashPartition {
  readonly name: string;
  readonly size: number;
  readonly blockSize: number;
  readonly progSize: number;
  readonly devicePath: string;
  private fd: number | null;

  private constructor(private readonly o: MtdPartitionOptions, fd: number) {
    this.name = o.name;
    this.size = o.size;
    this.blockSize = o.blockSize;
    this.progSize = o.progSize;
    this.devicePath = o.devicePath;
    this.fd = fd;
  }

  static open(o: MtdPartitionOptions): MtdPartition {
    const fd = openDevice(o.devicePath, o.mtdName);
    try {
      checkGeometry(o, o.device.info(fd));
    } catch (e) {
      fs.closeSync(fd);
      if (e instanceof IoctlError) throw new BoardDeviceError(o.devicePath, `${e.message}: not an MTD character device?`);
      throw e;
    }
    return new MtdPartition(o, fd);
  }

  read(offset: number, length: number): Uint8Array {
    this.checkRange(offset, length);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = this.io('read', () => fs.readSync(this.handle(), out, done, length - done, offset + done));
      if (n === 0) throw new BoardDeviceError(this.devicePath, `read of ${length} bytes at ${offset} ended early at ${done}: the device is smaller than its geometry says`);
      done += n;
    }
    return out;
  }

  /** The first `length` bytes of every block: one pread per block (cheap natively, one host call for a QuickJS guest). */
  readBlockStarts(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 1 || length > this.blockSize) throw new RangeError(`block starts of ${length} bytes: blocks are ${this.blockSize} bytes`);
    const count = Math.floor(this.size / this.blockSize);
    const out = new Uint8Array(count * length);
    for (let b = 0; b < count; b++) out.set(this.read(b * this.blockSize, length), b * length);
    return out;
  }

  /** Blank check of every block past `from`: read and compared natively, 16 blocks per read. */
  blankBlocks(from: number): Uint8Array {
    if (!Number.isInteger(from) || from < 0 || from >= this.blockSize) throw new RangeError(`blank check from ${from}: blocks are ${this.blockSize} bytes`);
    const count = Math.floor(this.size / this.blockSize);
    const erased = Buffer.alloc(this.blockSize - from, 0xff);
    const out = new Uint8Array(count);
    for (let b = 0; b < count; b += 16) {
      const n = Math.min(16, count - b);
      const run = Buffer.from(this.read(b * this.blockSize, n * this.blockSize).buffer);
      for (let i = 0; i < n; i++) out[b + i] = erased.equals(run.subarray(i * this.blockSize + from, (i + 1) * this.blockSize)) ? 1 : 0;
    }
    return out;
  }

  /** NOR program: the stored bytes become old AND new. */
  program(offset: number, bytes: Uint8Array): void {
    this.checkRange(offset, bytes.length);
    if (offset % this.progSize !== 0 || bytes.length % this.progSize !== 0) {
      throw new RangeError(`program at ${offset} of ${bytes.length} bytes is not aligned to the program size ${this.progSize}`);
    }
    const stored = this.read(offset, bytes.length);
    for (let i = 0; i < stored.length; i++) stored[i] &= bytes[i];
    let done = 0;
    while (done < stored.length) {
      done += this.io('write', () => fs.writeSync(this.handle(), stored, done, stored.length - done, offset + done));
    }
    this.writtenThrough();
  }

  /** Erase block number `block`. */
  erase(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.size / this.blockSize) {
      throw new RangeError(`erase of block ${block} outside partition ${this.name}`);
    }
    this.eraseRange(block * this.blockSize, this.blockSize);
  }

  /**
   * MEMERASE of any byte range: what `erase` uses, public so a test on a real
   * kernel can show a misaligned range refused by the kernel and reported.
   */
  eraseRange(start: number, length: number): void {
    try {
      this.o.device.erase(this.handle(), start, length);
    } catch (e) {
      if (!(e instanceof IoctlError)) throw e;
      const hint = e.code === 'EINVAL' ? `: the range must start and end on the device's ${this.blockSize}-byte erase blocks` : '';
      throw new BoardDeviceError(this.devicePath, `erase of ${length} bytes at ${start} refused by the kernel: ${e.message}${hint}`);
    }
    this.writtenThrough();
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private handle(): number {
    if (this.fd === null) throw new BoardDeviceError(this.devicePath, 'used after close');
    return this.fd;
  }

  /** writeThrough: close (mtdchar's release syncs the MTD: block2mtd writes its disk) and reopen. */
  private writtenThrough(): void {
    if (!this.o.writeThrough) return;
    this.close();
    this.fd = openDevice(this.devicePath, this.o.mtdName);
  }

  private io<T>(what: string, op: () => T): T {
    try {
      return op();
    } catch (e) {
      throw new BoardDeviceError(this.devicePath, `${what} failed: ${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`.trim());
    }
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`flash access ${offset}+${length} outside partition ${this.name} (${this.size} bytes)`);
    }
  }
}

function openDevice(devicePath: string, mtdName: string): number {
  try {
    return fs.openSync(devicePath, fs.constants.O_RDWR);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'missing: /proc/mtd lists it, but there is no device node (CONFIG_MTD_CHAR; udev or mdev creates /dev/mtdN)'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied: the phone needs read-write access to its MTD devices'
      : `cannot be opened (${code ?? String(e)})`;
    throw new BoardDeviceError(devicePath, `MTD partition "${mtdName}" ${why}`);
  }
}

function checkGeometry(o: MtdPartitionOptions, info: MtdInfo): void {
  const where = `MTD partition "${o.mtdName}" (the firmware's ${o.name})`;
  if (info.type === MTD_NANDFLASH || info.type === MTD_MLCNANDFLASH) {
    throw new BoardDeviceError(o.devicePath, `${where} is NAND flash; the firmware's store needs NOR (bits programmed more than once per erase)`);
  }
  if (info.size !== o.size) {
    throw new BoardDeviceError(o.devicePath, `${where} is ${info.size} bytes, but the board profile's ${o.name} partition is ${o.size} bytes: refusing a flash layout the store was not built for`);
  }
  if (info.erasesize !== o.blockSize) {
    throw new BoardDeviceError(o.devicePath, `${where} erases ${info.erasesize}-byte blocks, but the board profile's block size is ${o.blockSize} bytes: refusing a flash layout the store was not built for`);
  }
  if (info.writesize > o.progSize || o.progSize % Math.max(1, info.writesize) !== 0) {
    throw new BoardDeviceError(o.devicePath, `${where} writes ${info.writesize}-byte pages, which the board profile's program size of ${o.progSize} bytes is not a multiple of`);
  }
  if ((info.flags & MTD_WRITEABLE) === 0) {
    throw new BoardDeviceError(o.devicePath, `${where} is read-only (MTD_WRITEABLE not set): check the partition's flags in the device tree or mtdparts`);
  }
}
