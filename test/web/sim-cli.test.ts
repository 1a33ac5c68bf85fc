/**
 * `phone sim` as a user runs it (child process of bin/phone.js): a flash
 * image that does not fit the board is refused with a clear message and exit
 * code 1, and left untouched; Ctrl-C saves the flash; `--web` prints the URL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { guardedBefore } from '../helpers/guarded-setup';
import { boardProfile } from '../../hal/boards';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'phone.js');
const DESK500_FLASH_BYTES = boardProfile('desk-500').flash.partitions.reduce((sum, p) => sum + p.size, 0);

interface Run { code: number | null; stdout: string; stderr: string }

/** A running `phone sim` with its output so far. */
class SimProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Run>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'sim', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    this.child.stdout.on('data', (d) => (this.stdout += d));
    this.child.stderr.on('data', (d) => (this.stderr += d));
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 90_000);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout: this.stdout, stderr: this.stderr });
    }));
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const start = Date.now();
    for (;;) {
      const m = pattern.exec(this.stdout);
      if (m) return m;
      if (this.child.exitCode !== null || Date.now() - start > timeoutMs) {
        throw new Error(`no ${pattern} in output (exit ${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const test = suite<{ dir: string }>('phone sim CLI');

guardedBefore(test, (ctx) => {
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-sim-cli-'));
});

test.after(({ dir }) => {
  fs.rmSync(dir, { recursive: true, force: true });
});

// Each CLI start costs seconds (ts-node): the refusal cases run side by side, each checked on its own.
test('bad flash images are refused with a clear message and exit 1, files untouched', async ({ dir }) => {
  const file = (name: string, bytes: Buffer | null) => {
    const p = path.join(dir, name);
    if (bytes) fs.writeFileSync(p, bytes);
    else fs.mkdirSync(p);
    return p;
  };
  const corrupt = file('corrupt.img', Buffer.alloc(12_345, 0xa5));
  const empty = file('empty.img', Buffer.alloc(0));
  const folder = file('folder.img', null);
  const desk99 = file('desk99.img', Buffer.alloc(boardProfile('desk-99').flash.partitions.reduce((sum, p) => sum + p.size, 0), 0xff));
  const keys = file('keys.img', Buffer.alloc(DESK500_FLASH_BYTES, 0xff));
  fs.writeFileSync(keys + '.keys.json', '{garbage');
  const runs = await Promise.all([
    ['--flash', corrupt], ['--flash', empty], ['--flash', folder], ['--board', 'desk-500', '--flash', desk99], ['--flash', keys],
  ].map((args) => new SimProcess(args).exited));
  const [corruptRun, emptyRun, folderRun, desk99Run, keysRun] = runs;
  for (const run of runs) {
    assert.is(run.code, 1, run.stderr);
    assert.not.match(run.stderr, /\n\s+at /, 'a message, not a stack trace');
    assert.match(run.stderr, /Nothing was changed/);
  }

  // Wrong size (truncated or foreign file): refused, and left as it was.
  assert.match(corruptRun.stderr, new RegExp(`refusing flash image .*corrupt\\.img: flash image is 12345 bytes, but this board's flash is ${DESK500_FLASH_BYTES} bytes`));
  assert.ok(fs.readFileSync(corrupt).equals(Buffer.alloc(12_345, 0xa5)), 'the refused file is left as it was');
  assert.match(emptyRun.stderr, /refusing flash image .*empty\.img: flash image is 0 bytes/);
  assert.match(folderRun.stderr, /cannot read flash image .*folder\.img/);
  // An image of the other board.
  assert.match(desk99Run.stderr, /refusing flash image .*desk99\.img.*\(board desk-500\)/);
  // A corrupt keystore side file: the file is named and kept.
  assert.match(keysRun.stderr, /cannot start the phone from .*keys\.img \(side files .*keys\.img\.keys\.json/);
  assert.is(fs.readFileSync(keys + '.keys.json', 'utf8'), '{garbage');
});

test('headless: screen text on stdout, stdin commands, Ctrl-C saves the flash; the saved image boots again', async ({ dir }) => {
  const image = path.join(dir, 'phone.img');
  const sim = new SimProcess(['--flash', image]);
  await sim.waitFor(/running headless/);
  assert.match(sim.stdout, /── screen idle/);
  sim.child.stdin.write('press soft4\n');
  await sim.waitFor(/── screen menu/);
  sim.child.kill('SIGINT');
  const run = await sim.exited;
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /flash saved to .*phone\.img/);
  assert.is(fs.statSync(image).size, DESK500_FLASH_BYTES);

  const again = new SimProcess(['--flash', image]);
  await again.waitFor(/boot #2/);
  again.child.stdin.write('quit\n');
  assert.is((await again.exited).code, 0);
});

test('--web --port 0 prints the URL of a live browser UI; Ctrl-C stops it', async () => {
  const sim = new SimProcess(['--web', '--port', '0']);
  const [, url] = await sim.waitFor(/browser UI at (http:\/\/127\.0\.0\.1:\d+\/)/);
  const state = (await (await fetch(new URL('/api/state', url))).json()) as { board: { id: string }; state: string };
  assert.is(state.board.id, 'desk-500');
  assert.is(state.state, 'running');
  sim.child.kill('SIGINT');
  assert.is((await sim.exited).code, 0);
});

test.run();
