/**
 * The board's keys on a Linux evdev input device (/dev/input/eventN).
 *
 * - The device is found by its name (/sys/class/input/eventN/device/name),
 *   not its number, which changes with probe order and replugging; until it
 *   appears the driver polls for it, so a phone boots with a keypad that
 *   comes up late or not at all.
 * - EVIOCGRAB takes it exclusively: key presses do not also reach a console.
 * - Events are `struct input_event` records (24 bytes on 64-bit, 16 on
 *   32-bit ARM: kernel-abi.ts); EV_KEY press (1) and release (0) are mapped
 *   through the board's keymap; autorepeat (2) is ignored — the firmware
 *   times long presses itself. A code not in the keymap is logged once.
 * - An unplugged device (read fails ENODEV or EIO) is logged, keys still
 *   held are released to the firmware, and the driver waits for it again.
 *
 * Reads are non-blocking, polled on a short timer: a blocking read would tie
 * up a libuv thread that `close()` cannot take back.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { KeyEvent, KeyName, Keys } from '../contract';
import { EV_KEY, EVIOCGKEY, EVIOCGRAB, IoctlError, KEY_BITMAP_BYTES, inputEventLayout, ioctl } from './kernel-abi';

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

/** Decodes whole `struct input_event` records of `arch`'s layout; a trailing partial record is left out. */
export function parseInputEvents(bytes: Uint8Array, arch: string = process.arch): InputEvent[] {
  const layout = inputEventLayout(arch);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: InputEvent[] = [];
  for (let at = 0; at + layout.size <= bytes.length; at += layout.size) {
    events.push({
      type: view.getUint16(at + layout.offsets.type, true),
      code: view.getUint16(at + layout.offsets.code, true),
      value: view.getInt32(at + layout.offsets.value, true),
    });
  }
  return events;
}

/** Encodes records of `arch`'s layout (time zero): what tests feed a fake device. */
export function encodeInputEvents(events: InputEvent[], arch: string = process.arch): Uint8Array {
  const layout = inputEventLayout(arch);
  const out = new Uint8Array(events.length * layout.size);
  const view = new DataView(out.buffer);
  events.forEach((e, i) => {
    const at = i * layout.size;
    view.setUint16(at + layout.offsets.type, e.type, true);
    view.setUint16(at + layout.offsets.code, e.code, true);
    view.setInt32(at + layout.offsets.value, e.value, true);
  });
  return out;
}

/** Key codes whose bit is set in an EVIOCGKEY bitmap (bit `code % 8` of byte `code / 8`). */
export function keysInBitmap(bitmap: Uint8Array): number[] {
  const codes: number[] = [];
  for (let i = 0; i < bitmap.length; i++) for (let bit = 0; bit < 8; bit++) if (bitmap[i] & (1 << bit)) codes.push(i * 8 + bit);
  return codes;
}

/** The ioctl side of an evdev device (injectable: tests use regular files and a fake). */
export interface EvdevDevice {
  /** EVIOCGRAB 1: exclusive access. */
  grab(fd: number): void;
  /** EVIOCGKEY: bitmap of the keys down now. */
  keysDown(fd: number): Uint8Array;
}

export const kernelEvdevDevice: EvdevDevice = {
  grab(fd) {
    ioctl().withInt(fd, EVIOCGRAB, 1, 'EVIOCGRAB');
  },
  keysDown(fd) {
    const bitmap = new Uint8Array(KEY_BITMAP_BYTES);
    ioctl().withBuffer(fd, EVIOCGKEY(bitmap.length), bitmap, 'EVIOCGKEY');
    return bitmap;
  },
};

export interface EvdevKeysOptions {
  /** The input device's name as the kernel reports it (`cat /sys/class/input/event*\/device/name`). */
  deviceName: string;
  /** Linux KEY_* code → key (hal/linux/keymaps.ts has each board's default). */
  keymap: Record<number, KeyName>;
  /** Where the eventN nodes are; default /dev/input. */
  inputDir?: string;
  /** Default /sys/class/input. */
  sysClassInput?: string;
  log: (line: string) => void;
  /** `input_event` layout; default this process's architecture. */
  arch?: string;
  /** How often to read the open device, ms (default 10). */
  readIntervalMs?: number;
  /** How often to look for a missing device, ms (default 500). */
  waitIntervalMs?: number;
  /** The ioctls; default the kernel's. */
  device?: EvdevDevice;
}

export class EvdevKeys implements Keys {
  private handler: ((event: KeyEvent) => void) | null = null;
  private fd: number | null = null;
  private devicePath = '';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly eventSize: number;
  private readonly buffer: Uint8Array;
  private readonly down = new Set<KeyName>();
  private readonly unknownCodes = new Set<number>();
  /** The last "why it is not open" message, so waiting logs once, not every poll. */
  private lastWaitNote = '';
  private readonly device: EvdevDevice;

  constructor(private readonly o: EvdevKeysOptions) {
    this.eventSize = inputEventLayout(o.arch ?? process.arch).size;
    this.buffer = new Uint8Array(this.eventSize * 64);
    this.device = o.device ?? kernelEvdevDevice;
  }

  onKey(handler: (event: KeyEvent) => void): void {
    this.handler = handler;
  }

  /** Looks for the device (and keeps looking until it appears), grabs it and delivers its keys. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.lookForDevice();
  }

  /** Whether the device is open and grabbed now. */
  connected(): boolean {
    return this.fd !== null;
  }

