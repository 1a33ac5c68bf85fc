/**
 * `update.rauc` in the board file: the board host runs the mark-good command
 * (here a script appending to a marker file, standing in for
 * `rauc status mark-good`) once the firmware first shows idle in a boot —
 * not during the out-of-box wizard before it, not again at a later idle —
 * and a failing command is one logged line, the board running on. The real
 * RAUC run is test/qemu/rauc-update.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { loadBoardFile, type BoardFile } from '../../hal/linux/board-file';
import { bootBoard, type RunningBoard } from '../../hal/linux/board-host';
import { VirtualDisplay } from '../../sim/devices/display';
import { VirtualFlash } from '../../sim/devices/flash';
import { VirtualKeys } from '../../sim/devices/keys';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { closedPort } from '../helpers/closed-port';

const cleanups: (() => Promise<void> | void)[] = [];
test.after.each(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function boot(update: BoardFile['update']): Promise<{ board: RunningBoard; keys: VirtualKeys; root: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rauc-mark-good-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'net', 'eth0'), { recursive: true });
  fs.writeFileSync(path.join(root, 'net', 'eth0', 'operstate'), 'up\n');
  fs.writeFileSync(path.join(root, 'boot_id'), 'boot-1\n');
  const profile = boardProfile('desk-500');
  const keys = new VirtualKeys(profile.keys);
  const board = await bootBoard({
    boardFile: {
      ...loadBoardFile(undefined, 'desk-500'), stateDir: path.join(root, 'state'), keystore: { dir: path.join(root, 'state', 'keys') },
      usb: undefined, watchdog: undefined, serial: undefined, leds: {},
      line: { baresip: { host: '127.0.0.1', port: await closedPort() } }, power: { rebootCommand: [] }, ...(update ? { update } : {}),
    },
    image: DEFAULT_IMAGE, engine: 'node',
    devices: { flash: new VirtualFlash(profile.flash), display: new VirtualDisplay(profile.display.width, profile.display.height, profile.display.format), keys },
    paths: { sysClassNet: path.join(root, 'net'), bootIdFile: path.join(root, 'boot_id') },
  });
  cleanups.push(() => board.stop());
  return { board, keys, root };
}

async function until(what: string, done: () => boolean, board: RunningBoard, ms = 20000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(board.screen())}\n${board.log().slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const onScreen = (board: RunningBoard, id: string) => (): boolean => (board.screen() as ScreenText).id === id;
const tap = (keys: VirtualKeys, key: KeyName): void => { keys.send(key, true); keys.send(key, false); };
const raucLines = (board: RunningBoard) => board.log().filter((l) => l.startsWith('[board] rauc:'));

test('the mark-good command runs once the firmware first shows idle: not in the wizard before, not again at the next idle', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rauc-cmd-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const marker = path.join(root, 'marked');
  const script = path.join(root, 'mark-good.sh');
  fs.writeFileSync(script, `#!/bin/sh\necho marked >> '${marker}'\necho "marked slot appfs.1 as good"\n`);
  const { board, keys } = await boot({ rauc: true, markGoodCommand: ['sh', script] });

  await until('the out-of-box wizard', onScreen(board, 'wizard'), board);
  await new Promise((r) => setTimeout(r, 300));
  assert.not.ok(fs.existsSync(marker), 'nothing marked before idle');
  assert.equal(raucLines(board), []);

  tap(keys, 'soft4');
  await until('idle', onScreen(board, 'idle'), board);
  await until('the mark-good result', () => raucLines(board).length === 2, board);
  assert.is(fs.readFileSync(marker, 'utf8'), 'marked\n');
  assert.match(raucLines(board)[0], /^\[board\] rauc: the firmware reached idle: sh .*mark-good\.sh$/);
  assert.is(raucLines(board)[1], '[board] rauc: booted slot marked good (marked slot appfs.1 as good)');

  // Away from idle (the menu) and back: the same boot, not marked again.
  tap(keys, 'soft4');
  await until('the menu', () => board.screen().id !== 'idle', board);
  tap(keys, 'back');
  await until('idle again', onScreen(board, 'idle'), board);
  await new Promise((r) => setTimeout(r, 300));
  assert.is(fs.readFileSync(marker, 'utf8'), 'marked\n');
  assert.is(raucLines(board).length, 2);
});

test('a failing mark-good command is one logged line; the board runs on', async () => {
  const { board, keys } = await boot({ rauc: true, markGoodCommand: ['sh', '-c', 'echo "rauc: no service on the bus" >&2; exit 1'] });
  await until('the wizard or idle', () => ['wizard', 'idle'].includes(board.screen().id), board);
  if (board.screen().id === 'wizard') tap(keys, 'soft4');
  await until('the mark-good result', () => raucLines(board).length === 2, board);
  assert.is(raucLines(board)[1], '[board] rauc: mark-good failed (exit 1: rauc: no service on the bus): the slot stays on trial and the next boot rolls back');
  assert.is(board.state, 'running');

  const missing = await boot({ rauc: true, markGoodCommand: ['/nonexistent/rauc', 'status', 'mark-good'] });
  await until('the wizard or idle', () => ['wizard', 'idle'].includes(missing.board.screen().id), missing.board);
  if (missing.board.screen().id === 'wizard') tap(missing.keys, 'soft4');
  await until('the mark-good result', () => raucLines(missing.board).length === 2, missing.board);
  assert.match(raucLines(missing.board)[1], /^\[board\] rauc: mark-good failed \(spawn \/nonexistent\/rauc ENOENT\)/);
  assert.is(missing.board.state, 'running');
});

test('without update.rauc nothing is run at idle', async () => {
  const { board, keys } = await boot(undefined);
  await until('the wizard or idle', () => ['wizard', 'idle'].includes(board.screen().id), board);
  if (board.screen().id === 'wizard') tap(keys, 'soft4');
  await until('idle', onScreen(board, 'idle'), board);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(raucLines(board), []);
});

test.run();
