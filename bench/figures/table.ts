/**
 * The figures of issue 17's table, each measured as the table defines it,
 * QuickJS and Node side by side in one run. Groups can be run alone
 * (`npm run bench -- --figures boot,days30`) to spare a shared machine.
 */
import { quickJsModule } from '../../sim/host/quickjs-engine';
import type { Figure } from '../figure-results';
import { bootTimes, heapPeakOfBoot } from './boot';
import { keystrokeTimes } from './directory-keystroke';
import { flashPerCall } from './flash-per-call';
import { fullDataImage, type FullDataImage } from './full-data-source';
import { officeMonth } from './office-month';
import { parseCost } from './parse';
import { phonesPerGiB } from './phones-per-gib';
import { PHONES_PER_SHARED_VM } from '../../sim/host/shared-quickjs-vm';

const MIB = 1024 * 1024;
const BLANK_BOOTS = Number(process.env.BENCH_BLANK_BOOTS ?? 11);
const FULL_BOOTS = Number(process.env.BENCH_FULL_BOOTS ?? 7);
const FLEET_PHONES = Number(process.env.BENCH_PHONES ?? 200);
const MONTH_DAYS = Number(process.env.BENCH_DAYS ?? 30);

export const GROUPS = ['boot', 'heap', 'keystroke', 'flash', 'days30', 'fleet'] as const;
export type Group = (typeof GROUPS)[number];

type Measure = (data: () => Promise<FullDataImage>) => Promise<Figure[]>;

const ratio = (q: number, n: number) => `QuickJS/Node ${(q / n).toFixed(1)}x`;

