/**
 * `phone inspect IMAGE`: what a raw flash dump holds, read the way the
 * firmware's store reads it (firmware/storage/record-format.ts), without
 * keys and without changing the file: partitions, blocks (state, log
 * sequence, erase count), live and stale records per data class, wear, and
 * with `--find` every raw occurrence of given strings (UTF-8, UTF-16LE/BE):
 * the forensic check QA runs after a reset.
 */
import { Command } from 'commander';
import * as nodeCrypto from 'crypto';
import * as fs from 'fs';
import type { Crypto, FlashPartition } from '../../../hal/contract';
import { boardProfile, type BoardProfile } from '../../../hal/boards';
import { classByCode } from '../../../firmware/storage/data-classes';
import { FileStore } from '../../../firmware/storage/file-store';
import { CHECKPOINT_CLASS_CODE } from '../../../firmware/storage/mount-checkpoint';
import {
  ACTIVE_MAGIC, BLOCK_HEADER_BYTES, ERASE_MAGIC, RecordKind, UNIT, decodeBlockUnit, decodeMeta, walkRecords,
} from '../../../firmware/storage/record-format';
import { describeHit, findRawStrings, type RawHit } from '../../forensics/scan';

export type BlockState = 'active' | 'free' | 'blank' | 'unknown';

export interface BlockReport {
  index: number;
  state: BlockState;
  /** Place in the log (active blocks). */
  seq: number | null;
  /** Erase count from the block's wear record (null: lost, e.g. torn erase, or never erased). */
  eraseCount: number | null;
  /** Bytes of the block's log in use. */
  used: number;
  live: number;
  stale: number;
  /** Why the block's log stops early (torn write, damage). */
  damage: string | null;
}

export interface ClassTally { liveRecords: number; liveBytes: number; staleRecords: number; staleBytes: number }

export interface RecordSpan { start: number; end: number; path: string; cls: string; user: string; kind: string; live: boolean | null }

export interface PartitionReport {
  name: string;
  size: number;
  blockSize: number;
  /** Holds a flash record store (any block carries a store header). */
  store: boolean;
  blocks: BlockReport[];
  wear: { min: number; max: number; mean: number } | null;
  classes: Record<string, ClassTally>;
  liveFiles: number | null;
  /** Why the live/stale split is missing, when it is. */
  note: string | null;
  records: RecordSpan[];
}

export interface Inspection {
  board: string;
  imageBytes: number;
  partitions: PartitionReport[];
  /** The strings searched for. */
  needles: string[];
  hits: (RawHit & { record: RecordSpan | null })[];
}

const KIND_NAMES: Record<number, string> = {
  [RecordKind.Write]: 'write', [RecordKind.Append]: 'append', [RecordKind.Delete]: 'delete', [RecordKind.Merge]: 'merge', [RecordKind.EraseIntent]: 'erase-intent',
};

/** Inspect a raw image against a board profile; throws a clear Error when the sizes disagree. */
export function inspectImage(image: Uint8Array, profile: BoardProfile, find: string[] = []): Inspection {
  const expected = profile.flash.partitions.reduce((n, p) => n + p.size, 0);
  if (image.length !== expected) {
    throw new Error(`image is ${image.length} bytes, but board ${profile.profile} has ${expected} bytes of flash (${profile.flash.partitions.map((p) => `${p.name} ${p.size}`).join(', ')}); pick the right --board`);
  }
  const partitions: PartitionReport[] = [];
  let base = 0;
  for (const p of profile.flash.partitions) {
    partitions.push(inspectPartition(p.name, image.subarray(base, base + p.size), base, profile.flash.blockSize, profile.flash.progSize));
    base += p.size;
  }
  const spans = partitions.flatMap((p) => p.records).sort((a, b) => a.start - b.start);
  const hits = findRawStrings(image, find, profile.flash).map((h) => ({ ...h, record: spanAt(spans, h.offset) }));
  return { board: profile.profile, imageBytes: image.length, partitions, needles: find, hits };
}

