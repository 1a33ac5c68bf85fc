/**
 * `phone run` as a child process in the guest (the bundled CLI): its output kept line by line, the screen text
 * model read from the file `--screen-json` keeps up to date, and a wait for a screen.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import type { ScreenText } from '../../../hal/contract';

export interface BoardProcessOptions {
  /** The bundled phone CLI and the firmware image. */
  cli: string;
  image: string;
  board: string;
  boardFile: string;
  screenJson: string;
  engine?: 'quickjs' | 'node';
}

export class BoardProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  readonly startedAt = Date.now();
  private child: ChildProcess;
  private readonly screenJson: string;

  constructor(o: BoardProcessOptions) {
    this.screenJson = o.screenJson;
    fs.rmSync(o.screenJson, { force: true });
    const args = [o.cli, 'run', '--board', o.board, '--board-file', o.boardFile, '--image', o.image, '--screen-json', o.screenJson];
    if (o.engine) args.push('--engine', o.engine);
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    // One partial line per stream: stdout and stderr interleave by whole lines only.
    const partial = { stdout: '', stderr: '' };
    const collect = (stream: keyof typeof partial) => (chunk: Buffer): void => {
      const lines = (partial[stream] + chunk.toString('utf8')).split('\n');
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) this.output.push(line);
    };
    this.child.stdout?.on('data', collect('stdout'));
    this.child.stderr?.on('data', collect('stderr'));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => {
      for (const rest of [partial.stdout, partial.stderr]) if (rest) this.output.push(rest);
      resolve({ code, signal });
    }));
  }

  /** The latest screen the runner wrote; null before the first. */
  screen(): ScreenText | null {
    try {
      return JSON.parse(fs.readFileSync(this.screenJson, 'utf8')) as ScreenText;
    } catch {
      return null;
    }
  }

  /** Polls the screen file until `match` holds; throws with the last screen and the output's tail on timeout. */
  async waitScreen(what: string, match: (s: ScreenText) => boolean, timeoutMs: number): Promise<ScreenText> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => { exited = true; });
    for (;;) {
      const s = this.screen();
      if (s && match(s)) return s;
      if (exited || Date.now() > deadline) {
        throw new Error(`no ${what} screen after ${timeoutMs} ms${exited ? ' (the runner exited)' : ''}; last screen ${JSON.stringify(s)}; output:\n${this.output.slice(-20).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs` (by this child's PID). */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: string | null }> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}
