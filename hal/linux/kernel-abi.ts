/**
 * The Linux kernel ABI the board's drivers speak: ioctl request numbers,
 * the layouts of the structs they pass, and libc's `ioctl` reached through
 * koffi (a maintained FFI package with prebuilt binaries for x64, arm and
 * arm64, so a board image needs no compiler).
 *
 * Numbers and layouts are computed here from the kernel's own definitions
 * (include/uapi/asm-generic/ioctl.h, mtd/mtd-abi.h, linux/input.h) rather
 * than copied as magic constants, so the same code is right on 64-bit boards
 * and on 32-bit ARM, where `struct timeval` — and so `struct input_event` —
 * is smaller. test/board/armhf-layout.test.ts checks these against what
 * koffi computes inside an armv7l Node under qemu-arm-static.
 */
import * as os from 'os';

// ─────────────────────── ioctl request numbers ───────────────────────
// asm-generic encoding (x86, arm, arm64): nr 8 bits, type 8, size 14, dir 2.

export const IOC_NONE = 0;
export const IOC_WRITE = 1;
export const IOC_READ = 2;

const IOC_NRSHIFT = 0;
const IOC_TYPESHIFT = 8;
const IOC_SIZESHIFT = 16;
const IOC_DIRSHIFT = 30;
const IOC_SIZEMASK = (1 << 14) - 1;

/** `_IOC(dir, type, nr, size)`; `type` is the driver's letter ('M' for MTD, 'E' for evdev). */
export function ioc(dir: number, type: string | number, nr: number, size: number): number {
  const t = typeof type === 'string' ? type.charCodeAt(0) : type;
  if (size < 0 || size > IOC_SIZEMASK) throw new RangeError(`ioctl argument size ${size} does not fit 14 bits`);
  // >>> 0: the READ direction sets bit 31; the request is an unsigned long.
  return ((dir << IOC_DIRSHIFT) | (t << IOC_TYPESHIFT) | (nr << IOC_NRSHIFT) | (size << IOC_SIZESHIFT)) >>> 0;
}

/** `_IOR(type, nr, size)`: the kernel writes `size` bytes to the argument. */
export function ior(type: string, nr: number, size: number): number {
  return ioc(IOC_READ, type, nr, size);
}

/** `_IOW(type, nr, size)`: the kernel reads `size` bytes from the argument. */
export function iow(type: string, nr: number, size: number): number {
  return ioc(IOC_WRITE, type, nr, size);
}

// ─────────────────────── struct layouts ───────────────────────

/** Architectures as Node names them (`process.arch`). */
export type Arch = 'x64' | 'arm64' | 'arm' | 'ia32' | string;

/** Bytes of a C `long` (and so of each `struct timeval` field) on `arch`. */
export function longBytes(arch: Arch): number {
  switch (arch) {
    case 'x64': case 'arm64': case 'ppc64': case 's390x': case 'riscv64': case 'loong64': case 'mips64el':
      return 8;
    case 'arm': case 'ia32': case 'mips': case 'mipsel': case 'ppc':
      return 4;
    default:
      throw new Error(`unknown CPU architecture "${arch}": the Linux board's drivers know 64-bit (x64, arm64) and 32-bit (arm, ia32) layouts`);
  }
}

/**
 * struct mtd_info_user { __u8 type; __u32 flags; __u32 size; __u32 erasesize;
 * __u32 writesize; __u32 oobsize; __u64 padding; } — 32 bytes on every arch
 * (the __u64 sits at 24, aligned on both 4- and 8-byte ABIs).
 */
export const MTD_INFO_USER = {
  size: 32,
  offsets: { type: 0, flags: 4, size: 8, erasesize: 12, writesize: 16, oobsize: 20, padding: 24 },
} as const;

/** struct erase_info_user { __u32 start; __u32 length; } */
export const ERASE_INFO_USER = { size: 8, offsets: { start: 0, length: 4 } } as const;

export interface InputEventLayout {
  size: number;
  offsets: { sec: number; usec: number; type: number; code: number; value: number };
}

/**
 * struct input_event { struct timeval time; __u16 type; __u16 code; __s32 value; }:
 * two `long`s of time (the uapi header's __kernel_ulong_t on 32-bit time64
 * userspace, the same width), so 24 bytes on 64-bit and 16 on 32-bit ARM.
 */
