import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BoardFileError, loadBoardFile, parseBoardFile, BOARD_FILES_DIR } from '../../hal/linux/board-file';
import { BOARDS } from '../../hal/boards';
import { defaultKeymap } from '../../hal/linux/keymaps';

const shipped = (id: string) => JSON.parse(fs.readFileSync(path.join(BOARD_FILES_DIR, `${id}.json`), 'utf8'));

function refused(raw: unknown, pattern: RegExp): void {
  assert.throws(() => parseBoardFile(raw, 'my-board.json'), (e: Error) => {
    if (!(e instanceof BoardFileError)) return false;
    if (!e.message.startsWith('board file my-board.json: ')) throw new Error(`message does not name the file: ${e.message}`);
    if (!pattern.test(e.message)) throw new Error(`message "${e.message}" does not match ${pattern}`);
    return true;
  });
}

test("the shipped board files load, use the board's default keymap (every key of the board) and keep the defaults", () => {
  for (const id of Object.keys(BOARDS)) {
    const b = loadBoardFile(undefined, id);
    assert.is(b.board, id);
    assert.equal(b.keys.keymap, { ...defaultKeymap(id) }, 'no keymap in the file: the board default, filled in');
    assert.equal([...new Set(Object.values(b.keys.keymap))].sort(), [...BOARDS[id].keys].sort());
    assert.equal(b.power.rebootCommand, ['systemctl', 'reboot']);
    assert.is(b.flash.writeThrough, false);
    assert.is(b.line.baresip.port, 4444);
  }
});

test('an unknown board is refused, by --board and in the file', () => {
  assert.throws(() => loadBoardFile(undefined, 'desk-42'), /unknown board "desk-42" \(known: desk-500, desk-99\)/);
  refused({ ...shipped('desk-500'), board: 'desk-42' }, /field "board": unknown board "desk-42"/);
  assert.throws(() => loadBoardFile(undefined, 'constructor'), /unknown board "constructor"/);
});

test('a board file for another board than --board is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-file-'));
  try {
    const file = path.join(dir, 'b.json');
    fs.writeFileSync(file, JSON.stringify(shipped('desk-99')));
    assert.throws(() => loadBoardFile(file, 'desk-500'), /field "board" is "desk-99" but --board is "desk-500"/);
    assert.is(loadBoardFile(file, 'desk-99').board, 'desk-99');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable or non-JSON board file is refused naming the file', () => {
  assert.throws(() => loadBoardFile('/nonexistent/board.json', 'desk-500'), /board file \/nonexistent\/board.json: cannot read it/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-file-'));
  try {
    const file = path.join(dir, 'b.json');
    fs.writeFileSync(file, '{ "board": ');
    assert.throws(() => loadBoardFile(file, 'desk-500'), /b.json: not JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a keymap of its own replaces the default', () => {
  const b = shipped('desk-99');
  assert.equal(parseBoardFile({ ...b, keys: { ...b.keys, keymap: { 2: '1', 59: 'soft1' } } }, 'b.json').keys.keymap, { 2: '1', 59: 'soft1' });
});

test('a keymap entry naming a key the board lacks, or no key at all, is refused with its code', () => {
  const b = shipped('desk-99');
  refused({ ...b, keys: { ...b.keys, keymap: { ...b.keys.keymap, 102: 'home' } } }, /field "keys.keymap.102": "home" is not a key of board desk-99/);
  refused({ ...b, keys: { ...b.keys, keymap: { ...b.keys.keymap, 30: 'banana' } } }, /field "keys.keymap.30": "banana" is not a key/);
  refused({ ...b, keys: { ...b.keys, keymap: { KEY_A: '1' } } }, /field "keys.keymap.KEY_A": "KEY_A" is not a Linux KEY_\* code/);
});

test('each missing required field is refused by its dotted name', () => {
  const b = shipped('desk-500');
  refused({ ...b, stateDir: undefined }, /field "stateDir": missing/);
  refused({ ...b, display: {} }, /field "display.device": missing/);
  refused({ ...b, keys: { keymap: b.keys.keymap } }, /field "keys.deviceName": missing/);
  refused({ ...b, keys: { deviceName: 'x', keymap: [] } }, /field "keys.keymap": expected an object/);
  refused({ ...b, keystore: undefined }, /field "keystore": missing/);
  refused({ ...b, line: { baresip: { host: '127.0.0.1' } } }, /field "line.baresip.port": undefined is not a TCP port/);
  refused({ ...b, flash: { partitions: { nvram: 'nvram', fs: 'fs' } } }, /field "flash.partitions.updater": missing/);
});

test('unknown fields and wrong types are refused by name (a typo is not silently ignored)', () => {
  const b = shipped('desk-500');
  refused({ ...b, watchdgo: { device: '/dev/watchdog' } }, /field "watchdgo": unknown field/);
  refused({ ...b, leds: { ...b.leds, power: 'x' } }, /field "leds.power": unknown LED/);
  refused({ ...b, flash: { ...b.flash, partitions: { ...b.flash.partitions, boot: 'boot' } } }, /field "flash.partitions.boot": unknown partition/);
  refused({ ...b, flash: { ...b.flash, writeThrough: 'yes' } }, /field "flash.writeThrough": expected true or false/);
  refused({ ...b, mac: '00:04:f2:a1:b2:c3' }, /field "mac": "00:04:f2:a1:b2:c3" is not 12 lower-case hex digits/);
  refused({ ...b, power: { rebootCommand: 'reboot' } }, /field "power.rebootCommand": "reboot" is not a command as a list of words/);
  refused({ ...b, usb: { mountPoint: '' } }, /field "usb.mountPoint": expected a non-empty string/);
  refused([], /field "\(top level\)": expected an object/);
});

test('optional devices may be left out: no USB, no watchdog, no serial device, default net interface and reboot command', () => {
  const { usb, watchdog, serial, net, power, clock, leds, ...rest } = shipped('desk-500');
  void usb; void watchdog; void serial; void net; void power; void clock; void leds;
  const b = parseBoardFile(rest, 'minimal.json');
  assert.is(b.usb, undefined);
  assert.is(b.watchdog, undefined);
  assert.is(b.serial, undefined);
  assert.is(b.net.interface, 'eth0');
  assert.equal(b.power.rebootCommand, ['systemctl', 'reboot']);
  assert.equal(b.leds, {});
});

test('update.rauc is off unless the file says so; markGoodCommand defaults to rauc status mark-good and is checked', () => {
  const b = shipped('desk-500');
  assert.is(parseBoardFile(b, 'x.json').update?.rauc ?? false, false);
  assert.equal(parseBoardFile({ ...b, update: { rauc: true } }, 'x.json').update, { rauc: true, markGoodCommand: ['rauc', 'status', 'mark-good'] });
  assert.equal(parseBoardFile({ ...b, update: { rauc: true, markGoodCommand: ['/bin/true'] } }, 'x.json').update!.markGoodCommand, ['/bin/true']);
  refused({ ...b, update: { rauc: 'yes' } }, /field "update.rauc": expected true or false/);
  refused({ ...b, update: { rauc: true, markGoodCommand: 'rauc status mark-good' } }, /field "update.markGoodCommand": "rauc status mark-good" is not a command as a list of words/);
  refused({ ...b, update: { rauc: true, markGoodCommand: [] } }, /field "update.markGoodCommand": \[\] is not a command/);
  refused({ ...b, update: { raucc: true } }, /field "update.raucc": unknown field/);
});

test.run();
