/**
 * Issue 17, point 2, measured: what share of a boot with a nearly full `fs`
 * is mounting the store. A desk-500 image filled as bench/store.bench.ts
 * fills it, booted in QuickJS and Node; the mount's cost is the boot with
 * that image minus the boot of a blank phone (the firmware's clock is
 * virtual: it cannot time itself). Boots on a shared machine are noisy, so
 * the store's mount is also timed alone inside a QuickJS VM (the store code
 * bundled as the firmware bundles it, the image's fs partition in VM
 * memory): the mount, CRC-32 over the whole partition, and utf8Decode of
 * every record's path and user, each the fastest of RUNS. Run:
 * `TS_NODE_TRANSPILE_ONLY=1 npx ts-node bench/mount-share.ts`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BOARDS } from '../hal/boards';
import { FileStore } from '../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../sim/devices/crypto';
import { VirtualFlash } from '../sim/devices/flash';
import { createPhone } from '../sim/phone';
import { fullImage } from './store.bench';
import type { EngineKind } from '../sim/phone-api';
import { quickJsModule } from '../sim/host/quickjs-engine';
import * as esbuild from 'esbuild';

const desk500 = BOARDS['desk-500'];
const RUNS = 5;

/** A desk-500 image whose fs the store refuses more writes to (mixed sizes, churn, appends: as bench/store.bench.ts). */
async function bootMs(engine: EngineKind, image: string | null, dir: string): Promise<number> {
  let copy: string | undefined;
  if (image) {
    copy = path.join(dir, `boot-${Math.random().toString(36).slice(2)}.img`);
    fs.copyFileSync(image, copy);
    fs.copyFileSync(image + '.keys.json', copy + '.keys.json');
  }
  const t0 = process.hrtime.bigint();
  const phone = await createPhone({ board: 'desk-500', engine, ...(copy ? { flashImage: copy } : {}) });
  await phone.boot();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (image && !phone.log().some((l) => /fs: mounted/.test(l))) throw new Error(`${engine}: fs did not mount`);
  phone.dispose();
  return ms;
}

/** The store code and probes, bundled for the VM (storage and kernel code only: no HAL needed to mount a partition in memory). */
const VM_PROBES = `
import { FileStore } from './firmware/storage/file-store';
import { crc32 } from './firmware/storage/crc32';
import { utf8Decode } from './firmware/kernel/text-codec';
import { BLOCK_HEADER_BYTES, RecordKind, decodeMeta, walkRecords } from './firmware/storage/record-format';
globalThis.probes = (bytes, blockSize, runs) => {
  const part = { name: 'fs', size: bytes.length, blockSize, progSize: 16, read: (o, l) => bytes.slice(o, o + l),
    program: () => { throw new Error('read-only'); }, erase: () => { throw new Error('read-only'); } };
  const crypto = { hasKey: () => true, sha256: () => new Uint8Array(32), destroyKey() {}, generateKey() {} };
  const texts = [];
  for (let b = 0; b < bytes.length / blockSize; b++) {
    const block = bytes.subarray(b * blockSize, (b + 1) * blockSize);
    walkRecords(block, BLOCK_HEADER_BYTES, (at, h) => { if (h.kind !== RecordKind.Commit) decodeMeta(block, at, h, (x) => { texts.push(x); return ''; }); });
  }
  const fastest = (f) => { let best = Infinity; for (let r = 0; r < runs; r++) { const t = Date.now(); f(); best = Math.min(best, Date.now() - t); } return best; };
  return JSON.stringify({
    mountMs: fastest(() => FileStore.mount(part, crypto)),
    crcMs: fastest(() => crc32(bytes, 0, bytes.length)),
    utf8Ms: fastest(() => { for (const x of texts) utf8Decode(x); }),
    texts: texts.length,
  });
};
`;

export interface VmMount { mountMs: number; crcMs: number; utf8Ms: number; texts: number }

/** The store's mount of a full image's fs partition, alone in a QuickJS VM. */
async function mountInQuickJs(image: string): Promise<VmMount> {
  const bundle = await esbuild.build({ stdin: { contents: VM_PROBES, resolveDir: path.resolve(__dirname, '..'), loader: 'ts' }, bundle: true, format: 'iife', target: 'es2020', write: false, logLevel: 'silent' });
  const { blockSize, partitions } = desk500.flash;
  let base = 0;
  for (const p of partitions) {
    if (p.name === 'fs') break;
    base += p.size;
  }
  const size = partitions.find((p) => p.name === 'fs')!.size;
  const vm = (await quickJsModule()).newContext();
  try {
    vm.unwrapResult(vm.evalCode(bundle.outputFiles[0].text)).dispose();
    const hex = fs.readFileSync(image).subarray(base, base + size).toString('hex');
    const result = vm.unwrapResult(vm.evalCode(`(() => { const h = ${JSON.stringify(hex)}; const b = new Uint8Array(h.length / 2);
      for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16); return probes(b, ${blockSize}, ${RUNS}); })()`));
    const out = JSON.parse(vm.getString(result)) as VmMount;
    result.dispose();
    return out;
  } finally {
    vm.dispose();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureMountShare(): Promise<{ boots: Record<EngineKind, { bootMs: number; mountMs: number; hostMountMs: number }>; vm: VmMount }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mount-share-'));
  try {
    const image = fullImage(dir).file;
    const bytes = fs.readFileSync(image);
    const crypto = new NodeCryptoEngine(Keystore.load(image + '.keys.json'));
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < RUNS; r++) FileStore.mount(new VirtualFlash(desk500.flash, bytes).open('fs'), crypto);
    const hostMountMs = Number(process.hrtime.bigint() - t0) / 1e6 / RUNS;
    const vm = await mountInQuickJs(image);
    const out = {} as Record<EngineKind, { bootMs: number; mountMs: number; hostMountMs: number }>;
    for (const engine of ['quickjs', 'node'] as const) {
      const full: number[] = [];
      const blank: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        full.push(await bootMs(engine, image, dir));
        blank.push(await bootMs(engine, null, dir));
      }
      out[engine] = { bootMs: median(full), mountMs: median(full) - median(blank), hostMountMs };
    }
    return { boots: out, vm };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  measureMountShare().then(({ boots, vm }) => {
    console.log(`store mount alone in QuickJS (fastest of ${RUNS}): ${vm.mountMs} ms; CRC-32 over the whole 1 MiB partition ${vm.crcMs} ms; utf8Decode of ${vm.texts} paths and users ${vm.utf8Ms} ms`);
    for (const [engine, m] of Object.entries(boots)) {
      console.log(`${engine}: boot with a full fs ${m.bootMs.toFixed(0)} ms, of which fs mount ≈ ${m.mountMs.toFixed(0)} ms (full minus blank boot) (${(100 * m.mountMs / m.bootMs).toFixed(0)}%); store mounted directly on the host ${m.hostMountMs.toFixed(1)} ms`);
    }
  }).catch((e) => { console.error(e); process.exit(1); });
}
