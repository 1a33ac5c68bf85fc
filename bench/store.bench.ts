/**
 * Flash store figures, measured side by side in one run:
 * - flash bytes programmed per recorded call-list entry / the entry's payload
 *   bytes, for three ways of recording (one record per entry; a ring of
 *   slots; appends to one list file), next to a baseline that rewrites the whole XML call list per
 *   change as a file-based phone does (goal: <= 2.0, and >= 10x fewer bytes
 *   than the baseline);
 * - mount time of a full 1 MiB `fs` partition: boot of a desk-500 phone on a
 *   full image minus boot on an empty one, QuickJS vs Node (and the store
 *   mounted directly on the host for reference);
 * - the cost of a class erase in flash operations, and of a re-key (delete
 *   is erase: bench/delete-erase.bench.ts measures it on a phone);
 * - erase spread: max/min block erase counts after a long workload.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BOARDS } from '../hal/boards';
import { FileStore } from '../firmware/storage/file-store';
import { StorageFullError } from '../firmware/storage/errors';
import { Keystore, NodeCryptoEngine } from '../sim/devices/crypto';
import { VirtualFlash } from '../sim/devices/flash';
import { createPhone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';

const desk500 = BOARDS['desk-500'];
const LIST_CAP = 100;
const ENTRIES = 3000;

function callEntry(i: number): string {
  const t = new Date(Date.UTC(2026, 0, 1) + i * 137_000).toISOString();
  return `<call><disposition>${['Missed', 'Received', 'Placed'][i % 3]}</disposition><startTime>${t}</startTime><duration>PT${i % 600}S</duration>` +
    `<parties><party role="remote"><address>sip:+4930${(1000000 + i).toString()}@example.com</address><name>Caller ${i}</name></party></parties></call>`;
}

function freshStore(): { flash: VirtualFlash; store: FileStore } {
  const flash = new VirtualFlash(desk500.flash);
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(new Keystore()));
  // Realistic neighbours: cached config and a local directory, never rewritten here.
  for (let i = 0; i < 20; i++) store.write(`cfg/site${i}.cfg`, new Uint8Array(6000).fill(0x41 + (i % 26)), { cls: 'config' });
  store.write('dir/local.xml', new Uint8Array(40000).fill(0x42), { cls: 'directory' });
  return { flash, store };
}

/** Programmed bytes spent by `record` for ENTRIES entries, and the payload bytes recorded. */
function measure(record: (store: FileStore, i: number, entry: Uint8Array) => void): { programmed: number; payload: number } {
  const { store } = freshStore();
  const before = store.stats().programBytes;
  let payload = 0;
  for (let i = 0; i < ENTRIES; i++) {
    const entry = new Uint8Array(Buffer.from(callEntry(i)));
    payload += entry.length;
    record(store, i, entry);
  }
  return { programmed: store.stats().programBytes - before, payload };
}

