/**
 * Run by test/board/armhf-layout.test.ts inside a Node of the architecture
 * under test (armv7l under qemu-arm-static, and this machine's own): lays the
 * kernel structs out with koffi — the platform's C ABI, independently of
 * kernel-abi.ts — and prints them next to what kernel-abi.ts computes for
 * this process's architecture, plus the errno a real ioctl call reports.
 * Not a test file itself: bundled with esbuild and run as plain JavaScript.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import koffi = require('koffi');
import {
  ERASE_INFO_USER, EVIOCGKEY, EVIOCGNAME, EVIOCGRAB, IoctlError, MEMERASE, MEMGETINFO, MTD_INFO_USER, inputEventLayout, ioctl, longBytes,
} from '../../hal/linux/kernel-abi';

// The structs as the uapi headers declare them (timeval: two C longs).
const timeval = koffi.struct('timeval', { tv_sec: 'long', tv_usec: 'long' });
const inputEvent = koffi.struct('input_event', { time: timeval, type: 'uint16_t', code: 'uint16_t', value: 'int32_t' });
const mtdInfoUser = koffi.struct('mtd_info_user', {
  type: 'uint8_t', flags: 'uint32_t', size: 'uint32_t', erasesize: 'uint32_t', writesize: 'uint32_t', oobsize: 'uint32_t', padding: 'uint64_t',
});
const eraseInfoUser = koffi.struct('erase_info_user', { start: 'uint32_t', length: 'uint32_t' });

/** _IOC written out once more, from the kernel's asm-generic/ioctl.h, with koffi's sizeof. */
const iocC = (dir: number, type: string, nr: number, size: number) => ((dir << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;

const layoutOf = (type: ReturnType<typeof koffi.struct>, members: string[]) => ({
  size: koffi.sizeof(type),
  offsets: Object.fromEntries(members.map((m) => [m, koffi.offsetof(type, m)])),
});

const inputEventKoffi = layoutOf(inputEvent, ['type', 'code', 'value']);
const timeOffset = koffi.offsetof(inputEvent, 'time');
const koffiView = {
  long: koffi.sizeof('long'),
  input_event: { size: inputEventKoffi.size, offsets: { sec: timeOffset + koffi.offsetof(timeval, 'tv_sec'), usec: timeOffset + koffi.offsetof(timeval, 'tv_usec'), ...inputEventKoffi.offsets } },
  mtd_info_user: layoutOf(mtdInfoUser, Object.keys(MTD_INFO_USER.offsets)),
  erase_info_user: layoutOf(eraseInfoUser, Object.keys(ERASE_INFO_USER.offsets)),
  ioctl: {
    MEMGETINFO: iocC(2, 'M', 1, koffi.sizeof(mtdInfoUser)),
    MEMERASE: iocC(1, 'M', 2, koffi.sizeof(eraseInfoUser)),
    EVIOCGRAB: iocC(1, 'E', 0x90, koffi.sizeof('int')),
    EVIOCGKEY96: iocC(2, 'E', 0x18, 96),
    EVIOCGNAME256: iocC(2, 'E', 0x06, 256),
  },
};

const abiView = {
  long: longBytes(process.arch),
  input_event: inputEventLayout(process.arch),
  mtd_info_user: { size: MTD_INFO_USER.size, offsets: { ...MTD_INFO_USER.offsets } },
  erase_info_user: { size: ERASE_INFO_USER.size, offsets: { ...ERASE_INFO_USER.offsets } },
  ioctl: { MEMGETINFO, MEMERASE, EVIOCGRAB, EVIOCGKEY96: EVIOCGKEY(96), EVIOCGNAME256: EVIOCGNAME(256) },
};

// libc's ioctl through koffi on this architecture: a regular file answers ENOTTY, which must come back by name.
// (qemu-user forwards only the ioctls in its translation table and answers ENOSYS for the others.)
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'abi-check-')), 'regular');
fs.writeFileSync(file, 'x');
const fd = fs.openSync(file, 'r');
const errnoOf = (call: () => void): string => {
  try {
    call();
    return 'no error';
  } catch (e) {
    return e instanceof IoctlError ? e.code : String(e);
  }
};
const ioctlErrno = {
  // TCGETS: a request qemu-user translates for any guest, so its errno is the kernel's.
  TCGETS: errnoOf(() => ioctl().withBuffer(fd, 0x5401, new Uint8Array(64), 'TCGETS')),
  MEMGETINFO: errnoOf(() => ioctl().withBuffer(fd, MEMGETINFO, new Uint8Array(MTD_INFO_USER.size), 'MEMGETINFO')),
  EVIOCGRAB: errnoOf(() => ioctl().withInt(fd, EVIOCGRAB, 1, 'EVIOCGRAB')),
};
fs.closeSync(fd);
fs.rmSync(path.dirname(file), { recursive: true, force: true });

process.stdout.write(`${JSON.stringify({ arch: process.arch, node: process.version, koffi: koffiView, abi: abiView, ioctlErrno })}\n`);
