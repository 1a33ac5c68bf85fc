/**
 * `npm run bench -- sim-reload`: the time from a saved firmware change to the
 * phone rebooted on the new build at its idle screen, with `phone sim --watch
 * --web` as a developer runs it. Each round appends a statement that changes
 * the code to firmware/main.ts (the file is restored afterwards, also on Ctrl-C)
 * and polls the browser UI's /api/state until the new build runs and the idle
 * screen shows. Includes the watcher's 80 ms quiet time and 20 ms polling.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SOURCE = path.join(ROOT, 'firmware', 'main.ts');
const ROUNDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface State { state: string; screen: { id: string }; build: { hash: string } | null }

export async function bench(): Promise<void> {
  const original = fs.readFileSync(SOURCE, 'utf8');
  const restore = () => fs.writeFileSync(SOURCE, original);
  const onSignal = () => { restore(); process.exit(130); };
  process.once('SIGINT', onSignal);
  const sim = spawn(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'sim', '--watch', '--web', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let url = '';
    sim.stdout.on('data', (d: Buffer) => {
      const m = /browser UI at (\S+)/.exec(String(d));
      if (m) url = m[1];
    });
    for (let i = 0; !url; i++) {
      if (i > 1200) throw new Error('phone sim did not start within 60 s');
      await sleep(50);
    }
    const state = async () => (await (await fetch(`${url}api/state`)).json()) as State;
    while ((await state()).screen.id !== 'idle') await sleep(50);
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const oldHash = (await state()).build?.hash;
      await sleep(1500); // the phone settles after its boot
      const t0 = performance.now();
      fs.writeFileSync(SOURCE, `${original}\n(globalThis as { reloadMark?: number }).reloadMark = ${Date.now()};\n`);
      for (;;) {
        const s = await state();
        if (s.build?.hash !== oldHash && s.state === 'running' && s.screen.id === 'idle') break;
        if (performance.now() - t0 > 60_000) throw new Error('no reload within 60 s');
        await sleep(20);
      }
      times.push(Math.round(performance.now() - t0));
    }
    // Back to the source as it was, and wait for that build: dist/firmware.js is left as `phone build` makes it.
    const markedHash = (await state()).build?.hash;
    restore();
    for (const t0 = performance.now(); (await state()).build?.hash === markedHash && performance.now() - t0 < 30_000;) await sleep(50);
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`saved firmware change → rebooted on the new build at idle: ${times.join(', ')} ms (median ${sorted[Math.floor(sorted.length / 2)]} ms)`);
  } finally {
    restore();
    process.off('SIGINT', onSignal);
    sim.kill('SIGINT');
    await new Promise((r) => sim.once('exit', r));
  }
}