function amplification(): void {
  // Layout 1: one record (file) per entry; the entry beyond the cap is deleted in the same transaction.
  const perEntry = measure((store, i, entry) => store.transaction((tx) => {
    tx.write(`calls/missed/${i}`, entry, { cls: 'callLists' });
    if (i >= LIST_CAP) tx.delete(`calls/missed/${i - LIST_CAP}`);
  }));
  // Layout 1b: a ring of LIST_CAP slots, each entry overwriting the oldest slot (no tombstones at all).
  const ring = measure((store, i, entry) => store.write(`calls/missed/${i % LIST_CAP}`, entry, { cls: 'callLists' }));
  // Layout 2: append to one list file; at twice the cap the newest LIST_CAP entries are rewritten.
  let kept: Uint8Array[] = [];
  const appended = measure((store, _i, entry) => {
    kept.push(entry);
    if (kept.length >= 2 * LIST_CAP) {
      kept = kept.slice(-LIST_CAP);
      store.write('calls/missed.xml', Buffer.concat(kept), { cls: 'callLists' });
    } else {
      store.append('calls/missed.xml', entry, { cls: 'callLists' });
    }
  });
  // Baseline: the whole XML list (the newest LIST_CAP entries) rewritten per change, through the same store.
  let list: string[] = [];
  let baselineFileBytes = 0;
  const baseline = measure((store, i) => {
    list = [...list, callEntry(i)].slice(-LIST_CAP);
    const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<callList>\n${list.join('\n')}\n</callList>\n`);
    baselineFileBytes += xml.length;
    store.write('calls/missed.xml', xml, { cls: 'callLists' });
  });
  const ratio = (m: { programmed: number; payload: number }) => m.programmed / m.payload;
  const avg = perEntry.payload / ENTRIES;
  console.log(`call-list entries: ${ENTRIES} recorded, ${avg.toFixed(0)} payload bytes each, list capped at ${LIST_CAP}, 1 MiB fs with 160 KB of other data`);
  console.log(`  one record per entry:    ${ratio(perEntry).toFixed(2)} flash bytes programmed per payload byte (goal <= 2.0: ${ratio(perEntry) <= 2 ? 'met' : 'MISSED'})`);
  console.log(`  ring of ${LIST_CAP} slots:       ${ratio(ring).toFixed(2)} flash bytes per payload byte (goal <= 2.0: ${ratio(ring) <= 2 ? 'met' : 'MISSED'})`);
  console.log(`  append to one list file: ${ratio(appended).toFixed(2)} flash bytes per payload byte (merges and list trimming included)`);
  console.log(`  baseline, whole XML file rewritten per change: ${ratio(baseline).toFixed(2)} flash bytes per payload byte through this store` +
    ` (file bytes alone: ${(baselineFileBytes / perEntry.payload).toFixed(1)})`);
  const fewer = baseline.programmed / perEntry.programmed;
  console.log(`  one record per entry programs ${fewer.toFixed(0)}x fewer bytes than the baseline (goal >= 10x: ${fewer >= 10 ? 'met' : 'MISSED'});` +
    ` ring: ${(baseline.programmed / ring.programmed).toFixed(0)}x; appends: ${(baseline.programmed / appended.programmed).toFixed(0)}x`);
}

/** Fill the fs partition of a desk-500 image until the store refuses more; returns the image file. */
export function fullImage(dir: string): { file: string; files: number; liveBytes: number; hostMountMs: number } {
  const flash = new VirtualFlash(desk500.flash);
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  const store = FileStore.mount(flash.open('fs'), crypto);
  const classes = ['config', 'directory', 'callLists', 'logs'] as const;
  let i = 0;
  try {
    for (; ; i++) {
      const cls = classes[i % classes.length];
      // Mixed sizes and some churn, so the log holds stale records and multi-record files too.
      store.write(`${cls}/f${i % 400}`, new Uint8Array(200 + ((i * 7919) % 9000)).fill(0x30 + (i % 40)), { cls });
      if (i % 5 === 0) store.append(`${cls}/log`, new Uint8Array(180).fill(0x61), { cls });
    }
  } catch (e) {
    if (!(e instanceof StorageFullError)) throw e;
  }
  const file = path.join(dir, 'full.img');
  fs.writeFileSync(file, flash.image());
  ks.save(file + '.keys.json');
  const t0 = process.hrtime.bigint();
  const runs = 5;
  for (let r = 0; r < runs; r++) FileStore.mount(new VirtualFlash(desk500.flash, flash.image()).open('fs'), crypto);
  const hostMountMs = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  const s = store.stats();
  return { file, files: s.files, liveBytes: s.liveBytes, hostMountMs };
}

async function bootMs(engine: EngineKind, flashImage: string | undefined, dir: string): Promise<number> {
  let image = flashImage;
  if (flashImage) {
    // Each boot gets its own copy (a boot writes device settings).
    image = path.join(dir, `boot-${engine}-${Math.random().toString(36).slice(2)}.img`);
    fs.copyFileSync(flashImage, image);
    fs.copyFileSync(flashImage + '.keys.json', image + '.keys.json');
  }
  const t0 = process.hrtime.bigint();
  const phone = await createPhone({ board: 'desk-500', engine, flashImage: image });
  await phone.boot();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const mounted = phone.log().find((l) => /fs: mounted/.test(l));
  if (flashImage && !mounted) throw new Error(`${engine}: fs did not mount: ${phone.log().slice(-5).join(' | ')}`);
  phone.dispose();
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function mountTimes(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-bench-'));
  try {
    const full = fullImage(dir);
    const runs = 5;
    const t: Record<string, number[]> = { 'quickjs-empty': [], 'quickjs-full': [], 'node-empty': [], 'node-full': [] };
    for (let r = 0; r < runs; r++) {
      for (const engine of ['quickjs', 'node'] as const) {
        t[`${engine}-empty`].push(await bootMs(engine, undefined, dir));
        t[`${engine}-full`].push(await bootMs(engine, full.file, dir));
      }
    }
    const q = median(t['quickjs-full']) - median(t['quickjs-empty']);
    const n = median(t['node-full']) - median(t['node-empty']);
    console.log(`mount of a full 1 MiB fs (${full.files} files, ${(full.liveBytes / 1024).toFixed(0)} KiB live records; median of ${runs} boots, full minus empty):`);
    console.log(`  QuickJS ${q.toFixed(0)} ms (boot ${median(t['quickjs-full']).toFixed(0)} vs ${median(t['quickjs-empty']).toFixed(0)} ms), Node ${n.toFixed(0)} ms` +
      ` (boot ${median(t['node-full']).toFixed(0)} vs ${median(t['node-empty']).toFixed(0)} ms), ratio ${(q / Math.max(n, 0.1)).toFixed(1)}x;` +
      ` the store mounted directly on the host: ${full.hostMountMs.toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function eraseSpread(): void {
  const { flash, store } = freshStore();
  const t0 = Date.now();
  let entries = 0;
  for (let i = 0; i < 30000; i++) {
    store.transaction((tx) => {
      tx.write(`calls/missed/${i}`, new Uint8Array(Buffer.from(callEntry(i))), { cls: 'callLists' });
      if (i >= LIST_CAP) tx.delete(`calls/missed/${i - LIST_CAP}`);
    });
    entries++;
    if (i % 50 === 0) store.write('settings.json', new Uint8Array(Buffer.from(`{"n":${i}}`)), { cls: 'deviceSettings' });
  }
  const counts = flash.stats().find((p) => p.name === 'fs')!.eraseCounts;
  const s = store.stats();
  console.log(`erase spread after ${entries} call entries + ${Math.floor(entries / 50)} settings writes on the 1 MiB fs (${Date.now() - t0} ms):` +
    ` min ${Math.min(...counts)}, max ${Math.max(...counts)}, max/min ${(Math.max(...counts) / Math.max(1, Math.min(...counts))).toFixed(2)},` +
    ` ${s.gcRuns} collections (${s.wearMoves} wear-levelling moves), ${s.eraseOps} erases`);
}

function eraseCost(): void {
  const { store } = freshStore();
  for (let i = 0; i < 3 * LIST_CAP; i++) store.write(`calls/${['missed', 'received', 'placed'][i % 3]}/${i % LIST_CAP}`, new Uint8Array(Buffer.from(callEntry(i))), { cls: 'callLists' });
  for (let i = 0; i < 200; i++) store.append('logs/app.log', new Uint8Array(Buffer.from(`2026-01-01T00:00:00Z|sip|2|0|line event ${i}\n`)), { cls: 'logs' });
  const r = store.eraseClass('callLists');
  console.log(`eraseClass(callLists) with ${3 * LIST_CAP} entries among 160 KB of other data and a 200-line log: ${r.blocksErased} blocks erased,` +
    ` ${r.recordsMoved} records of other classes moved, ${r.programOps} programs (${r.programBytes} bytes), ${r.eraseOps} erases`);
}

/** Delete is erase: a single delete, then a clear of 30 entries, each committed with a re-key of the class (host, store only). */
function rekeyCost(): void {
  const { store } = freshStore();
  for (let i = 0; i < 90; i++) store.write(`calls/${['missed', 'received', 'placed'][i % 3]}/${Math.floor(i / 3)}`, new Uint8Array(Buffer.from(callEntry(i))), { cls: 'callLists' });
  for (let i = 0; i < 200; i++) store.append('logs/app.log', new Uint8Array(Buffer.from(`2026-01-01T00:00:00Z|sip|2|0|line event ${i}\n`)), { cls: 'logs' });
  const line = (what: string, f: () => ReturnType<FileStore['rekeyClass']>) => {
    const t0 = process.hrtime.bigint();
    const r = f();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`  ${what}: ${r.programBytes} bytes programmed (${r.programOps} programs), ${r.blocksErased} blocks erased, ${r.recordsMoved} records of other classes moved, ${ms.toFixed(1)} ms on the host`);
  };
  console.log('rekeyClass(callLists) with 3 lists of 30 entries among 160 KB of other data and a 200-line log:');
  line('Delete of 1 entry (first re-key)', () => store.rekeyClass('callLists', '', (tx) => tx.delete('calls/missed/0')));
  line('Delete of 1 more entry', () => store.rekeyClass('callLists', '', (tx) => tx.delete('calls/missed/1')));
  line('Clear of a list of 30 entries', () => store.rekeyClass('callLists', '', (tx) => { for (let i = 0; i < 30; i++) tx.delete(`calls/placed/${i}`); }));
}

export async function bench(): Promise<void> {
  amplification();
  eraseCost();
  rekeyCost();
  eraseSpread();
  await mountTimes();
}

if (require.main === module) bench().catch((e) => { console.error(e); process.exit(1); });
