/**
 * Guest side of test/qemu/board.test.ts: one guest boot, several checks of `phone run` (the bundled CLI, as a
 * board's systemd unit starts it) on the kernel's own devices (mtdram partitions, vfb, a uinput keypad), in order:
 *   1. a misaligned MEMERASE through MtdFlash is refused by the kernel and reported;
 *   2. with no framebuffer (vfb not loaded yet) `phone run` exits once, with a clear message;
 *   3. with vfb loaded the firmware shows the out-of-box wizard, Finish on the keypad reaches idle; each tap
 *      changes the screen (read from --screen-json), and after each the framebuffer is copied to the results dir
 *      (the host compares it with the simulator's picture);
 *   4. the keypad is unplugged and plugged again: the runner logs it and keys work again.
 * Everything observed goes to plan.report as JSON; the host asserts on it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../../hal/contract';
import { boardProfile } from '../../../hal/boards';
import { parseBoardFile } from '../../../hal/linux/board-file';
import { MtdFlash } from '../../../hal/linux/mtd-flash';
import { keypadCodes } from './board-keymap';
import { BoardProcess } from './board-process';
import { readFramebuffer, unbindFramebufferConsole } from './framebuffer';
import { UinputKeypad } from './uinput-keypad';
import { sleep } from './wait-screen';

export interface BoardSessionPlan {
  /** The bundled phone CLI. */
  cli: string;
  image: string;
  /** Under TCG the guest runs about 20x slower than a board: QuickJS trips the boot's CPU-time budget there. */
  engine: 'quickjs' | 'node';
  boardFile: string;
  report: string;
  /** Where the framebuffer copies and screen files go. */
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
  const codes = keypadCodes(boardFile);
  const report: Record<string, unknown> = {};
  const save = (): void => fs.writeFileSync(plan.report, JSON.stringify(report, null, 2));
  const phoneRun = (name: string): BoardProcess => new BoardProcess({
    cli: plan.cli, image: plan.image, board: boardFile.board, boardFile: plan.boardFile, engine: plan.engine,
    screenJson: path.join(plan.results, `${name}-screen.json`),
  });

  // 1. Misaligned erase through the driver.
  const flash = MtdFlash.open({ geometry: boardProfile(boardFile.board).flash, partitions: boardFile.flash.partitions });
  try {
    flash.open('fs').eraseRange(100, 4096);
    report.misalignedErase = null;
  } catch (e) {
    report.misalignedErase = `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    flash.close();
  }
  save();

  // 2. No framebuffer: one clear message, one exit.
  const noFb = phoneRun('no-fb');
  const giveUp = setTimeout(() => void noFb.stop(), 60_000);
  const noFbExit = await noFb.exited;
  clearTimeout(giveUp);
  report.noFb = { ...noFbExit, ms: Date.now() - noFb.startedAt, output: noFb.output };
  save();

  // 3. With vfb: the wizard, idle, then keys.
  execFileSync('modprobe', ['vfb', 'vfb_enable=1', `mode_option=${plan.fbMode}`]);
  unbindFramebufferConsole();
  let keypad = UinputKeypad.create(boardFile.keys.deviceName, codes.all);
  execFileSync('date', ['-u', '-s', `@${Math.floor(plan.startTime / 1000)}`]);
  const board = phoneRun('board');
  try {
    // A blank flash is a new phone: the out-of-box wizard first; its Finish key stores that it ran (a flash write).
    const first = await board.waitScreen('wizard or idle', (s) => s.id === 'wizard' || s.id === 'idle', 120_000);
    report.firstScreen = { screen: first, ms: Date.now() - board.startedAt };
    if (first.id === 'wizard') keypad.tap(codes.of('soft4'));
    const idle = await board.waitScreen('idle', (s) => s.id === 'idle', 30_000);
    report.idle = { screen: idle, ms: Date.now() - board.startedAt };
    save();
    const taps: { key: KeyName; screen: ScreenText | null; fb: string; ms: number }[] = [];
    report.taps = taps;
    for (const [i, key] of plan.taps.entries()) {
      const tapAt = Date.now();
      const before = JSON.stringify(board.screen());
      keypad.tap(codes.of(key));
      await board.waitScreen(`changed after ${key}`, (s) => JSON.stringify(s) !== before, 30_000);
      await sleep(200); // the blit and the screen model come from one firmware entry; let it finish
      const fb = path.join(plan.results, `fb-${i}.raw`);
      fs.writeFileSync(fb, readFramebuffer('/dev/fb0', '/sys/class/graphics/fb0'));
      taps.push({ key, screen: board.screen(), fb, ms: Date.now() - tapAt });
      save();
    }

    // 4. Unplug and plug the keypad again.
    const outputAtUnplug = board.output.length;
    keypad.destroy();
    await sleep(2000);
    keypad = UinputKeypad.create(boardFile.keys.deviceName, codes.all);
    const plugAt = Date.now();
    const before = JSON.stringify(board.screen());
    // The driver waits for the device to come back; a tap before it re-opened it is lost, as on a board.
    while (JSON.stringify(board.screen()) === before && Date.now() - plugAt < 30_000) {
      keypad.tap(codes.of(plan.afterReplug));
      await sleep(1000);
    }
    report.replug = { answered: JSON.stringify(board.screen()) !== before, ms: Date.now() - plugAt, screen: board.screen(), output: board.output.slice(outputAtUnplug) };
    report.runningAfterReplug = board.running;
    save();
  } finally {
    report.stop = await board.stop();
    keypad.destroy();
    report.output = board.output;
    save();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