const MEASURES: Record<Group, Measure> = {
  async boot(data) {
    const blank = await bootTimes({ board: 'desk-500' }, BLANK_BOOTS);
    const parse = await parseCost();
    const image = await data();
    const full = await bootTimes({ board: 'desk-500', flashImage: image.flashImage, provisioningDir: null }, FULL_BOOTS);
    const how = `desk-500, ${image.describe}, median of ${FULL_BOOTS}`;
    return [
      { id: 'boot.fullData.quickjs.ms', value: full.quickjs, unit: 'ms', goal: { op: '<=', bound: 150 }, note: how },
      { id: 'boot.fullData.node.ms', value: full.node, unit: 'ms', goal: null, note: 'same image and flash under Node' },
      { id: 'boot.fullData.quickjsFromText.ms', value: full.quickjsFromText, unit: 'ms', goal: null, note: 'QuickJS parsing the image text at boot (before bytecode), same run' },
      { id: 'boot.fullData.ratio', value: full.ratio, unit: 'x', goal: { op: '<=', bound: 8 }, note: 'QuickJS/Node, full data' },
      { id: 'boot.blank.quickjs.ms', value: blank.quickjs, unit: 'ms', goal: null, note: `desk-500 blank flash, built-in provisioning folder, median of ${BLANK_BOOTS}` },
      { id: 'boot.blank.node.ms', value: blank.node, unit: 'ms', goal: null },
      { id: 'boot.blank.quickjsFromText.ms', value: blank.quickjsFromText, unit: 'ms', goal: null,
        note: `QuickJS parsing the image text at boot (before bytecode), same run: ratio ${(blank.quickjsFromText / blank.node).toFixed(1)}x` },
      { id: 'boot.blank.ratio', value: blank.ratio, unit: 'x', goal: { op: '<=', bound: 4 }, note: 'QuickJS/Node, blank' },
      { id: 'boot.parse.quickjs.ms', value: parse.quickjsMs, unit: 'ms', goal: null,
        note: `compile-only of the ${(parse.imageBytes / 1024).toFixed(0)} KiB image text in a fresh runtime (no longer paid per boot: phones read bytecode); holds ${(parse.heldBytes / 1024).toFixed(0)} KiB` },
      { id: 'boot.parse.node.ms', value: parse.nodeMs, unit: 'ms', goal: null, note: 'vm.Script of the same text' },
      { id: 'boot.image.fromText.ms', value: parse.textEvalMs, unit: 'ms', goal: null,
        note: `image evaluated from its text (parse + top level), fresh runtime; leaves ${(parse.textEvalHeldBytes / 1024).toFixed(0)} KiB held` },
      { id: 'boot.image.fromBytecode.ms', value: parse.bytecodeEvalMs, unit: 'ms', goal: null,
        note: `image evaluated from bytecode (read + top level, source text stripped); leaves ${(parse.bytecodeEvalHeldBytes / 1024).toFixed(0)} KiB held` },
      { id: 'boot.image.heldSaved.bytes', value: parse.textEvalHeldBytes - parse.bytecodeEvalHeldBytes, unit: 'bytes', goal: null, note: 'heap per phone saved by the bytecode (text eval held - bytecode eval held)' },
      { id: 'boot.image.compileToBytecode.ms', value: parse.compileToBytecodeMs, unit: 'ms', goal: null,
        note: `once per image per process: ${(parse.bytecodeBytes / 1024).toFixed(0)} KiB of bytecode` },
    ];
  },
  async heap(data) {
    const image = await data();
    const boot = await heapPeakOfBoot({ board: 'desk-500', flashImage: image.flashImage, provisioningDir: null });
    // The merge: a blank phone provisioned from the same folder downloads both files and merges them.
    const merge = image.provisioningDir ? await heapPeakOfBoot({ board: 'desk-500', provisioningDir: image.provisioningDir }, 5000) : null;
    const faults = [...boot.faults, ...(merge?.faults ?? [])];
    const figures: Figure[] = [
      { id: 'heap.fullData.peak.bytes', value: Math.max(boot.bytes, merge?.bytes ?? 0), unit: 'bytes', incomplete: faults.length > 0, goal: { op: '<=', bound: 4 * MIB },
        note: `QuickJS heap peak sampled at every interrupt poll: boot ${(boot.bytes / MIB).toFixed(2)} MiB, download+merge ${merge ? (merge.bytes / MIB).toFixed(2) + ' MiB' : 'not measured (the builder gives no folder)'}` +
          (faults.length > 0 ? `; stopped by the firmware's budget: ${[...new Set(faults)].join('; ')}` : '') },
      { id: 'heap.fullData.allocatorPeak.bytes', value: Math.max(boot.allocatorBytes, merge?.allocatorBytes ?? 0), unit: 'bytes', goal: null,
        note: `the same runs, the most QuickJS's allocator held at once, kept by the allocator (exact; each block's usable size and header): boot ${(boot.allocatorBytes / MIB).toFixed(2)} MiB, download+merge ${merge ? (merge.allocatorBytes / MIB).toFixed(2) + ' MiB' : 'not measured'}` },
    ];
    return figures;
  },
  async keystroke(data) {
    const image = await data();
    const q = await keystrokeTimes('quickjs', image.flashImage);
    const n = await keystrokeTimes('node', image.flashImage);
    return [
      { id: 'directory.keystroke.worst.ms', value: q.worst, unit: 'ms', goal: { op: '<=', bound: 50 },
        note: `${q.count} keystrokes in ${q.shown}, QuickJS median ${q.median.toFixed(1)} ms; ${ratio(q.median, n.median)} (median)` },
      { id: 'directory.keystroke.node.worst.ms', value: n.worst, unit: 'ms', goal: null },
    ];
  },
  async flash() {
    const r = await flashPerCall();
    const worst = Math.max(...Object.values(r.ratios));
    return [{ id: 'flash.perCall.maxRatio', value: worst, unit: 'x', goal: { op: '<=', bound: 2 },
      note: `flash bytes per call / entry bytes, worst of ${Object.entries(r.ratios).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')} (${r.source})` }];
  },
  async days30() {
    const q = await officeMonth('quickjs', MONTH_DAYS);
    const n = await officeMonth('node', MONTH_DAYS);
    return [
      { id: 'days30.quickjs.s', value: q.wallSeconds, unit: 's', goal: { op: '<=', bound: 10 },
        note: `${MONTH_DAYS} virtual days, ${q.calls} calls, ${q.talkMinutes.toFixed(0)} min talk, hourly polls, ${(q.uploadedLogBytes / 1024).toFixed(0)} KiB logs uploaded; ${ratio(q.wallSeconds, n.wallSeconds)}` },
      { id: 'days30.node.s', value: n.wallSeconds, unit: 's', goal: null },
    ];
  },
  async fleet(data) {
    const blank = phonesPerGiB(FLEET_PHONES, true);
    const own = phonesPerGiB(FLEET_PHONES, false);
    const image = await data();
    const full = phonesPerGiB(Math.max(20, Math.floor(FLEET_PHONES / 4)), true, image.flashImage);
    const each = (f: { bytesPerPhone: number }) => `RSS +${(f.bytesPerPhone / 1024).toFixed(0)} KiB each`;
    return [
      { id: 'phones.perGiB.desk500', value: blank.perGiB, unit: 'phones', goal: { op: '>=', bound: 1000 },
        note: `${blank.phones} idle blank desk-500 phones in one process sharing code (sharedCode: one runtime per ${PHONES_PER_SHARED_VM} phones), ${each(blank)}` },
      { id: 'phones.perGiB.desk500.ownRuntime', value: own.perGiB, unit: 'phones', goal: null,
        note: `the same phones, each with its own QuickJS runtime and copy of the image, ${each(own)}` },
      { id: 'phones.perGiB.desk500.fullData', value: full.perGiB, unit: 'phones', goal: null,
        note: `${full.phones} idle full-data phones sharing code, ${each(full)}` },
    ];
  },
};

/** Measures the groups asked for (all by default); the full-data image is built once and shared. */
export async function measureTable(groups: readonly Group[] = GROUPS, log: (line: string) => void = console.log): Promise<Figure[]> {
  await quickJsModule();
  let image: Promise<FullDataImage> | null = null;
  const data = () => (image ??= fullDataImage('desk-500'));
  const figures: Figure[] = [];
  try {
    for (const g of groups) {
      const t0 = Date.now();
      try {
        figures.push(...(await MEASURES[g](data)));
      } catch (e) {
        // A figure that cannot be measured is reported as such (NaN never meets its goal), the others still run.
        log(`${g}: could not be measured: ${(e as Error).message}`);
        figures.push({ id: `${g}.error`, value: NaN, unit: '', goal: { op: '<=', bound: 0 }, note: String((e as Error).message).slice(0, 200) });
      }
      log(`(${g}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    if (image) (await (image as Promise<FullDataImage>).catch(() => null))?.dispose();
  }
  return figures;
}
