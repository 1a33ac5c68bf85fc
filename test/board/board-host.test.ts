/**
 * The Linux board host on this machine: the real composition (bootBoard with
 * its clock, power, watchdog, LEDs, USB, serial, net and line) booting
 * dist/firmware.js, with the simulator's flash, display and keys standing in
 * for MTD, fbdev and evdev (the real-kernel run is test/qemu), and fake
 * sysfs / procfs / device files in a temporary folder.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { loadBoardFile, type BoardFile } from '../../hal/linux/board-file';
import { bootBoard, boardCpuBudget, BoardStartError, type RunningBoard } from '../../hal/linux/board-host';
import { VirtualDisplay } from '../../sim/devices/display';
import { VirtualFlash } from '../../sim/devices/flash';
import { VirtualKeys } from '../../sim/devices/keys';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { resetByMenu } from '../../sim/reset/menu-driver';
import type { Phone } from '../../sim/phone';
import { closedPort } from '../helpers/closed-port';

interface Bench {
  root: string;
  boardFile: BoardFile;
  flash: VirtualFlash;
  paths: { ledsDir: string; procMounts: string; sysClassNet: string; bootIdFile: string; watchdogBootstatusFile: string };
  watchdogFile: string;
  serialFile: string;
}

async function bench(rebootCommand: string[]): Promise<Bench> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'board-host-'));
  const p = (...parts: string[]) => path.join(root, ...parts);
  for (const d of ['state', 'leds/phone:red:mwi', 'net/eth0', 'usb', 'dev']) fs.mkdirSync(p(d), { recursive: true });
  fs.writeFileSync(p('leds/phone:red:mwi/brightness'), '0');
  fs.writeFileSync(p('net/eth0/operstate'), 'up\n');
  fs.writeFileSync(p('mounts'), `/dev/sda1 ${p('usb')} vfat rw 0 0\n`);
  fs.writeFileSync(p('boot_id'), 'boot-1\n');
  fs.writeFileSync(p('bootstatus'), '0\n');
  fs.writeFileSync(p('dev/watchdog'), '');
  fs.writeFileSync(p('dev/ttyS0'), '');
  const shipped = loadBoardFile(undefined, 'desk-500');
  const boardFile: BoardFile = {
    ...shipped,
    stateDir: p('state'),
    keystore: { dir: p('state/keys') },
    usb: { mountPoint: p('usb') },
    watchdog: { device: p('dev/watchdog') },
    serial: { device: p('dev/ttyS0') },
    line: { baresip: { host: '127.0.0.1', port: await closedPort() } },
    power: { rebootCommand },
    // Never the machine's own 80/443: loopback, free ports.
    httpServer: { listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0 },
  };
  return {
    root, boardFile, flash: new VirtualFlash(boardProfile('desk-500').flash),
    paths: { ledsDir: p('leds'), procMounts: p('mounts'), sysClassNet: p('net'), bootIdFile: p('boot_id'), watchdogBootstatusFile: p('bootstatus') },
    watchdogFile: p('dev/watchdog'), serialFile: p('dev/ttyS0'),
  };
}

async function boot(b: Bench, engine: 'quickjs' | 'node' = 'quickjs'): Promise<{ board: RunningBoard; keys: VirtualKeys }> {
  const profile = boardProfile('desk-500');
  const keys = new VirtualKeys(profile.keys);
  const display = new VirtualDisplay(profile.display.width, profile.display.height, profile.display.format);
  const board = await bootBoard({ boardFile: b.boardFile, image: DEFAULT_IMAGE, engine, devices: { flash: b.flash, display, keys }, paths: b.paths });
  return { board, keys };
}

async function until(board: RunningBoard, what: string, done: (s: ScreenText) => boolean, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done(board.screen())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(board.screen())}\n${board.log().slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fresh board starts in the out-of-box wizard: Finish (soft4) leads to idle. */
async function toIdle(board: RunningBoard, keys: VirtualKeys): Promise<void> {
  await until(board, 'the wizard or idle', (s) => s.id === 'wizard' || s.id === 'idle');
  if (board.screen().id === 'wizard') {
    keys.send('soft4', true);
    keys.send('soft4', false);
  }
  await until(board, 'idle', (s) => s.id === 'idle');
}

/** What sim/reset/menu-driver needs of a phone, over the board's keys. */
function driver(board: RunningBoard, keys: VirtualKeys): Phone {
  const press = async (key: KeyName) => {
    keys.send(key, true);
    keys.send(key, false);
    await new Promise((r) => setTimeout(r, 10));
  };
  return { screen: () => board.screen(), press, pressAll: async (ks: KeyName[]) => { for (const k of ks) await press(k); } } as unknown as Phone;
}

/** Boards a test started: stopped after each test even when it failed (their timers would keep the process alive). */
const running: RunningBoard[] = [];
test.after.each(async () => {
  for (const board of running.splice(0)) await board.stop();
});

