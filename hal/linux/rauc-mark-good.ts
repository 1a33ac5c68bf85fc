/**
 * RAUC's half of "marks it good once the firmware reaches idle" (docs/update.md):
 * on a board whose slots RAUC manages, a slot booted on trial stays on trial
 * until `rauc status mark-good`; the boot stage rolls back a slot nobody
 * marked. The board host runs the command the first time the firmware shows
 * its idle screen in this boot (the same moment the simulator's updater marks
 * its own slot good), and never again in the same boot: an in-process firmware
 * restart is the same slot of the same boot.
 *
 * The command runs asynchronously and its result is one `[board]` line; a
 * failure (no rauc, no service, an error status) is logged, never thrown: the
 * phone keeps running and the slot stays on trial, so the next boot rolls back.
 */
import { spawn } from 'child_process';
import type { ScreenText } from '../contract';

export const DEFAULT_MARK_GOOD_COMMAND = ['rauc', 'status', 'mark-good'];
/** Output kept in a log line: RAUC's answer is one short line; a failure's last words say why. */
const OUTPUT_CHARS = 300;

export interface RaucMarkGoodOptions {
  command: string[];
  log: (line: string) => void;
  /** The screen the display shows now. */
  screen: () => ScreenText;
}

export class RaucMarkGood {
  private started = false;
  private stopped = false;
  /** Resolves with the command's exit status (null: it could not run) once it finished; tests wait on it. */
  readonly done: Promise<number | null>;
  private resolveDone!: (status: number | null) => void;

  constructor(private readonly o: RaucMarkGoodOptions) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  /** After every entry into the firmware: the first time idle shows, the command runs. */
  check(): void {
    if (this.started || this.stopped) return;
    // Reading the screen may draw a frame the panel held: another entry, whose own check may start the command.
    const shown = this.o.screen().id;
    if (this.started || shown !== 'idle') return;
    this.started = true;
    this.run();
  }

  /** No more checks (the board stops); a command already running finishes and is logged. */
  stop(): void {
    this.stopped = true;
  }

  private run(): void {
    const [program, ...args] = this.o.command;
    const shown = this.o.command.join(' ');
    this.o.log(`rauc: the firmware reached idle: ${shown}`);
    let output = '';
    let finished = false;
    const finish = (status: number | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      const said = output.trim().slice(-OUTPUT_CHARS).replace(/\s*\n\s*/g, ' | ');
      if (status === 0) this.o.log(`rauc: booted slot marked good${said ? ` (${said})` : ''}`);
      else this.o.log(`rauc: mark-good failed (${error ? error.message : `exit ${status}`}${said ? `: ${said}` : ''}): the slot stays on trial and the next boot rolls back`);
      this.resolveDone(status);
    };
    try {
      const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (d: Buffer) => { output = (output + d.toString('utf8')).slice(-4 * OUTPUT_CHARS); };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', (e) => finish(null, e));
      child.once('close', (code) => finish(code));
    } catch (e) {
      finish(null, e as Error);
    }
  }
}
