/**
 * Guest side of test/qemu/kernel-devices.test.ts: what the kernel's mtdram, vfb and uinput devices answer to the
 * requests the Linux HAL makes, written as JSON to argv[2] for the host to check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ERASE_INFO_USER, IoctlError, MEMERASE, MEMGETINFO, MTD_INFO_USER, inputEventLayout, ioctl } from '../../../hal/linux/kernel-abi';
import { UinputKeypad } from './uinput-keypad';

const KEY_5 = 6;

function mtdInfo(device: string): { type: number; size: number; erasesize: number } {
  const fd = fs.openSync(device, 'r+');
  try {
    const info = new Uint8Array(MTD_INFO_USER.size);
    ioctl().withBuffer(fd, MEMGETINFO, info, 'MEMGETINFO');
    const v = new DataView(info.buffer);
    return { type: v.getUint8(0), size: v.getUint32(MTD_INFO_USER.offsets.size, true), erasesize: v.getUint32(MTD_INFO_USER.offsets.erasesize, true) };
  } finally {
    fs.closeSync(fd);
  }
}

function eraseError(device: string, start: number, length: number): string | null {
  const fd = fs.openSync(device, 'r+');
  try {
    const arg = new Uint8Array(ERASE_INFO_USER.size);
    const v = new DataView(arg.buffer);
    v.setUint32(ERASE_INFO_USER.offsets.start, start, true);
    v.setUint32(ERASE_INFO_USER.offsets.length, length, true);
    ioctl().withBuffer(fd, MEMERASE, arg, 'MEMERASE');
    return null;
  } catch (err) {
    return err instanceof IoctlError ? err.code : String(err);
  } finally {
    fs.closeSync(fd);
  }
}

function eventDeviceNamed(name: string): string | null {
  for (const entry of fs.readdirSync('/sys/class/input').filter((e) => e.startsWith('event'))) {
    const own = fs.readFileSync(path.join('/sys/class/input', entry, 'device/name'), 'utf8').trim();
    if (own === name) return path.join('/dev/input', entry);
  }
  return null;
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = {};
  out.mtd = mtdInfo('/dev/mtd0');
  out.alignedErase = eraseError('/dev/mtd0', 4096, 4096);
  out.misalignedErase = eraseError('/dev/mtd0', 100, 4096);
  const fbSys = '/sys/class/graphics/fb0';
  out.fb = {
    virtualSize: fs.readFileSync(path.join(fbSys, 'virtual_size'), 'utf8').trim(),
    bitsPerPixel: Number(fs.readFileSync(path.join(fbSys, 'bits_per_pixel'), 'utf8')),
    stride: Number(fs.readFileSync(path.join(fbSys, 'stride'), 'utf8')),
  };
  const fb = fs.openSync('/dev/fb0', 'r+');
  fs.writeSync(fb, Buffer.from([0x12, 0x34, 0x56, 0x78]), 0, 4, 0);
  const back = Buffer.alloc(4);
  fs.readSync(fb, back, 0, 4, 0);
  fs.closeSync(fb);
  out.fbReadBack = back.toString('hex');

  const keypad = UinputKeypad.create('probe keypad', [KEY_5]);
  let device: string | null = null;
  for (let i = 0; i < 50 && !device; i++) {
    device = eventDeviceNamed('probe keypad');
    if (!device) await new Promise((r) => setTimeout(r, 20));
  }
  out.keypadDevice = device;
  if (device) {
    const fd = fs.openSync(device, 'r');
    keypad.tap(KEY_5);
    const layout = inputEventLayout();
    const events = Buffer.alloc(layout.size * 4);
    const n = fs.readSync(fd, events, 0, events.length, null);
    fs.closeSync(fd);
    const keys: number[][] = [];
    for (let at = 0; at + layout.size <= n; at += layout.size) {
      if (events.readUInt16LE(at + layout.offsets.type) === 1) keys.push([events.readUInt16LE(at + layout.offsets.code), events.readInt32LE(at + layout.offsets.value)]);
    }
    out.keyEvents = keys;
  }
  keypad.destroy();
  out.keypadGoneAfterDestroy = eventDeviceNamed('probe keypad') === null;
  fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
