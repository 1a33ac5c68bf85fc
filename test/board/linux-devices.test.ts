/** The board's small devices on this host: clock, watchdog, serial console, link state, and the line while baresip comes and goes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { LineEvent } from '../../hal/contract';
import { BoardLine } from '../../hal/linux/board-line';
import { HardwareWatchdog } from '../../hal/linux/hardware-watchdog';
import { LinkStateMonitor } from '../../hal/linux/link-state-monitor';
import { LinuxClock } from '../../hal/linux/linux-clock';
import { SerialConsole } from '../../hal/linux/serial-console';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'linux-devices-'));

test('clock: setWallTime keeps an offset in the state directory that the next run reads; monotonic never jumps', () => {
  const dir = temp();
  try {
    const clock = new LinuxClock({ stateDir: dir, setSystemTime: false, log: () => {} });
    // Tolerances of a second: setWallTime fsyncs its state file, which a busy disk may take a while for.
    assert.ok(Math.abs(clock.now() - Date.now()) < 1000);
    const target = Date.UTC(2031, 5, 1);
    const mono = clock.monotonic();
    clock.setWallTime(target);
    assert.ok(Math.abs(clock.now() - target) < 1000);
    assert.ok(clock.monotonic() >= mono && clock.monotonic() - mono < 1000, 'monotonic does not follow the wall clock');
    const next = new LinuxClock({ stateDir: dir, setSystemTime: false, log: () => {} });
    assert.ok(Math.abs(next.now() - target) < 1000, 'the offset survives a restart');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('clock: real timers fire in order, clearTimer and reset cancel them', async () => {
  const dir = temp();
  try {
    const clock = new LinuxClock({ stateDir: dir, setSystemTime: false, log: () => {} });
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a'));
    const cancelled = clock.setTimer(20, () => fired.push('cancelled'));
    clock.clearTimer(cancelled);
    clock.setTimer(60, () => fired.push('reset'));
    await sleep(45);
    clock.reset();
    await sleep(40);
    assert.equal(fired, ['a', 'b']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watchdog: fed on demand and by the idle timer only while healthy; a clean stop writes the magic V', async () => {
  const dir = temp();
  try {
    const device = path.join(dir, 'watchdog');
    fs.writeFileSync(device, '');
    let healthy = true;
    const wd = new HardwareWatchdog({ device, healthy: () => healthy, log: () => {}, idleFeedMs: 10 });
    assert.ok(wd.start());
    await sleep(60);
    const whileHealthy = wd.feeds;
    assert.ok(whileHealthy >= 2, `fed ${whileHealthy} times: at start and by the idle timer`);
    healthy = false;
    await sleep(15);
    const at = wd.feeds;
    await sleep(60);
    assert.is(wd.feeds, at, 'a stuck firmware is not fed by the timer');
    wd.feed(); // an entry into the firmware returned
    assert.is(wd.feeds, at + 1);
    wd.stop();
    const written = fs.readFileSync(device, 'latin1');
    assert.is(written[written.length - 1], 'V');
    assert.is(written.length, wd.feeds + 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watchdog: a missing device is logged and the phone runs without it', () => {
  const log: string[] = [];
  const wd = new HardwareWatchdog({ device: '/nonexistent/watchdog', healthy: () => true, log: (l) => log.push(l) });
  assert.not.ok(wd.start());
  assert.match(log[0], /watchdog: cannot open \/nonexistent\/watchdog: .*running without a hardware watchdog/);
  wd.feed();
  wd.stop();
});

test('serial: lines go to the device with CRLF and to listeners; a missing device is said once, stdout carries on', () => {
  const dir = temp();
  try {
    const device = path.join(dir, 'ttyS0');
    fs.writeFileSync(device, '');
    const serial = new SerialConsole({ device });
    const heard: string[] = [];
    serial.onLine((l) => heard.push(l));
    serial.write('boot');
    serial.write('two\nlines');
    serial.close();
    assert.is(fs.readFileSync(device, 'utf8'), 'boot\r\ntwo\r\nlines\r\n');
    assert.equal(heard, ['boot', 'two\nlines']);

    const missing = new SerialConsole({ device: path.join(dir, 'ttyS9') });
    missing.write('still logged');
    assert.equal(missing.all().length, 2);
    assert.match(missing.all()[0], /serial: cannot open .*ttyS9.*console on stdout only/);
    assert.not.ok(fs.existsSync(path.join(dir, 'ttyS9')), 'a missing device is not created as a file');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('link state follows operstate (up and unknown are up); a missing interface is down, logged once', () => {
  const dir = temp();
  try {
    const states: boolean[] = [];
    const log: string[] = [];
    const monitor = new LinkStateMonitor({ interface: 'eth0', sysClassNet: dir, log: (l) => log.push(l), onChange: (up) => states.push(up) });
    monitor.poll();
    monitor.poll();
    fs.mkdirSync(path.join(dir, 'eth0'));
    fs.writeFileSync(path.join(dir, 'eth0', 'operstate'), 'up\n');
    monitor.poll();
    fs.writeFileSync(path.join(dir, 'eth0', 'operstate'), 'down\n');
    monitor.poll();
    fs.writeFileSync(path.join(dir, 'eth0', 'operstate'), 'unknown\n');
    monitor.poll();
    assert.equal(states, [false, true, false, true]);
    assert.is(log.filter((l) => l.includes('no interface eth0')).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('line: failed while baresip is away (registration answered failed, calls rejected io:), connected once it listens', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));

  const log: string[] = [];
  const events: LineEvent[] = [];
  const line = new BoardLine({ host: '127.0.0.1', port, log: (l) => log.push(l), connectTimeoutMs: 50, retryMs: 100 });
  try {
    await line.start();
    line.onEvent((e) => events.push(e));
    assert.equal(events, [{ type: 'registration', state: 'failed', reason: `baresip not reachable at 127.0.0.1:${port}` }]);
    await line.register({ line: 2, address: '1002', displayName: '', authUserId: '', password: 'x', server: { address: 'pbx', port: 0, transport: 'UDP', expires: 300 } });
    assert.equal(events[1], { type: 'registration', line: 2, state: 'failed', reason: `baresip not reachable at 127.0.0.1:${port}` });
    await line.dial('1001').then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^io: baresip not reachable/));

    // baresip comes up: the next retry connects.
    const accepted: net.Socket[] = [];
    const baresip = net.createServer((s) => accepted.push(s));
    await new Promise<void>((r) => baresip.listen(port, '127.0.0.1', r));
    try {
      for (let i = 0; i < 100 && !log.some((l) => l.startsWith('line: connected')); i++) await sleep(20);
      assert.ok(log.some((l) => l === `line: connected to baresip ctrl_tcp at 127.0.0.1:${port}`), log.join('\n'));
      assert.is(log.filter((l) => l.includes('not reachable')).length, 1, 'the retries are not logged one by one');
      assert.equal(events[2], { type: 'registration', state: 'unregistered' }, 'line 1 is no longer shown failed');
      // baresip goes away again: failed once more, with the reason.
      for (let i = 0; i < 100 && accepted.length === 0; i++) await sleep(20);
      for (const s of accepted) s.destroy();
      for (let i = 0; i < 100 && events.length < 4; i++) await sleep(20);
      assert.equal(events[3], { type: 'registration', state: 'failed', reason: 'baresip connection lost (connection to baresip closed)' });
    } finally {
      line.close();
      await new Promise((r) => baresip.close(r));
    }
  } finally {
    line.close();
  }
});

test.run();
