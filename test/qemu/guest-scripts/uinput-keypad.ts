/**
 * A virtual keypad through /dev/uinput (runs in the guest): the kernel creates an evdev device with the given name
 * and key codes, the way a board's real keypad appears, so the Linux HAL's EvdevKeys finds it by name and reads
 * real kernel input events. Destroying it is an unplug; creating it again, a plug.
 */
import * as fs from 'fs';
import { EV_KEY, EV_SYN, inputEventLayout, ioc, ioctl, iow, IOC_NONE } from '../../../hal/linux/kernel-abi';

/** struct uinput_setup { struct input_id id (4 x u16); char name[80]; __u32 ff_effects_max; } */
const UINPUT_SETUP_BYTES = 8 + 80 + 4;
const UI_SET_EVBIT = iow('U', 100, 4);
const UI_SET_KEYBIT = iow('U', 101, 4);
const UI_DEV_SETUP = iow('U', 3, UINPUT_SETUP_BYTES);
const UI_DEV_CREATE = ioc(IOC_NONE, 'U', 1, 0);
const UI_DEV_DESTROY = ioc(IOC_NONE, 'U', 2, 0);
const BUS_VIRTUAL = 0x06;
const SYN_REPORT = 0;

export class UinputKeypad {
  private constructor(private fd: number) {}

  static create(name: string, keyCodes: number[], device = '/dev/uinput'): UinputKeypad {
    const fd = fs.openSync(device, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const abi = ioctl();
    abi.withInt(fd, UI_SET_EVBIT, EV_KEY, 'UI_SET_EVBIT');
    for (const code of keyCodes) abi.withInt(fd, UI_SET_KEYBIT, code, 'UI_SET_KEYBIT');
    const setup = new Uint8Array(UINPUT_SETUP_BYTES);
    const view = new DataView(setup.buffer);
    view.setUint16(0, BUS_VIRTUAL, true);
    view.setUint16(2, 0x1209, true); // vendor: pid.codes test range
    view.setUint16(4, 0x0001, true);
    setup.set(new TextEncoder().encode(name).subarray(0, 79), 8);
    abi.withBuffer(fd, UI_DEV_SETUP, setup, 'UI_DEV_SETUP');
    abi.withInt(fd, UI_DEV_CREATE, 0, 'UI_DEV_CREATE');
    return new UinputKeypad(fd);
  }

  /** Press and release `code` (each followed by a SYN_REPORT, as a real keyboard driver sends). */
  tap(code: number): void {
    this.emit(EV_KEY, code, 1);
    this.emit(EV_SYN, SYN_REPORT, 0);
    this.emit(EV_KEY, code, 0);
    this.emit(EV_SYN, SYN_REPORT, 0);
  }

  emit(type: number, code: number, value: number): void {
    const layout = inputEventLayout();
    const event = Buffer.alloc(layout.size);
    event.writeUInt16LE(type, layout.offsets.type);
    event.writeUInt16LE(code, layout.offsets.code);
    event.writeInt32LE(value, layout.offsets.value);
    fs.writeSync(this.fd, event);
  }

  /** Unplug: the kernel removes the event device. */
  destroy(): void {
    if (this.fd < 0) return;
    ioctl().withInt(this.fd, UI_DEV_DESTROY, 0, 'UI_DEV_DESTROY');
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
