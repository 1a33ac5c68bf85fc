/** `phone sim ARGS` as a developer runs it: a spawned CLI fed by its stdin. */
import { spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

export interface SimRun { code: number | null; stdout: string; stderr: string }

/** Start `phone sim ARGS`, write the lines to its stdin at once (they must queue, not race), wait for it to exit. */
export function phoneSim(args: string[], lines: string[]): Promise<SimRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'sim', ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.write(lines.map((l) => l + '\n').join(''));
  });
}