for (const engine of ['quickjs', 'node'] as const) {
  test(`${engine}: the board boots the image to idle with line 1 failed (no baresip), reacts to a key and stops cleanly`, async () => {
    const b = await bench(['true']);
    try {
      const { board, keys } = await boot(b, engine);
      running.push(board);
      assert.is(board.screen().id === 'wizard' || board.screen().id === 'idle', true);
      await toIdle(board, keys); // a key: Finish on the wizard
      await until(board, 'line 1 failed', (s) => s.lines.some((l) => l.startsWith('Line 1: failed: baresip not reach')));
      assert.equal(board.faults(), []);
      assert.is(board.lastBootReason(), 'power-on');
      assert.ok(board.log().some((l) => /line: baresip not reachable at 127\.0\.0\.1:\d+ .*retrying/.test(l)), 'the line failure is logged once with its reason');

      keys.send('soft4', true); // Menu
      keys.send('soft4', false);
      await until(board, 'the menu', (s) => s.id !== 'idle');

      // The serial device got the log; the watchdog was fed.
      assert.match(fs.readFileSync(b.serialFile, 'utf8'), /\[board\] desk-500 boot 1 \(reason power-on\)/);
      assert.ok(fs.readFileSync(b.watchdogFile).length > 1, 'the watchdog was fed');

      await board.stop();
      assert.equal(await board.stopped, { kind: 'stopped' });
      const fed = fs.readFileSync(b.watchdogFile, 'latin1');
      assert.is(fed[fed.length - 1], 'V', 'magic close on a clean stop');
      assert.is(JSON.parse(fs.readFileSync(path.join(b.root, 'state/boot.json'), 'utf8')).running, false);
    } finally {
      fs.rmSync(b.root, { recursive: true, force: true });
    }
  });
}

test('a reset from the menu reboots through the OS: reason recorded, devices closed, the next start says reboot', async () => {
  const b = await bench(['true']);
  try {
    const first = await boot(b);
    running.push(first.board);
    await toIdle(first.board, first.keys);
    await resetByMenu(driver(first.board, first.keys), 'Reset to Factory', '789');
    const stop = await first.board.stopped;
    assert.equal(stop, { kind: 'reboot', reason: 'reset: Reset to Factory', commandStatus: 0 });
    assert.is(first.board.state, 'stopped');

    fs.writeFileSync(path.join(b.root, 'boot_id'), 'boot-2\n'); // the OS rebooted
    const second = await boot(b);
    running.push(second.board);
    try {
      assert.is(second.board.lastBootReason(), 'reboot');
      assert.is(second.board.bootCount(), 2);
      await until(second.board, 'idle after the reset', (s) => s.id === 'idle' || s.id === 'wizard');
    } finally {
      await second.board.stop();
    }
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test('with rebootCommand [] a reboot restarts the firmware in-process; an unclean end is a crash or a power cut at the next start', async () => {
  const b = await bench([]);
  try {
    const { board, keys } = await boot(b);
    running.push(board);
    await toIdle(board, keys);
    await resetByMenu(driver(board, keys), 'Reset to Factory', '789');
    await until(board, 'the second boot', () => board.bootCount() === 2);
    assert.is(board.lastBootReason(), 'reboot');
    await until(board, 'idle after the in-process reboot', (s) => s.id === 'idle' || s.id === 'wizard');
    assert.is(board.state, 'running');
    // The process "dies" here (no stop): same kernel boot → crash; new kernel boot → power cut.
    const record = JSON.parse(fs.readFileSync(path.join(b.root, 'state/boot.json'), 'utf8'));
    assert.is(record.running, true);
    await board.stop();
    fs.writeFileSync(path.join(b.root, 'state/boot.json'), JSON.stringify(record));
    const crashed = await boot(b);
    running.push(crashed.board);
    assert.is(crashed.board.lastBootReason(), 'crash');
    await crashed.board.stop();
    fs.writeFileSync(path.join(b.root, 'state/boot.json'), JSON.stringify({ ...record, bootCount: 5 }));
    fs.writeFileSync(path.join(b.root, 'boot_id'), 'boot-3\n');
    const cut = await boot(b);
    running.push(cut.board);
    assert.is(cut.board.lastBootReason(), 'power-cut');
    assert.is(cut.board.bootCount(), 6);
    await cut.board.stop();
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test('a board keeps the deterministic poll budget but not the desktop-tuned CPU-milliseconds backstop', () => {
  const profile = boardProfile('desk-500');
  const budget = boardCpuBudget(profile).cpuBudget;
  assert.is(budget.pollsAtBoot, profile.cpuBudget.pollsAtBoot);
  assert.is(budget.pollsPerEvent, profile.cpuBudget.pollsPerEvent);
  assert.is(budget.msAtBoot, Infinity);
  assert.is(budget.msPerEvent, Infinity);
  assert.is(profile.cpuBudget.msAtBoot, 10000, 'the simulator profile itself is unchanged');
});

test('a device that cannot be opened stops the start with its message, nothing booted', async () => {
  const b = await bench(['true']);
  try {
    fs.chmodSync(path.join(b.root, 'state'), 0o700);
    fs.mkdirSync(b.boardFile.keystore.dir, { mode: 0o755 });
    fs.chmodSync(b.boardFile.keystore.dir, 0o755);
    await boot(b).then(
      () => assert.unreachable('booted with a world-readable keystore'),
      (e: Error) => {
        assert.instance(e, BoardStartError);
        assert.match(e.message, /^keystore: keystore directory .* has mode 0755/);
      },
    );
    // Without already-made devices on a host without MTD: the flash driver's own message, not a crash.
    const profile = boardProfile('desk-500');
    await bootBoard({
      boardFile: b.boardFile, image: DEFAULT_IMAGE, engine: 'node', paths: b.paths,
      devices: { display: new VirtualDisplay(profile.display.width, profile.display.height, profile.display.format), keys: new VirtualKeys(profile.keys) },
    }).then(
      (board) => { void board.stop(); assert.unreachable('booted without flash'); },
      (e: Error) => { assert.instance(e, BoardStartError); assert.match(e.message, /^flash: /); },
    );
  } finally {
    fs.rmSync(b.root, { recursive: true, force: true });
  }
});

test.run();
