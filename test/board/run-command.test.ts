/** `phone run` as systemd starts it: a bad board file or a missing device is a clear message and a distinct exit status, nothing started. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BOARD_FILES_DIR } from '../../hal/linux/board-file';
import { EXIT_BAD_BOARD_FILE, EXIT_DEVICE_UNAVAILABLE, ScreenReporter } from '../../sim/cli/commands/run';

const PHONE = path.resolve(__dirname, '..', '..', 'bin', 'phone.js');

function phoneRun(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [PHONE, 'run', ...args], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('a board file with a bad keymap key is refused with the field named, exit 78 (systemd does not restart it)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-run-'));
  try {
    const board = JSON.parse(fs.readFileSync(path.join(BOARD_FILES_DIR, 'desk-99.json'), 'utf8'));
    board.stateDir = path.join(dir, 'state');
    board.keys.keymap = { 2: '1', 102: 'home' };
    const file = path.join(dir, 'board.json');
    fs.writeFileSync(file, JSON.stringify(board));
    const r = phoneRun(['--board', 'desk-99', '--board-file', file]);
    assert.is(r.status, EXIT_BAD_BOARD_FILE);
    assert.match(r.stderr, `phone run: board file ${file}: field "keys.keymap.102": "home" is not a key of board desk-99`);
    assert.not.ok(fs.existsSync(board.stateDir), 'nothing was started');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing flash device is a clear message and exit 69, no state left behind', () => {
  if (fs.existsSync('/proc/mtd')) return; // a host with MTD partitions: the QEMU suite covers the real devices
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-run-'));
  try {
    const board = JSON.parse(fs.readFileSync(path.join(BOARD_FILES_DIR, 'desk-500.json'), 'utf8'));
    board.stateDir = path.join(dir, 'state');
    board.keystore.dir = path.join(dir, 'state', 'keys');
    delete board.serial;
    const file = path.join(dir, 'board.json');
    fs.writeFileSync(file, JSON.stringify(board));
    const r = phoneRun(['--board', 'desk-500', '--board-file', file, '--engine', 'node']);
    assert.is(r.status, EXIT_DEVICE_UNAVAILABLE);
    assert.match(r.stderr, /phone run: flash: \/proc\/mtd: cannot be read .*CONFIG_MTD/);
    assert.not.ok(fs.existsSync(board.stateDir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the systemd unit runs `phone run`, never restarts a bad board file and gives up after a few failed starts', () => {
  const unit = fs.readFileSync(path.resolve(__dirname, '..', '..', 'systemd', 'phone.service'), 'utf8');
  const setting = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(unit)?.[1];
  assert.match(setting('ExecStart') ?? '', /bin\/phone\.js run --board \$\{PHONE_BOARD\} --board-file \$\{PHONE_BOARD_FILE\}/);
  assert.is(setting('Restart'), 'on-failure');
  assert.is(setting('RestartPreventExitStatus'), String(EXIT_BAD_BOARD_FILE));
  assert.ok(Number(setting('StartLimitBurst')) > 0 && Number(setting('StartLimitIntervalSec')) > 0);
  const verify = spawnSync('systemd-analyze', ['verify', path.resolve(__dirname, '..', '..', 'systemd', 'phone.service')], { encoding: 'utf8' });
  if (verify.error) return; // no systemd-analyze on this host
  assert.is(verify.stderr.trim(), '', 'systemd-analyze verify finds nothing wrong');
});

test('each new screen is printed once and kept whole in --screen-json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-run-'));
  try {
    const file = path.join(dir, 'screen.json');
    const printed: string[] = [];
    const reporter = new ScreenReporter((t) => printed.push(t), file);
    const idle = { id: 'idle', title: 'DESK500', lines: ['Line 1: failed: baresip not reachable at 127.0.0.1:4444'], softKeys: ['', 'Calls', 'Missed', 'Menu'], focus: -1, status: '09:00' };
    reporter.show(idle);
    reporter.show({ ...idle });
    assert.is(printed.length, 1);
    assert.match(printed[0], /── screen idle · DESK500 · 09:00 ──\n  Line 1: failed/);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')), idle);
    const menu = { id: 'menu', title: 'Menu', lines: ['1. Settings'], softKeys: ['Select', '', '', 'Back'], focus: 0 };
    reporter.show(menu);
    assert.is(printed.length, 2);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')), menu);
    assert.equal(fs.readdirSync(dir), ['screen.json'], 'no temporary file left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
