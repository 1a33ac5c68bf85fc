/**
 * `phone reset-matrix`: every reset variant on a fresh copy of a phone
 * seeded with canaries (canaries.ts). Each variant is requested through the
 * firmware's one entry point (ResetService: intent committed to nvram), the
 * real image then boots in the simulator and finishes it, and the raw flash
 * is scanned for every canary, as are the files still readable with the keys
 * left in the crypto device. Expected = the plan derived from the
 * declarations (docs/reset.md); any difference is a mismatch.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import junitReportBuilder from 'junit-report-builder';
import { boardProfile } from '../../hal/boards';
import type { DataClassDeclaration } from '../../firmware/kernel/declaration';
import { planReset } from '../../firmware/reset/reset-plan';
import { ResetService } from '../../firmware/reset/reset-service';
import { RESET_VARIANTS, type ResetVariantInfo } from '../../firmware/reset/reset-variants';
import { DeviceSettings } from '../../firmware/settings/device-settings';
import { FileStore } from '../../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../devices/crypto';
import { VirtualFlash } from '../devices/flash';
import { findRawStrings } from '../forensics/scan';
import { bootInProcess } from '../host/in-process-firmware';
import { createPhone } from '../phone';
import { CANARY_USER, seedCanaries, type Canary, type SeededPhone } from './canaries';

export interface CanaryResult {
  what: string;
  cls: string;
  owner: string;
  kind: Canary['kind'];
  expected: 'erased' | 'kept';
  found: boolean;
  /** Where it was found: 'raw <partition> block N' or 'readable <path>' or 'key in crypto device'. */
  where: string[];
  ok: boolean;
}

export interface VariantResult {
  variant: string;
  label: string;
  /** Flash operations of the reset as the firmware counted them (the audit line). */
  resetProgramOps: number;
  resetEraseOps: number;
  /** Flash operations of the whole boot that finished it, and its wall time in this engine. */
  bootFlashOps: number;
  bootMs: number;
  /** bootMs minus that of booting the resulting flash again (same data, no reset): the time the reset stage took. */
  resetMs: number;
  canaries: CanaryResult[];
  mismatches: number;
}

export interface MatrixResult {
  board: string;
  engine: string;
  /** A boot of the seeded phone without any reset: the baseline for bootMs and bootFlashOps. */
  baseline: { bootMs: number; bootFlashOps: number };
  variants: VariantResult[];
  mismatches: number;
}

export function declaredClasses(): DataClassDeclaration[] {
  return bootInProcess({ board: 'desk-500' }).booted.kernel.modules.dataClasses();
}

