/**
 * `phone run`: boot the firmware image on a Linux board with the board's own
 * devices (hal/linux/board-host.ts), configured by a board file. Prints the
 * serial log and each new screen's text model on stdout (systemd keeps them
 * in the journal); `--screen-json` also keeps the latest screen in a file,
 * replaced atomically (tests in the QEMU guest read it).
 *
 * Exit status, so that systemd does not loop on a board that cannot work
 * (systemd/phone.service): 78 (EX_CONFIG) for a bad board file — never
 * restarted —, 69 (EX_UNAVAILABLE) for a device that cannot be opened —
 * restarted a few times (it may still be appearing), then given up —, 1 for
 * a reboot command that failed, 0 after a clean stop or a reboot handed to the OS.
 */
import { Command, Option } from 'commander';
import * as path from 'path';
import { BOARDS } from '../../../hal/boards';
import type { ScreenText } from '../../../hal/contract';
import { BoardFileError, loadBoardFile, type BoardFile } from '../../../hal/linux/board-file';
import { bootBoard, BoardStartError, type RunningBoard } from '../../../hal/linux/board-host';
import { writeFileAtomic } from '../../devices/atomic-file';
import { DEFAULT_IMAGE } from '../../phone';
import { formatScreen } from '../screen-text';

export const EXIT_BAD_BOARD_FILE = 78;
export const EXIT_DEVICE_UNAVAILABLE = 69;

interface RunOptions {
  board: string;
  boardFile?: string;
  engine: 'quickjs' | 'node';
  image: string;
  screenJson?: string;
}

export function runCommand(): Command {
  return new Command('run')
    .description('boot the firmware image on this Linux board with its real devices (MTD flash, fbdev, evdev, watchdog, LEDs, baresip line), as the board file says')
    .addOption(new Option('-b, --board <id>', 'board profile').choices(Object.keys(BOARDS)).makeOptionMandatory())
    .option('--board-file <file>', 'board file (device paths, keymap, partitions); default boards/<id>.json of this repository')
    .addOption(new Option('-e, --engine <engine>', 'engine that runs the firmware image').choices(['quickjs', 'node']).default('quickjs'))
    .option('--image <file>', 'firmware bundle to run', path.relative(process.cwd(), DEFAULT_IMAGE) || DEFAULT_IMAGE)
    .option('--screen-json <file>', 'keep the latest screen text model in this file as JSON (replaced atomically)')
    .addHelpText('after', `
Exit status: 0 stopped (SIGTERM, Ctrl-C) or reboot handed to the OS; ${EXIT_BAD_BOARD_FILE} bad board file;
${EXIT_DEVICE_UNAVAILABLE} a device could not be opened; 1 the reboot command failed. README "Bring up a dev board".`)
    .action(async (opts: RunOptions) => {
      const code = await runBoard(opts);
      process.exitCode = code;
      // Output is flushed by then; a socket or timer some library keeps open must not hold a stopped phone.
      setTimeout(() => process.exit(code), 2000).unref();
    });
}

export async function runBoard(opts: RunOptions): Promise<number> {
  let boardFile: BoardFile;
  try {
    boardFile = loadBoardFile(opts.boardFile, opts.board);
  } catch (e) {
    if (!(e instanceof BoardFileError)) throw e;
    console.error(`phone run: ${e.message}\n  Nothing was started. Fix the board file (README "Bring up a dev board" lists every field).`);
    return EXIT_BAD_BOARD_FILE;
  }

  let board: RunningBoard;
  try {
    board = await bootBoard({ boardFile, image: path.resolve(opts.image), engine: opts.engine, onLog: (line) => console.log(line) });
  } catch (e) {
    if (!(e instanceof BoardStartError)) throw e;
    console.error(`phone run: ${e.message}\n  Nothing was started.`);
    return EXIT_DEVICE_UNAVAILABLE;
  }

  const reporter = new ScreenReporter((text) => console.log(text), opts.screenJson);
  board.onScreen((screen) => reporter.show(screen));
  reporter.show(board.screen());

  const stopOn = (signal: NodeJS.Signals) => process.once(signal, () => {
    console.log(`phone run: ${signal}: stopping`);
    void board.stop();
  });
  stopOn('SIGINT');
  stopOn('SIGTERM');

  const outcome = await board.stopped;
  if (outcome.kind === 'reboot') {
    if (outcome.commandStatus !== 0) return 1;
    console.log(`phone run: rebooting (${outcome.reason})`);
  } else {
    console.log('phone run: stopped');
  }
  return 0;
}

/** Prints each new screen's text model (a redraw of the same screen is not news) and keeps the latest as JSON in `jsonFile`. */
export class ScreenReporter {
  private last = '';

  constructor(private readonly print: (text: string) => void, private readonly jsonFile?: string) {}

  show(screen: ScreenText): void {
    const text = formatScreen(screen);
    if (text === this.last) return;
    this.last = text;
    this.print(text);
    if (!this.jsonFile) return;
    try {
      writeFileAtomic(this.jsonFile, JSON.stringify(screen));
    } catch (e) {
      this.print(`phone run: cannot write ${this.jsonFile}: ${(e as Error).message}`);
    }
  }
}
