import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KeyEvent } from '../../hal/contract';
import { EvdevDevice, EvdevKeys, InputEvent, encodeInputEvents, keysInBitmap, parseInputEvents } from '../../hal/linux/evdev-keys';
import { EV_KEY, EV_SYN, IoctlError, KEY_BITMAP_BYTES } from '../../hal/linux/kernel-abi';
import { LINUX_KEY, defaultKeymap } from '../../hal/linux/keymaps';

const NAME = 'desk-500 keypad';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A temp dir standing in for /sys/class/input and /dev/input; `plug` adds eventN named `name` (a regular file as the node). */
function fakeInput() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evdev-keys-'));
  const sys = path.join(dir, 'sys');
  const dev = path.join(dir, 'dev');
  fs.mkdirSync(sys);
  fs.mkdirSync(dev);
  return {
    sys, dev,
    plug(n: number, name: string) {
      fs.mkdirSync(path.join(sys, `event${n}`, 'device'), { recursive: true });
      fs.writeFileSync(path.join(sys, `event${n}`, 'device', 'name'), `${name}\n`);
      fs.writeFileSync(path.join(dev, `event${n}`), '');
    },
    unplug(n: number) {
      fs.rmSync(path.join(sys, `event${n}`), { recursive: true });
      fs.rmSync(path.join(dev, `event${n}`));
    },
    send(n: number, events: InputEvent[], arch?: string) {
      fs.appendFileSync(path.join(dev, `event${n}`), encodeInputEvents(events, arch));
    },
  };
}

const press = (code: number, value: number): InputEvent[] => [{ type: EV_KEY, code, value }, { type: EV_SYN, code: 0, value: 0 }];
const noIoctl: EvdevDevice = { grab: () => {}, keysDown: () => new Uint8Array(KEY_BITMAP_BYTES) };

function keysOn(input: ReturnType<typeof fakeInput>, extra: Partial<ConstructorParameters<typeof EvdevKeys>[0]> = {}) {
  const log: string[] = [];
  const events: KeyEvent[] = [];
  const keys = new EvdevKeys({
    deviceName: NAME, keymap: defaultKeymap('desk-500'), inputDir: input.dev, sysClassInput: input.sys, log: (l) => log.push(l),
    readIntervalMs: 2, waitIntervalMs: 10, device: noIoctl, ...extra,
  });
  keys.onKey((e) => events.push(e));
  return { keys, log, events };
}

test('input_event records are parsed in the 24-byte (64-bit) and 16-byte (32-bit ARM) layouts', () => {
  const events = [{ type: EV_KEY, code: 0x201, value: 1 }, { type: EV_SYN, code: 0, value: 0 }, { type: EV_KEY, code: 2, value: -1 }];
  const x64 = encodeInputEvents(events, 'x64');
  const arm = encodeInputEvents(events, 'arm');
  assert.is(x64.length, 72);
  assert.is(arm.length, 48);
  assert.equal(parseInputEvents(x64, 'x64'), events);
  assert.equal(parseInputEvents(arm, 'arm'), events);
  // A record as the 32-bit kernel writes it: sec, usec (4 bytes each), type, code, value.
  const raw = new Uint8Array([0x10, 0, 0, 0, 0x20, 0, 0, 0, 1, 0, 0x1e, 0, 1, 0, 0, 0]);
  assert.equal(parseInputEvents(raw, 'arm'), [{ type: 1, code: 30, value: 1 }]);
  assert.equal(parseInputEvents(raw.subarray(0, 15), 'arm'), [], 'a partial record is not an event');
});

test('the EVIOCGKEY bitmap gives the codes held', () => {
  const bitmap = new Uint8Array(KEY_BITMAP_BYTES);
  for (const code of [2, 4, 0x205]) bitmap[code >> 3] |= 1 << (code & 7);
  assert.equal(keysInBitmap(bitmap), [2, 4, 0x205]);
});

test('default keymaps: keypad and USB keyboard codes, only the keys each board has', () => {
  const desk500 = defaultKeymap('desk-500');
  const desk99 = defaultKeymap('desk-99');
  assert.is(desk500[LINUX_KEY.KEY_NUMERIC_5], '5');
  assert.is(desk500[LINUX_KEY.KEY_5], '5');
  assert.is(desk500[LINUX_KEY.KEY_NUMERIC_POUND], '#');
  assert.is(desk500[LINUX_KEY.KEY_F1], 'soft1');
  assert.is(desk500[LINUX_KEY.KEY_ENTER], 'select');
  assert.is(desk500[LINUX_KEY.KEY_ESC], 'back');
  assert.is(desk500[LINUX_KEY.KEY_HOME], 'home');
  assert.is(desk500[LINUX_KEY.KEY_PROG4], 'line4');
  assert.is(desk99[LINUX_KEY.KEY_HOME], undefined, 'desk-99 has no home key');
  assert.is(desk99[LINUX_KEY.KEY_PROG3], undefined, 'desk-99 has two lines');
  assert.is(desk99[LINUX_KEY.KEY_PROG2], 'line2');
  const codes = Object.values(LINUX_KEY);
  assert.is(new Set(codes).size, codes.length, 'no code named twice');
  assert.throws(() => defaultKeymap('desk-1'), /unknown board profile/);
});

