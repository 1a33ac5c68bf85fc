/**
 * Platform figures, measured side by side in one run:
 * - cold boot to the idle screen, QuickJS vs Node, same image, same virtual devices
 *   (goal: QuickJS <= 150 ms and <= 8x Node);
 * - QuickJS runtime memory after boot, per board;
 * - many idle phones in one process: RSS per phone and phones per GiB (goal >= 500).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { createPhone, type Phone } from '../sim/phone';
import { quickJsModule } from '../sim/host/quickjs-engine';
import type { EngineKind } from '../sim/phone-api';

const BOOT_RUNS = 15;
const MANY_PHONES = Number(process.env.BENCH_PHONES ?? 200);
const MIB = 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** createPhone + boot until the idle screen shows; ms. */
async function coldBoot(board: string, engine: EngineKind): Promise<number> {
  const t0 = process.hrtime.bigint();
  const phone = await createPhone({ board, engine });
  await phone.boot();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (phone.screen().id !== 'idle') throw new Error(`${engine} ${board} did not reach idle: ${JSON.stringify(phone.screen())}`);
  phone.dispose();
  return ms;
}

async function bootTimes(board: string): Promise<void> {
  const times: Record<EngineKind, number[]> = { quickjs: [], node: [] };
  // Alternate the engines so both see the same machine state; the first boot of each is the coldest.
  for (let i = 0; i < BOOT_RUNS; i++) for (const engine of ['quickjs', 'node'] as const) times[engine].push(await coldBoot(board, engine));
  const q = median(times.quickjs);
  const n = median(times.node);
  const ratio = q / n;
  console.log(`${board}: cold boot to idle, median of ${BOOT_RUNS}: QuickJS ${q.toFixed(1)} ms, Node ${n.toFixed(1)} ms, ratio ${ratio.toFixed(1)}x` +
    ` (first boot: QuickJS ${times.quickjs[0].toFixed(1)} ms, Node ${times.node[0].toFixed(1)} ms)` +
    `  goal QuickJS <= 150 ms: ${q <= 150 ? 'met' : 'MISSED'}, <= 8x Node: ${ratio <= 8 ? 'met' : 'MISSED'}`);
}

async function manyPhones(board: string): Promise<void> {
  gc();
  const before = process.memoryUsage().rss;
  const phones: Phone[] = [];
  const t0 = Date.now();
  for (let i = 0; i < MANY_PHONES; i++) {
    const p = await createPhone({ board, mac: `0004f2${i.toString(16).padStart(6, '0')}` });
    await p.boot();
    phones.push(p);
  }
  const bootMs = Date.now() - t0;
  gc();
  await new Promise((r) => setTimeout(r, 50));
  const after = process.memoryUsage().rss;
  const perPhone = (after - before) / MANY_PHONES;
  const guest = phones.reduce((n, p) => n + p.memoryUsage(), 0) / MANY_PHONES;
  const flash = phones.reduce((n, p) => n + p.devices.flash.residentBytes(), 0) / MANY_PHONES;
  const perGiB = Math.floor(1024 * MIB / perPhone);
  console.log(`${board}: ${MANY_PHONES} idle phones in one process: RSS +${((after - before) / MIB).toFixed(0)} MiB = ${(perPhone / 1024).toFixed(0)} KiB per phone` +
    ` (QuickJS runtime ${(guest / 1024).toFixed(0)} KiB, flash ${(flash / 1024).toFixed(0)} KiB resident of it), ${perGiB} phones per GiB (goal >= 500: ${perGiB >= 500 ? 'met' : 'MISSED'});` +
    ` booted in ${bootMs} ms (${(bootMs / MANY_PHONES).toFixed(1)} ms each)`);
  for (const p of phones) p.dispose();
  gc();
}

/** RSS never shrinks back after phones are disposed (the WASM heap keeps its pages), so each board gets a fresh process. */
function manyPhonesInChild(board: string): void {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register', __filename, '--many-phones', board], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, encoding: 'utf8', cwd: path.resolve(__dirname, '..'),
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`many-phones child for ${board} failed:\n${r.stderr}`);
}

if (require.main === module && process.argv[2] === '--many-phones') {
  manyPhones(process.argv[3]).catch((e) => { console.error(e); process.exit(1); });
}

export async function bench(): Promise<void> {
  const t0 = Date.now();
  await quickJsModule();
  console.log(`QuickJS WASM module load (once per process): ${Date.now() - t0} ms`);
  for (const board of ['desk-500', 'desk-99']) await bootTimes(board);
  for (const board of ['desk-500', 'desk-99']) {
    const phone = await createPhone({ board });
    await phone.boot();
    console.log(`${board}: QuickJS runtime memory after boot: ${(phone.memoryUsage() / 1024).toFixed(0)} KiB (budget ${(phone.profile.memoryBudgetBytes / MIB).toFixed(0)} MiB)`);
    phone.dispose();
  }
  for (const board of ['desk-500', 'desk-99']) manyPhonesInChild(board);
}
