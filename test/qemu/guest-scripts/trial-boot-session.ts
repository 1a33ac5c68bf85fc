/**
 * Guest side of test/qemu/rauc-update.test.ts for a slot's trial boot: `phone run` (the bundled CLI, as a board's
 * systemd unit starts it) with the board file's `update.rauc`, on mtdram, vfb and a uinput keypad, while RAUC's
 * service runs. A new phone starts in the out-of-box wizard, which is not idle:
 * - `finishWizard`: Finish on the keypad reaches idle, and the board host runs `rauc status mark-good`; the session
 *   waits for its `[board] rauc:` result line;
 * - otherwise the wizard is left unanswered for `stayMs` (the firmware never reaches idle) and `phone run` stops.
 * The runner's output and the screens seen go to plan.report as JSON; the host asserts on them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseBoardFile } from '../../../hal/linux/board-file';
import { keypadCodes } from './board-keymap';
import { BoardProcess } from './board-process';
import { unbindFramebufferConsole } from './framebuffer';
import { UinputKeypad } from './uinput-keypad';
import { sleep } from './wait-screen';

export interface RaucTrialPlan {
  cli: string;
  image: string;
  boardFile: string;
  report: string;
  results: string;
  fbMode: string;
  finishWizard: boolean;
  /** Without finishWizard: how long the wizard stays unanswered before `phone run` stops. */
  stayMs: number;
}

const MARK_GOOD_RESULT = /^\[board\] rauc: (booted slot marked good|mark-good failed)/;

async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as RaucTrialPlan;
  const boardFile = parseBoardFile(JSON.parse(fs.readFileSync(plan.boardFile, 'utf8')), plan.boardFile);
  const codes = keypadCodes(boardFile);
  const report: { screens: string[]; output?: string[]; error?: string } = { screens: [] };
  const save = (): void => fs.writeFileSync(plan.report, JSON.stringify(report, null, 2));

  execFileSync('modprobe', ['vfb', 'vfb_enable=1', `mode_option=${plan.fbMode}`]);
  unbindFramebufferConsole();
  const keypad = UinputKeypad.create(boardFile.keys.deviceName, codes.all);
  // Node runs the image: under TCG QuickJS exceeds the boot's CPU-time budget mounting the store (board.test.ts).
  const board = new BoardProcess({
    cli: plan.cli, image: plan.image, board: boardFile.board, boardFile: plan.boardFile, engine: 'node',
    screenJson: path.join(plan.results, 'trial-screen.json'),
  });
  try {
    const first = await board.waitScreen('wizard or idle', (s) => s.id === 'wizard' || s.id === 'idle', 150_000);
    report.screens.push(first.id);
    if (plan.finishWizard) {
      if (first.id === 'wizard') keypad.tap(codes.of('soft4'));
      const idle = await board.waitScreen('idle', (s) => s.id === 'idle', 30_000);
      report.screens.push(idle.id);
      const deadline = Date.now() + 60_000;
      while (!board.output.some((l) => MARK_GOOD_RESULT.test(l)) && Date.now() < deadline) await sleep(200);
    } else {
      await sleep(plan.stayMs);
      report.screens.push(board.screen()?.id ?? 'none');
    }
  } catch (e) {
    report.error = (e as Error).message;
  } finally {
    await board.stop();
    keypad.destroy();
    report.output = board.output;
    save();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