export function inputEventLayout(arch: Arch = process.arch): InputEventLayout {
  const l = longBytes(arch);
  return { size: 2 * l + 8, offsets: { sec: 0, usec: l, type: 2 * l, code: 2 * l + 2, value: 2 * l + 4 } };
}

export function inputEventSize(arch: Arch = process.arch): number {
  return inputEventLayout(arch).size;
}

// ─────────────────────── the requests the drivers use ───────────────────────

/** `_IOR('M', 1, struct mtd_info_user)` = 0x80204d01. */
export const MEMGETINFO = ior('M', 1, MTD_INFO_USER.size);
/** `_IOW('M', 2, struct erase_info_user)` = 0x40084d02. */
export const MEMERASE = iow('M', 2, ERASE_INFO_USER.size);
/** `_IOW('E', 0x90, int)`: exclusive grab (argument 1) or release (0) of an evdev device. */
export const EVIOCGRAB = iow('E', 0x90, 4);
/** `_IOC(_IOC_READ, 'E', 0x18, len)`: bitmap of the keys held down now. */
export function EVIOCGKEY(len: number): number {
  return ioc(IOC_READ, 'E', 0x18, len);
}
/** `_IOC(_IOC_READ, 'E', 0x06, len)`: the device's name. */
export function EVIOCGNAME(len: number): number {
  return ioc(IOC_READ, 'E', 0x06, len);
}

/** Event types and values of linux/input-event-codes.h the key driver reads. */
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const KEY_MAX = 0x2ff;
/** Bytes of a bitmap with one bit per key code 0..KEY_MAX. */
export const KEY_BITMAP_BYTES = Math.ceil((KEY_MAX + 1) / 8);

export const MTD_NORFLASH = 3;

// ─────────────────────── ioctl through koffi ───────────────────────

/** An ioctl the kernel refused; `code` is the errno name (EINVAL, ENOTTY, ENODEV, ...). */
export class IoctlError extends Error {
  constructor(readonly request: string, readonly errno: number, readonly code: string) {
    super(`${request} failed: ${code} (${describeErrno(code)})`);
    this.name = 'IoctlError';
  }
}

/** libc's ioctl: with a buffer the kernel reads or fills, or with a plain integer argument. */
export interface Ioctl {
  /** `name` names the request in the error message (e.g. `MEMERASE`). */
  withBuffer(fd: number, request: number, arg: Uint8Array, name: string): number;
  withInt(fd: number, request: number, arg: number, name: string): number;
}

let libcIoctl: Ioctl | null = null;

/** libc's `ioctl`, loaded once on first use (tests that never touch a device never load the native module). */
export function ioctl(): Ioctl {
  if (libcIoctl) return libcIoctl;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const koffi = require('koffi') as typeof import('koffi');
  const libc = koffi.load('libc.so.6');
  // Two fixed-argument views of the variadic ioctl: on Linux x64, arm and arm64
  // a variadic int/pointer argument travels exactly as a fixed one does.
  const withPointer = libc.func('ioctl', 'int', ['int', 'unsigned long', 'void *']);
  const withLong = libc.func('ioctl', 'int', ['int', 'unsigned long', 'long']);
  const check = (result: number, name: string): number => {
    if (result < 0) {
      const errno = koffi.errno();
      throw new IoctlError(name, errno, errnoName(errno));
    }
    return result;
  };
  libcIoctl = {
    withBuffer: (fd, request, arg, name) => check(withPointer(fd, request, arg), name),
    withInt: (fd, request, arg, name) => check(withLong(fd, request, arg), name),
  };
  return libcIoctl;
}

/** E.g. 22 → `EINVAL`; an unknown number → `errno 999`. */
export function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(os.constants.errno)) if (value === errno) return name;
  return `errno ${errno}`;
}

const ERRNO_TEXT: Record<string, string> = {
  EINVAL: 'invalid argument: the kernel refused the request as given',
  ENOTTY: 'this file is not a device that knows this request',
  ENODEV: 'no such device: it was removed',
  EIO: 'input/output error',
  EBUSY: 'the device is busy (grabbed or used by another process)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the device is read-only',
};

function describeErrno(code: string): string {
  return ERRNO_TEXT[code] ?? 'see errno(3)';
}
