/**
 * Guest side of test/qemu/power-cut.test.ts, flash on block2mtd over a virtio disk (writeThrough in the board file):
 *   phase "write": a blank phone's wizard is finished by the keypad (a flash write the firmware acknowledges by
 *     showing idle), then calls are dialled and hung up in a loop — writes going on — until the host kills QEMU;
 *   phase "check": after the cut, the firmware boots again from the same disk.
 * Observations go to plan.report as JSON (on the results share, so they survive the cut).
 */
import * as fs from 'fs';
import type { KeyName } from '../../../hal/contract';
import { parseBoardFile } from '../../../hal/linux/board-file';
import { bootBoard } from '../../../hal/linux/board-host';
import { keypadCodes } from './board-keymap';
import { UinputKeypad } from './uinput-keypad';
import { sleep, waitScreen } from './wait-screen';

export interface PowerCutPlan {
  phase: 'write' | 'check';
  image: string;
  boardFile: string;
  report: string;
  /** Printed on the console when the write loop starts: the host cuts the power some time after. */
  writingMarker: string;
}

/** Dial a number and hang up: the call list and its record are written to flash each time. */
const CALL: KeyName[] = ['5', '5', '5', 'soft1'];
const HANG_UP: KeyName = 'hook';

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as PowerCutPlan;
  const boardFile = parseBoardFile(JSON.parse(fs.readFileSync(plan.boardFile, 'utf8')), plan.boardFile);
  const codes = keypadCodes(boardFile);
  const tap = (key: KeyName): void => keypad.tap(codes.of(key));
  const report: Record<string, unknown> = { phase: plan.phase };
  const save = (): void => fs.writeFileSync(plan.report, JSON.stringify(report, null, 2));
  const log: string[] = [];
  const keypad = UinputKeypad.create(boardFile.keys.deviceName, codes.all);
  const t0 = Date.now();
  const board = await bootBoard({ boardFile, image: plan.image, engine: 'node', onLog: (l) => log.push(l) });
  try {
    const first = await waitScreen(board, 'wizard or idle', (s) => s.id === 'wizard' || s.id === 'idle', 120_000);
    report.firstScreen = first;
    report.bootMs = Date.now() - t0;
    report.mounts = log.filter((l) => /\|store\|/.test(l));
    save();
    if (plan.phase === 'check') return;

    if (first.id === 'wizard') tap('soft4');
    await waitScreen(board, 'idle after the wizard', (s) => s.id === 'idle', 30_000);
    report.wizardFinished = true;
    report.calls = 0;
    save();
    console.log(plan.writingMarker);
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      for (const key of CALL) tap(key);
      await sleep(300);
      tap(HANG_UP);
      await waitScreen(board, 'idle after hanging up', (s) => s.id === 'idle', 10_000);
      report.calls = (report.calls as number) + 1;
      report.lastScreen = board.screen();
      save();
    }
  } finally {
    report.state = board.state;
    report.faults = board.faults();
    report.log = log;
    save();
    await board.stop();
    keypad.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
