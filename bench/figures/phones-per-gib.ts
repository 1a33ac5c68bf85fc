/**
 * Idle desk-500 phones per GiB of host memory in one process: RSS growth
 * over N booted idle phones, in a fresh child process (RSS never shrinks back
 * after phones are disposed: the WASM heap keeps its pages). Phones either
 * share code (one QuickJS runtime per 128 phones, one copy of the image:
 * PhoneOptions.sharedCode) or each have their own runtime.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { createPhone, type Phone } from '../../sim/phone';

const GIB = 1024 * 1024 * 1024;
/** An idle panel rests (deflates its pixels) after 0.5–1 s unseen (sim/devices/display.ts): measure idle phones in that steady state. */
const SETTLE_MS = 1500;

/** Resident bytes of this process: the kernel's exact sum where there is one (Linux), else Node's figure. */
function residentBytes(): number {
  try {
    const kib = /^Rss:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/smaps_rollup', 'utf8'));
    if (kib) return Number(kib[1]) * 1024;
  } catch {
    // Not Linux, or no smaps_rollup (kernels before 4.14).
  }
  return process.memoryUsage().rss;
}

export interface Fleet { phones: number; bytesPerPhone: number; perGiB: number }

async function measureHere(phones: number, sharedCode: boolean, flashImage: string | undefined): Promise<Fleet> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  // Once per process, not per phone: the module, and the image compiled to bytecode (a first boot does it).
  // The warm-up phone leaves alone, so the measured phones pay for their shared runtimes' copies of the code.
  const warm = await createPhone({ board: 'desk-500', provisioningDir: null, flashImage, sharedCode });
  await warm.boot();
  warm.dispose();
  gc();
  const before = residentBytes();
  const kept: Phone[] = [];
  for (let i = 0; i < phones; i++) {
    const p = await createPhone({ board: 'desk-500', mac: `0004f2${i.toString(16).padStart(6, '0')}`, flashImage, provisioningDir: flashImage ? null : undefined, sharedCode });
    await p.boot();
    if (p.screen().id !== 'idle') throw new Error(`phone ${i} did not reach idle`);
    kept.push(p);
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  gc();
  const bytesPerPhone = (residentBytes() - before) / phones;
  for (const p of kept) p.dispose();
  return { phones, bytesPerPhone, perGiB: Math.floor(GIB / bytesPerPhone) };
}

/** Boots `phones` idle phones (blank, or all from `flashImage`) in a child process and reports its RSS growth. */
export function phonesPerGiB(phones: number, sharedCode: boolean, flashImage?: string): Fleet {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register', __filename, '--fleet', String(phones), sharedCode ? 'shared' : 'own', flashImage ?? ''], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..'),
  });
  if (r.status !== 0) throw new Error(`fleet child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Fleet;
}

if (require.main === module && process.argv[2] === '--fleet') {
  measureHere(Number(process.argv[3]), process.argv[4] === 'shared', process.argv[5] || undefined)
    .then((f) => console.log(JSON.stringify(f)))
    .catch((e) => { console.error(e); process.exit(1); });
}