export async function runResetMatrix(o: { board: string; engine?: 'quickjs' | 'node'; variants?: string[]; timing?: boolean; repeat?: number }): Promise<MatrixResult> {
  const profile = boardProfile(o.board);
  const declared = declaredClasses();
  const seeded = seedCanaries(profile, declared);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'reset-matrix-'));
  try {
    // Twice: the first boot in a process also warms the engine up; the faster one is the baseline.
    const first = await bootCopy(seeded, null, scratch, o.engine ?? 'quickjs');
    const second = o.timing === false ? first : await bootCopy(seeded, null, scratch, o.engine ?? 'quickjs');
    const baseline = first.ms < second.ms ? first : second;
    const variants: VariantResult[] = [];
    for (const v of RESET_VARIANTS) {
      if (o.variants && !o.variants.includes(v.id)) continue;
      const run = await bootCopy(seeded, v, scratch, o.engine ?? 'quickjs');
      // The same phone booted again: same data after the reset stage, no reset; the difference is the reset's time.
      // Repeated, the fastest of each: other processes on the machine only ever add time.
      let again = o.timing === false ? null : await bootCopy({ ...seeded, image: run.image, keystore: run.keystore }, null, scratch, o.engine ?? 'quickjs');
      for (let i = 1; again && i < (o.repeat ?? 1); i++) {
        run.ms = Math.min(run.ms, (await bootCopy(seeded, v, scratch, o.engine ?? 'quickjs')).ms);
        again.ms = Math.min(again.ms, (await bootCopy({ ...seeded, image: run.image, keystore: run.keystore }, null, scratch, o.engine ?? 'quickjs')).ms);
      }
      const plan = planReset(v.id, declared, v.perUser ? CANARY_USER : undefined);
      const canaries = seeded.canaries.map((c) => judge(c, v, plan, run.image, run.keystore, seeded));
      const cost = /reset: .* done .*; (\d+) program \+ (\d+) erase operations/.exec(run.log.find((l) => /reset: .* done/.test(l)) ?? '');
      if (!cost) throw new Error(`${v.label}: the phone did not report the reset done; log tail:\n${run.log.slice(-15).join('\n')}`);
      variants.push({
        variant: v.id, label: v.label, resetProgramOps: Number(cost[1]), resetEraseOps: Number(cost[2]),
        bootFlashOps: run.flashOps, bootMs: run.ms, resetMs: again ? Math.max(0, run.ms - again.ms) : 0, canaries, mismatches: canaries.filter((c) => !c.ok).length,
      });
    }
    return { board: o.board, engine: o.engine ?? 'quickjs', baseline: { bootMs: baseline.ms, bootFlashOps: baseline.flashOps }, variants, mismatches: variants.reduce((n, v) => n + v.mismatches, 0) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Request `variant` on a copy of the seeded phone (the firmware's entry point), boot the image, return the flash and keys after. */
async function bootCopy(seeded: SeededPhone, variant: ResetVariantInfo | null, scratch: string, engine: 'quickjs' | 'node') {
  const file = path.join(scratch, `${variant?.id ?? 'baseline'}.img`);
  const flash = VirtualFlash.fromImage(seeded.profile.flash, seeded.image);
  const keysFile = path.join(scratch, 'seed.keys.json');
  seeded.keystore.save(keysFile);
  if (variant) {
    const nvram = FileStore.mount(flash.open('nvram'), new NodeCryptoEngine(Keystore.load(keysFile)));
    const settings = new DeviceSettings(nvram, () => {});
    const service = new ResetService({
      nvram, setting: (n) => settings.get(n), now: () => Date.now(), log: silentLog,
      currentUser: () => (variant.perUser ? CANARY_USER : null), clearServer: (_u, done) => done([]), reboot: () => {},
    });
    service.request(variant.id, 'phone reset-matrix');
  }
  fs.writeFileSync(file, flash.image());
  fs.copyFileSync(keysFile, file + '.keys.json');
  const phone = await createPhone({ board: seeded.profile.profile, engine, flashImage: file, provisioningDir: null });
  try {
    const before = phone.devices.flash.operationCount();
    const started = process.hrtime.bigint();
    await phone.boot();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { image: phone.dumpFlash(), keystore: phone.devices.crypto.keystore, log: phone.log(), ms: Math.round(ms), flashOps: phone.devices.flash.operationCount() - before };
  } finally {
    phone.dispose();
  }
}

const silentLog = { debug() {}, info() {}, notice() {}, warning() {}, error() {}, fatal() {} } as never;

export function judge(c: Canary, v: ResetVariantInfo, plan: ReturnType<typeof planReset>, image: Uint8Array, keystore: Keystore, seeded: SeededPhone): CanaryResult {
  const erase = plan.erases.find((e) => e.cls === c.cls);
  let removed = plan.formats.includes(c.partition as never) || (!!erase && (erase.user === undefined || erase.user === c.owner));
  if (c.setting && v.keepsSettings.includes(c.setting)) removed = false;
  const where: string[] = [];
  if (c.kind === 'key') {
    // The same key material: a module may create a fresh key of the class after the reset, which decrypts nothing old.
    const now = keystore.get(c.text);
    const then = seeded.keystore.get(c.text);
    if (now && then && now.equals(then)) where.push('key in crypto device');
  } else {
    for (const h of findRawStrings(image, [c.text], seeded.profile.flash)) where.push(`raw ${h.partition} block ${h.block} (${h.encoding})`);
    for (const p of readableFiles(image, keystore, seeded, c.partition)) if (p.text.includes(c.text)) where.push(`readable ${c.partition}:${p.path}`);
  }
  const found = where.length > 0;
  return { what: c.what, cls: c.cls, owner: c.owner, kind: c.kind, expected: removed ? 'erased' : 'kept', found, where, ok: found !== removed };
}

const readableCache = new WeakMap<Uint8Array, Map<string, { path: string; text: string }[]>>();

/** Every file of a partition that can still be read with the keys left (a copy is mounted: mounting may finish work). */
function readableFiles(image: Uint8Array, keystore: Keystore, seeded: SeededPhone, partition: string): { path: string; text: string }[] {
  let byPartition = readableCache.get(image);
  if (!byPartition) readableCache.set(image, (byPartition = new Map()));
  const cached = byPartition.get(partition);
  if (cached) return cached;
  const copy = VirtualFlash.fromImage(seeded.profile.flash, image);
  const ks = new Keystore();
  for (const n of keystore.names()) ks.set(n, Buffer.from(keystore.get(n)!));
  const store = FileStore.mount(copy.open(partition), new NodeCryptoEngine(ks));
  const out: { path: string; text: string }[] = [];
  for (const f of store.list()) {
    try {
      out.push({ path: f.path, text: new TextDecoder().decode(store.read(f.path) ?? new Uint8Array(0)) });
    } catch {
      // Sealed under a destroyed key: unreadable, which is the point of a crypto-erase.
    }
  }
  byPartition.set(partition, out);
  return out;
}

/** The matrix as text: one row per variant, one column per class (its canaries: E erased / K kept, ! on a mismatch). */
export function renderMatrix(r: MatrixResult): string {
  const columns = [...new Set(r.variants[0]?.canaries.map((c) => c.cls) ?? [])];
  const cell = (v: VariantResult, cls: string) => v.canaries.filter((c) => c.cls === cls).map((c) => `${c.found ? 'K' : 'E'}${c.ok ? '' : '!'}`).join('');
  const width = Math.max(...r.variants.map((v) => v.label.length), 8);
  const lines = [
    `reset matrix, board ${r.board} (${r.engine}); cells: one letter per canary of the class, found E(rased) / K(ept), ! = differs from docs/reset.md`,
    `${'variant'.padEnd(width)}  ${columns.join('  ')}  | reset ops (program+erase), ms added to the boot`,
  ];
  for (const v of r.variants) {
    lines.push(`${v.label.padEnd(width)}  ${columns.map((c) => cell(v, c).padEnd(c.length)).join('  ')}  | ${v.resetProgramOps}+${v.resetEraseOps}, ${v.resetMs} ms (boot ${v.bootMs} ms)`);
  }
  lines.push(`baseline boot without reset: ${r.baseline.bootMs} ms, ${r.baseline.bootFlashOps} flash operations`);
  for (const v of r.variants) for (const c of v.canaries) if (!c.ok) lines.push(`MISMATCH ${v.label}: ${c.what} expected ${c.expected}, ${c.found ? `found: ${c.where.join('; ')}` : 'not found'}`);
  lines.push(r.mismatches === 0 ? 'no mismatches' : `${r.mismatches} mismatches`);
  return lines.join('\n');
}

export function writeMatrixJUnit(r: MatrixResult, file: string): void {
  const builder = junitReportBuilder.newBuilder();
  for (const v of r.variants) {
    const suite = builder.testSuite().name(`reset-matrix ${r.board} ${v.label}`).property('board', r.board).property('variant', v.variant);
    for (const c of v.canaries) {
      const tc = suite.testCase().className(`reset-matrix.${r.board}.${v.variant}`).name(`${c.what}: expected ${c.expected}`);
      if (!c.ok) tc.failure(`${c.what}: expected ${c.expected}, ${c.found ? `found: ${c.where.join('; ')}` : 'not found'}`);
    }
  }
  builder.writeTo(file);
}
