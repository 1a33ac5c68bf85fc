/**
 * Guest side of test/qemu/board.test.ts: one guest boot, several checks of the Linux board host (bootBoard) on the
 * kernel's own devices (mtdram partitions, vfb, a uinput keypad), in this order:
 *   1. a misaligned MEMERASE through MtdFlash is refused by the kernel and reported;
 *   2. with no framebuffer (vfb not loaded yet) the board does not start and says why;
 *   3. with vfb loaded the firmware shows the out-of-box wizard, Finish on the keypad reaches idle; each tap on the uinput keypad changes the screen, and after each
 *      the framebuffer is copied to the results dir (the host compares it with the simulator's picture);
 *   4. the keypad is unplugged and plugged again: the board logs it and keys work again.
 * Everything observed goes to plan.report as JSON; the host asserts on it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../../hal/contract';
import { boardProfile } from '../../../hal/boards';
import { parseBoardFile } from '../../../hal/linux/board-file';
import { bootBoard } from '../../../hal/linux/board-host';
import { MtdFlash } from '../../../hal/linux/mtd-flash';
import { readFramebuffer, unbindFramebufferConsole } from './framebuffer';
import { UinputKeypad } from './uinput-keypad';
import { sleep, waitScreen } from './wait-screen';

export interface BoardSessionPlan {
  image: string;
  /** Under TCG the guest runs about 20x slower than a board: QuickJS trips the boot's CPU-time budget there. */
  engine: 'quickjs' | 'node';
  boardFile: string;
  report: string;
  /** Where the framebuffer copies go. */
  results: string;
  /** vfb's mode_option, e.g. 320x240-16. */
  fbMode: string;
  /** Keys tapped after idle; the framebuffer is saved after each as fb-<i>.raw. */
  taps: KeyName[];
  /** The key tapped after the keypad is plugged again. */
  afterReplug: KeyName;
  /** The guest's clock is set to this (ms since the epoch) before the firmware starts, as the simulator's. */
  startTime: number;
}

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as BoardSessionPlan;
  const boardFile = parseBoardFile(JSON.parse(fs.readFileSync(plan.boardFile, 'utf8')), plan.boardFile);
  const keyCode = (key: KeyName): number => {
    const code = Object.keys(boardFile.keys.keymap).find((c) => boardFile.keys.keymap[c] === key);
    if (!code) throw new Error(`the board file maps no key code to ${key}`);
    return Number(code);
  };
  const report: Record<string, unknown> = {};
  const save = (): void => fs.writeFileSync(plan.report, JSON.stringify(report, null, 2));
  const log: string[] = [];

  // 1. Misaligned erase through the driver.
  const flash = MtdFlash.open({ geometry: boardProfile(boardFile.board).flash, partitions: boardFile.flash.partitions });
  try {
    (flash.open('fs') as unknown as { eraseRange(start: number, length: number): void }).eraseRange(100, 4096);
    report.misalignedErase = null;
  } catch (e) {
    report.misalignedErase = `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    flash.close();
  }
  save();

  // 2. No framebuffer: the board does not start and says which device is missing.
  try {
    const board = await bootBoard({ boardFile, image: plan.image, engine: plan.engine, onLog: (l) => log.push(l) });
    await board.stop();
    report.noFb = null;
  } catch (e) {
    report.noFb = `${(e as Error).name}: ${(e as Error).message}`;
  }
  save();

  // 3. With vfb: idle, then keys.
  execFileSync('modprobe', ['vfb', 'vfb_enable=1', `mode_option=${plan.fbMode}`]);
  unbindFramebufferConsole();
  const codes = Object.keys(boardFile.keys.keymap).map(Number);
  let keypad = UinputKeypad.create(boardFile.keys.deviceName, codes);
  execFileSync('date', ['-u', '-s', `@${Math.floor(plan.startTime / 1000)}`]);
  const t0 = Date.now();
  const board = await bootBoard({ boardFile, image: plan.image, engine: plan.engine, onLog: (l) => log.push(l) });
  try {
    // A blank flash is a new phone: the out-of-box wizard first; its Finish key stores that it ran (a flash write).
    const first = await waitScreen(board, 'wizard or idle', (s) => s.id === 'wizard' || s.id === 'idle', 120_000);
    report.firstScreen = { screen: first, ms: Date.now() - t0 };
    if (first.id === 'wizard') keypad.tap(keyCode('soft4'));
    const idle = await waitScreen(board, 'idle', (s) => s.id === 'idle', 30_000);
    report.idle = { screen: idle, ms: Date.now() - t0 };
    save();
    const taps: { key: KeyName; screen: ScreenText; fb: string; ms: number }[] = [];
    report.taps = taps;
    for (const [i, key] of plan.taps.entries()) {
      const tapAt = Date.now();
      const before = JSON.stringify(board.screen());
      keypad.tap(keyCode(key));
      await waitScreen(board, `changed after ${key}`, (s) => JSON.stringify(s) !== before, 30_000);
      await sleep(200); // the blit and the screen model come from one firmware entry; let it finish
      const fb = path.join(plan.results, `fb-${i}.raw`);
      fs.writeFileSync(fb, readFramebuffer('/dev/fb0', '/sys/class/graphics/fb0'));
      taps.push({ key, screen: board.screen(), fb, ms: Date.now() - tapAt });
      save();
    }

    // 4. Unplug and plug the keypad again.
    const logAtUnplug = log.length;
    keypad.destroy();
    await sleep(2000);
    keypad = UinputKeypad.create(boardFile.keys.deviceName, codes);
    const plugAt = Date.now();
    const before = JSON.stringify(board.screen());
    // The driver waits for the device to come back; a tap before it re-opened it is lost, as on a board.
    while (JSON.stringify(board.screen()) === before && Date.now() - plugAt < 30_000) {
      keypad.tap(keyCode(plan.afterReplug));
      await sleep(1000);
    }
    report.replug = { answered: JSON.stringify(board.screen()) !== before, ms: Date.now() - plugAt, screen: board.screen(), log: log.slice(logAtUnplug) };
    report.state = board.state;
    report.faults = board.faults();
    save();
  } finally {
    await board.stop();
    keypad.destroy();
    report.log = log;
    save();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