function inspectPartition(name: string, bytes: Uint8Array, base: number, blockSize: number, progSize: number): PartitionReport {
  const count = Math.floor(bytes.length / blockSize);
  const blocks: BlockReport[] = [];
  for (let i = 0; i < count; i++) {
    const b = bytes.subarray(i * blockSize, (i + 1) * blockSize);
    const eraseCount = decodeBlockUnit(b, 0, ERASE_MAGIC);
    const seq = decodeBlockUnit(b, UNIT, ACTIVE_MAGIC);
    const state: BlockState = seq !== null ? 'active' : eraseCount !== null && isBlank(b, UNIT) ? 'free' : isBlank(b, 0) ? 'blank' : 'unknown';
    blocks.push({ index: i, state, seq, eraseCount, used: 0, live: 0, stale: 0, damage: null });
  }
  const store = blocks.some((b) => b.eraseCount !== null || b.seq !== null);
  const report: PartitionReport = { name, size: bytes.length, blockSize, store, blocks, wear: null, classes: {}, liveFiles: null, note: null, records: [] };
  if (!store) return report;

  // Which records are live: mount a read-only copy with a keystore stand-in (nothing is decrypted).
  let live: Set<string> | null = null;
  try {
    const mounted = FileStore.mount(readOnlyPartition(name, bytes, blockSize, progSize), new InspectionCrypto());
    live = new Set(mounted.liveRecords().map((r) => `${r.block}:${r.offset}`));
    report.liveFiles = mounted.list().length;
  } catch (e) {
    report.note = e instanceof ReadOnlyError
      ? 'the next mount would repair this store (an interrupted class erase or damage to scrub): live/stale split not shown'
      : `the store does not mount: ${(e as Error).message}`;
  }
  const counts = blocks.filter((b) => b.eraseCount !== null).map((b) => b.eraseCount!);
  if (counts.length) report.wear = { min: Math.min(...counts), max: Math.max(...counts), mean: counts.reduce((a, b) => a + b, 0) / counts.length };

  for (const blk of blocks) {
    if (blk.state !== 'active') continue;
    const b = bytes.subarray(blk.index * blockSize, (blk.index + 1) * blockSize);
    const walk = walkRecords(b, BLOCK_HEADER_BYTES, (at, h, extent) => {
      if (h.kind === RecordKind.Commit) return;
      const m = decodeMeta(b, at, h, (x) => Buffer.from(x).toString('utf8'));
      const cls = h.kind === RecordKind.EraseIntent ? '(erase intent)' : h.classCode === CHECKPOINT_CLASS_CODE ? '(mount checkpoint)' : classByCode(h.classCode) ?? `class#${h.classCode}`;
      const isLive = live ? live.has(`${blk.index}:${at}`) : null;
      const tally = (report.classes[cls] ??= { liveRecords: 0, liveBytes: 0, staleRecords: 0, staleBytes: 0 });
      if (isLive) {
        blk.live++;
        tally.liveRecords++;
        tally.liveBytes += extent;
      } else {
        blk.stale++;
        tally.staleRecords++;
        tally.staleBytes += extent;
      }
      const start = base + blk.index * blockSize + at;
      report.records.push({ start, end: start + extent, path: m.path, cls, user: m.user, kind: KIND_NAMES[h.kind] ?? String(h.kind), live: isLive });
    });
    blk.used = walk.end - BLOCK_HEADER_BYTES;
    blk.damage = walk.damage;
  }
  return report;
}