test('keys are delivered through the keymap; autorepeat ignored; an unknown code is logged once', async () => {
  const input = fakeInput();
  input.plug(0, 'some mouse');
  input.plug(3, NAME);
  const grabbed: number[] = [];
  const { keys, log, events } = keysOn(input, { device: { ...noIoctl, grab: (fd) => { grabbed.push(fd); } } });
  keys.start();
  await until('grab', () => keys.connected());
  assert.is(grabbed.length, 1);
  assert.ok(log.some((l) => l.includes(`"${NAME}" is ${path.join(input.dev, 'event3')} (grabbed)`)), log.join('\n'));
  input.send(3, [...press(LINUX_KEY.KEY_NUMERIC_1, 1), ...press(LINUX_KEY.KEY_NUMERIC_1, 2), ...press(LINUX_KEY.KEY_NUMERIC_1, 2), ...press(LINUX_KEY.KEY_NUMERIC_1, 0)]);
  input.send(3, [...press(999, 1), ...press(999, 0), ...press(LINUX_KEY.KEY_F2, 1), ...press(LINUX_KEY.KEY_F2, 0)]);
  await until('keys', () => events.length === 4);
  assert.equal(events, [{ key: '1', down: true }, { key: '1', down: false }, { key: 'soft2', down: true }, { key: 'soft2', down: false }]);
  assert.is(log.filter((l) => l.includes('key code 999') && l.includes('not in the keymap')).length, 1);
  keys.close();
});

test('32-bit ARM layout: 16-byte records from the device are read as such', async () => {
  const input = fakeInput();
  input.plug(1, NAME);
  const { keys, events } = keysOn(input, { arch: 'arm' });
  keys.start();
  await until('grab', () => keys.connected());
  input.send(1, [...press(LINUX_KEY.KEY_UP, 1), ...press(LINUX_KEY.KEY_UP, 0)], 'arm');
  await until('keys', () => events.length === 2);
  assert.equal(events, [{ key: 'up', down: true }, { key: 'up', down: false }]);
  keys.close();
});

test('waits for the device to appear, logging once; an unplug (ENODEV) releases held keys and waits again', async () => {
  const input = fakeInput();
  const { keys, log, events } = keysOn(input);
  keys.start();
  await sleep(50);
  assert.not.ok(keys.connected());
  assert.is(log.filter((l) => l.includes(`waiting for input device "${NAME}" to appear`)).length, 1, log.join('\n'));
  input.plug(2, NAME);
  await until('device', () => keys.connected());
  input.send(2, press(LINUX_KEY.KEY_F3, 1));
  await until('press', () => events.length === 1);

  // The kernel answers reads of a removed device with ENODEV.
  const nodeFs = require('fs') as { readSync: typeof fs.readSync };
  const realRead = nodeFs.readSync;
  nodeFs.readSync = (() => { throw Object.assign(new Error('ENODEV: no such device, read'), { code: 'ENODEV' }); }) as typeof fs.readSync;
  try {
    input.unplug(2);
    await until('unplug', () => !keys.connected());
  } finally {
    nodeFs.readSync = realRead;
  }
  assert.ok(log.some((l) => l.includes(`"${NAME}" (${path.join(input.dev, 'event2')}) unplugged (ENODEV); waiting for it to come back`)), log.join('\n'));
  assert.equal(events, [{ key: 'soft3', down: true }, { key: 'soft3', down: false }], 'the held key is released');

  input.plug(5, NAME);
  await until('replug', () => keys.connected());
  input.send(5, press(LINUX_KEY.KEY_NUMERIC_9, 1));
  await until('key after replug', () => events.length === 3);
  assert.equal(events[2], { key: '9', down: true });
  keys.close();
});

test('a device grabbed by another process is reported once and retried, not a crash', async () => {
  const input = fakeInput();
  input.plug(0, NAME);
  let busy = true;
  const { keys, log } = keysOn(input, { device: { ...noIoctl, grab: () => { if (busy) throw new IoctlError('EVIOCGRAB', 16, 'EBUSY'); } } });
  keys.start();
  await sleep(60);
  assert.not.ok(keys.connected());
  assert.is(log.filter((l) => l.includes('is grabbed by another process')).length, 1, log.join('\n'));
  busy = false;
  await until('grab', () => keys.connected());
  keys.close();
});

test('the real EVIOCGRAB on a regular file fails ENOTTY: logged, the phone keeps waiting', async () => {
  const input = fakeInput();
  input.plug(0, NAME);
  const { keys, log } = keysOn(input, { device: undefined });
  keys.start();
  await sleep(40);
  keys.close();
  assert.not.ok(keys.connected());
  assert.ok(log.some((l) => /cannot be used: EVIOCGRAB failed: ENOTTY/.test(l)), log.join('\n'));
});

test('heldAtPowerOn reads EVIOCGKEY through the keymap; no device: none held', () => {
  const input = fakeInput();
  const held = new Uint8Array(KEY_BITMAP_BYTES);
  for (const code of [LINUX_KEY.KEY_NUMERIC_1, LINUX_KEY.KEY_3, LINUX_KEY.KEY_NUMERIC_5, 999]) held[code >> 3] |= 1 << (code & 7);
  const { keys, log } = keysOn(input, { device: { grab: () => {}, keysDown: () => held } });
  assert.equal(keys.heldAtPowerOn(), []);
  assert.ok(log.some((l) => l.includes('not present at power-on')));
  input.plug(0, NAME);
  assert.equal(keys.heldAtPowerOn().sort(), ['1', '3', '5']);
});

test.run();