  /** Keys of the keymap held down now (EVIOCGKEY), for the updater's recovery combination; [] when the device is absent. */
  heldAtPowerOn(): KeyName[] {
    let fd = this.fd;
    let opened = false;
    if (fd === null) {
      const found = this.findDevice();
      if (!found) {
        this.o.log(`keys: input device "${this.o.deviceName}" not present at power-on: no keys held`);
        return [];
      }
      try {
        fd = fs.openSync(found, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        opened = true;
      } catch (e) {
        this.o.log(`keys: ${found} cannot be opened to read held keys: ${(e as Error).message}`);
        return [];
      }
    }
    try {
      const keys = keysInBitmap(this.device.keysDown(fd)).map((code) => this.o.keymap[code]).filter((k): k is KeyName => k !== undefined);
      return [...new Set(keys)];
    } catch (e) {
      this.o.log(`keys: reading held keys failed: ${(e as Error).message}`);
      return [];
    } finally {
      if (opened) fs.closeSync(fd);
    }
  }

  close(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closeDevice();
  }

  /** /dev/input/eventN of the device named `deviceName`, or null. */
  private findDevice(): string | null {
    const sysClassInput = this.o.sysClassInput ?? '/sys/class/input';
    let entries: string[];
    try {
      entries = fs.readdirSync(sysClassInput).filter((e) => /^event\d+$/.test(e)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
    } catch {
      return null;
    }
    for (const entry of entries) {
      try {
        const name = fs.readFileSync(path.join(sysClassInput, entry, 'device', 'name'), 'utf8').replace(/\n$/, '');
        if (name === this.o.deviceName) return path.join(this.o.inputDir ?? '/dev/input', entry);
      } catch {
        // A device going away while we look: not ours to report.
      }
    }
    return null;
  }

  private lookForDevice(): void {
    if (!this.running) return;
    const found = this.findDevice();
    if (found) {
      try {
        const fd = fs.openSync(found, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        try {
          this.device.grab(fd);
        } catch (e) {
          fs.closeSync(fd);
          throw e;
        }
        this.fd = fd;
        this.devicePath = found;
        this.lastWaitNote = '';
        this.o.log(`keys: "${this.o.deviceName}" is ${found} (grabbed)`);
        this.schedule(() => this.readEvents(), 0);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // ENOENT: sysfs shows it before udev/mdev made the node; wait quietly.
        if (code !== 'ENOENT') {
          const why = e instanceof IoctlError && e.code === 'EBUSY' ? 'is grabbed by another process'
            : code === 'EACCES' || code === 'EPERM' ? 'cannot be opened: permission denied (the phone needs read access to its input device, group input)'
            : `cannot be used: ${(e as Error).message}`;
          this.noteWaiting(`keys: ${found} ("${this.o.deviceName}") ${why}; trying again`);
        }
      }
    } else {
      this.noteWaiting(`keys: waiting for input device "${this.o.deviceName}" to appear (${this.o.sysClassInput ?? '/sys/class/input'}/event*/device/name)`);
    }
    this.schedule(() => this.lookForDevice(), this.o.waitIntervalMs ?? 500);
  }

  private readEvents(): void {
    if (!this.running || this.fd === null) return;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        this.unplugged(code ?? (e as Error).message);
        return;
      }
      if (n === 0) break;
      // evdev hands out whole records only; a short one means a wrong layout, so say so once and drop it.
      if (n % this.eventSize !== 0) this.noteWaiting(`keys: ${this.devicePath} returned ${n} bytes, not whole ${this.eventSize}-byte input events (wrong architecture layout?)`);
      for (const event of parseInputEvents(this.buffer.subarray(0, n - (n % this.eventSize)), this.o.arch ?? process.arch)) this.deliver(event);
    }
    this.schedule(() => this.readEvents(), this.o.readIntervalMs ?? 10);
  }

  private deliver(event: InputEvent): void {
    // value 2 is autorepeat: the firmware times long presses itself.
    if (event.type !== EV_KEY || (event.value !== 0 && event.value !== 1)) return;
    const key = this.o.keymap[event.code];
    if (key === undefined) {
      if (!this.unknownCodes.has(event.code)) this.o.log(`keys: key code ${event.code} of "${this.o.deviceName}" is not in the keymap: ignored`);
      this.unknownCodes.add(event.code);
      return;
    }
    const down = event.value === 1;
    if (down) this.down.add(key);
    else this.down.delete(key);
    this.handler?.({ key, down });
  }

  private unplugged(reason: string): void {
    this.o.log(`keys: "${this.o.deviceName}" (${this.devicePath}) unplugged (${reason}); waiting for it to come back`);
    this.closeDevice();
    // A key held when the cable went must not stay down for the firmware.
    for (const key of [...this.down]) {
      this.down.delete(key);
      this.handler?.({ key, down: false });
    }
    this.schedule(() => this.lookForDevice(), this.o.waitIntervalMs ?? 500);
  }

  private closeDevice(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already gone with the device.
      }
    }
    this.fd = null;
  }

  private noteWaiting(line: string): void {
    if (line !== this.lastWaitNote) this.o.log(line);
    this.lastWaitNote = line;
  }

  private schedule(step: () => void, ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      step();
    }, ms);
  }
}