/** Human-readable report. */
export function formatInspection(r: Inspection, options: { allBlocks?: boolean } = {}): string {
  const out: string[] = [`board ${r.board}, ${r.imageBytes} bytes of flash`];
  for (const p of r.partitions) {
    const states = countBy(p.blocks.map((b) => b.state));
    out.push('', `partition ${p.name}: ${p.size} bytes, ${p.blocks.length} blocks of ${p.blockSize} (${Object.entries(states).map(([s, n]) => `${n} ${s}`).join(', ')})`);
    if (!p.store) {
      out.push(`  not a record store${states.blank === p.blocks.length ? ' (blank)' : ''}`);
      continue;
    }
    if (p.wear) out.push(`  wear: erase counts min ${p.wear.min}, max ${p.wear.max}, mean ${p.wear.mean.toFixed(1)}`);
    if (p.liveFiles !== null) out.push(`  live files: ${p.liveFiles}`);
    if (p.note) out.push(`  note: ${p.note}`);
    out.push('  blocks:', `    ${pad('block', 6)}${pad('state', 9)}${pad('seq', 8)}${pad('erases', 8)}${pad('used', 7)}${pad('live', 6)}${pad('stale', 6)}damage`);
    for (const b of p.blocks) {
      if (!options.allBlocks && (b.state === 'blank' || b.state === 'free')) continue;
      out.push(`    ${pad(String(b.index), 6)}${pad(b.state, 9)}${pad(b.seq === null ? '-' : String(b.seq), 8)}${pad(b.eraseCount === null ? '?' : String(b.eraseCount), 8)}${pad(String(b.used), 7)}${pad(String(b.live), 6)}${pad(String(b.stale), 6)}${b.damage ?? ''}`);
    }
    if (!options.allBlocks) out.push(`    (free and blank blocks not listed: --all-blocks lists them)`);
    out.push('  records by class:', `    ${pad('class', 18)}${pad('live', 7)}${pad('bytes', 9)}${pad('stale', 7)}bytes`);
    for (const [cls, t] of Object.entries(p.classes).sort()) {
      out.push(`    ${pad(cls, 18)}${pad(p.note ? '?' : String(t.liveRecords), 7)}${pad(p.note ? '?' : String(t.liveBytes), 9)}${pad(p.note ? '?' : String(t.staleRecords), 7)}${p.note ? '?' : t.staleBytes}`);
    }
  }
  if (r.needles.length) {
    const found = new Set(r.hits.map((h) => h.needle));
    out.push('', `find: ${r.hits.length} occurrence(s); ${found.size} of ${r.needles.length} string(s) found${found.size < r.needles.length ? ` (not found: ${r.needles.filter((n) => !found.has(n)).map((n) => `"${n}"`).join(', ')})` : ''}`);
    for (const h of r.hits) {
      const rec = h.record ? `, in ${h.record.live === null ? '' : h.record.live ? 'live ' : 'stale '}${h.record.kind} record of ${h.record.path || '-'} (${h.record.cls}${h.record.user ? `, user ${h.record.user}` : ''})` : ', outside any record';
      out.push(`  ${describeHit(h)}${rec}`);
    }
  }
  return out.join('\n');
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('show what a raw flash dump holds: partitions, blocks, wear, live and stale records per data class; --find lists raw occurrences of strings (UTF-8 and UTF-16)')
    .argument('<image>', 'raw flash image (e.g. written by phone.saveFlash() or a scenario\'s dumpFlash step)')
    .option('--board <id>', 'board profile the image belongs to (its size must match)', 'desk-500')
    .option('--find <text...>', 'strings to look for anywhere in the raw bytes, in UTF-8, UTF-16LE and UTF-16BE')
    .option('--all-blocks', 'list free and blank blocks too')
    .option('--json', 'print the report as JSON')
    .option('--fail-on-find', 'exit with status 2 when any --find string occurs (for scripts)')
    .addHelpText('after', '\nExamples:\n  phone inspect after-reset.img --find "Alice Example" +4930123456\n  phone inspect dump.img --board desk-99 --all-blocks')
    .action((file: string, opts: { board: string; find?: string[]; allBlocks?: boolean; json?: boolean; failOnFind?: boolean }) => {
      const profile = boardProfile(opts.board);
      let image: Buffer;
      try {
        image = fs.readFileSync(file);
      } catch (e) {
        throw new Error(`cannot read flash image ${file}: ${(e as Error).message}`);
      }
      const report = inspectImage(image, profile, opts.find ?? []);
      if (opts.json) console.log(JSON.stringify(report, (k, v) => (k === 'records' ? undefined : v), 1));
      else console.log(formatInspection(report, { allBlocks: opts.allBlocks }));
      if (opts.failOnFind && report.hits.length > 0) process.exitCode = 2;
    });
}

class ReadOnlyError extends Error {}

function readOnlyPartition(name: string, bytes: Uint8Array, blockSize: number, progSize: number): FlashPartition {
  return {
    name, size: bytes.length, blockSize, progSize,
    read: (offset, length) => bytes.slice(offset, offset + length),
    program: () => { throw new ReadOnlyError('inspection does not write'); },
    erase: () => { throw new ReadOnlyError('inspection does not write'); },
  };
}

/** Enough of the crypto device to index a store without its keys: every key "exists", nothing is decrypted. */
class InspectionCrypto implements Crypto {
  sha1(d: Uint8Array) { return new Uint8Array(nodeCrypto.createHash('sha1').update(d).digest()); }
  sha256(d: Uint8Array) { return new Uint8Array(nodeCrypto.createHash('sha256').update(d).digest()); }
  hmacSha256(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  pbkdf2Sha256(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  randomBytes(n: number) { return new Uint8Array(nodeCrypto.randomBytes(n)); }
  aesCbcEncrypt(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  aesCbcDecrypt(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  generateKey(): void { throw new ReadOnlyError('no keys during inspection'); }
  hasKey(): boolean { return true; }
  destroyKey(): void { throw new ReadOnlyError('no keys during inspection'); }
  listKeys(): string[] { return []; }
  encrypt(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  decrypt(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  verify(): boolean { throw new ReadOnlyError('no signatures checked during inspection'); }
  generateSigningKey(): void { throw new ReadOnlyError('no keys during inspection'); }
  importSigningKey(): void { throw new ReadOnlyError('no keys during inspection'); }
  signingPublicKey(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
  sign(): Uint8Array { throw new ReadOnlyError('no keys during inspection'); }
}

function spanAt(spans: RecordSpan[], offset: number): RecordSpan | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= offset) lo = mid + 1;
    else if (spans[mid].start > offset) hi = mid - 1;
    else return spans[mid];
  }
  return null;
}

function isBlank(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0xff) return false;
  return true;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}
