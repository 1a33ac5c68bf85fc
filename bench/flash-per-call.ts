/**
 * The figure `flash.perCall.maxRatio` (issue 17): flash bytes programmed per
 * recorded call / bytes of the entry that call adds to its call list, for
 * each disposition (placed, missed, received), on the real bundle in the
 * simulator (QuickJS engine, desk-500, the simulator's provisioning folder).
 *
 * Programmed bytes: every program operation on the `fs` partition from the
 * moment the call starts until its entry is complete (the simulator's flash
 * operation stream), except records of the `logs` class and their Commits:
 * the phone logs every call whether or not it keeps call lists, and the
 * calls-file upload logs a line per change (feature.uploadDir.enabled), so
 * those bytes are the log's, not the list's. Garbage collection, block
 * headers and every other record programmed meanwhile count. The total
 * including log records is reported beside it (`withLogs`).
 * The entry is read back from the flash image afterwards, as the phone
 * keeps it: the JSON of its record. Each figure is the median of CALLS
 * calls, after one warm-up call.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FlashPartition, KeyName } from '../hal/contract';
import { BOARDS } from '../hal/boards';
import { CallListStore } from '../firmware/calls/call-list-store';
import type { CallListName } from '../firmware/calls/call-record';
import { utf8Encode } from '../firmware/kernel/text-codec';
import { DATA_CLASSES } from '../firmware/storage/data-classes';
import { FileStore } from '../firmware/storage/file-store';
import { BLOCK_HEADER_BYTES, RecordKind } from '../firmware/storage/record-format';
import { Keystore, NodeCryptoEngine } from '../sim/devices/crypto';
import { VirtualFlash, type FlashOperation } from '../sim/devices/flash';
import { createPhone, type Phone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';

const CALLS = 5;
const TALK_MS = 30_000;
const RING_MS = 3_000;

export interface FlashPerCall { placed: number; missed: number; received: number }

function fsProgrammed(phone: Phone): number {
  return phone.flashStats().partitions.find((p) => p.name === 'fs')!.programBytes;
}

/** One call of `kind`, driven through the keys and the far end as a user would. */
async function oneCall(phone: Phone, kind: CallListName, i: number): Promise<void> {
  const number = `+4930${1000000 + i}`;
  if (kind === 'placed') {
    phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 1000 }]);
    await phone.pressAll(number.slice(1).split('') as KeyName[]);
    await phone.press('soft2');
    await phone.press('1');
    await phone.press('soft1');
    await phone.advance(1500);
    const call = phone.farEnd.calls().filter((c) => c.state !== 'ended').pop();
    if (!call) throw new Error('placed call did not start');
    await phone.advance(TALK_MS);
    phone.farEnd.hangup(call.callId);
  } else {
    const id = phone.farEnd.ring(number, `Caller ${i}`);
    await phone.settle();
    await phone.advance(RING_MS);
    if (kind === 'received') {
      await phone.press('soft1');
      await phone.advance(TALK_MS);
    }
    phone.farEnd.hangup(id);
  }
  await phone.settle();
  await phone.advance(2000);
}

/** What one call programmed on `fs`: all of it, and without log records. */
export interface Programmed { all: number; withoutLogs: number }

/** Sort program operations on a store partition by what they wrote (read back afterwards: records stay where they were programmed). */
export function classify(part: FlashPartition, ops: FlashOperation[]): Programmed {
  let all = 0;
  let logs = 0;
  let afterLogRecord = false;
  for (const op of ops) {
    all += op.length;
    const inBlock = op.offset % part.blockSize;
    const [kind, classCode] = part.read(op.offset, 2);
    if (inBlock < BLOCK_HEADER_BYTES || kind === 0xff) {
      afterLogRecord = false;
      continue;
    }
    if (kind === RecordKind.Commit) {
      if (afterLogRecord) logs += op.length;
      afterLogRecord = false;
    } else if (classCode === LOGS_CLASS_CODE && kind !== RecordKind.EraseIntent) {
      logs += op.length;
      afterLogRecord = true;
    } else {
      afterLogRecord = false;
    }
  }
  return { all, withoutLogs: all - logs };
}

/** Programmed fs bytes of each of CALLS calls of `kind` (after a warm-up call), and the saved image. */
async function programmedPerCall(kind: CallListName, engine: EngineKind, dir: string): Promise<{ calls: Programmed[]; image: string }> {
  const phone = await createPhone({ board: 'desk-500', engine });
  try {
    await phone.boot();
    await phone.advance(5000);
    await oneCall(phone, kind, 0);
    const calls: Programmed[] = [];
    for (let i = 1; i <= CALLS; i++) {
      const ops: FlashOperation[] = [];
      const stop = phone.devices.flash.onOperation((op) => { if (op.partition === 'fs' && op.kind === 'program') ops.push(op); });
      await oneCall(phone, kind, i);
      stop();
      calls.push(classify(phone.devices.flash.open('fs'), ops));
    }
    const image = path.join(dir, `${kind}.img`);
    phone.saveFlash(image);
    return { calls, image };
  } finally {
    phone.dispose();
  }
}

/** Payload bytes of the newest CALLS entries of a list, read from a saved image as the phone keeps them. */
function entryBytes(image: string, kind: CallListName): number[] {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash, fs.readFileSync(image));
  const store = FileStore.mount(flash.open('fs'), new NodeCryptoEngine(Keystore.load(image + '.keys.json')));
  const entries = new CallListStore(store, () => {}).load(null).filter((e) => e.list === kind);
  // The entry's payload: its record as JSON, however its file holds it.
  return entries.slice(-CALLS).map((e) => utf8Encode(JSON.stringify(e.record)).length);
}

const LOGS_CLASS_CODE = DATA_CLASSES.logs.code;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Flash bytes programmed per recorded call / bytes of its entry, per disposition (median of CALLS calls); `withLogs`: log records counted too. */
export async function measureFlashPerCall(engine: EngineKind = 'quickjs'): Promise<FlashPerCall & { withLogs: FlashPerCall }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-per-call-'));
  try {
    const out: FlashPerCall & { withLogs: FlashPerCall } = { placed: 0, missed: 0, received: 0, withLogs: { placed: 0, missed: 0, received: 0 } };
    for (const kind of ['placed', 'missed', 'received'] as const) {
      const { calls, image } = await programmedPerCall(kind, engine, dir);
      const sizes = entryBytes(image, kind);
      if (sizes.length !== CALLS) throw new Error(`${kind}: ${sizes.length} entries on flash, expected ${CALLS}`);
      if (process.env.FLASH_PER_CALL_DEBUG) console.log(kind, { calls, sizes });
      out[kind] = median(calls.map((c, i) => c.withoutLogs / sizes[i]));
      out.withLogs[kind] = median(calls.map((c, i) => c.all / sizes[i]));
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `flash.perCall.maxRatio`: the worst disposition. */
export function maxRatio(r: FlashPerCall): number {
  return Math.max(r.placed, r.missed, r.received);
}

if (require.main === module) {
  measureFlashPerCall().then((r) => {
    console.log(`flash bytes programmed per recorded call / bytes of its entry (QuickJS, desk-500, median of ${CALLS}):`);
    console.log(`  placed ${r.placed.toFixed(2)}  missed ${r.missed.toFixed(2)}  received ${r.received.toFixed(2)}  max ${maxRatio(r).toFixed(2)} (goal <= 2.0)`);
    const w = r.withLogs;
    console.log(`  log records counted too: placed ${w.placed.toFixed(2)}  missed ${w.missed.toFixed(2)}  received ${w.received.toFixed(2)}`);
  }).catch((e) => { console.error(e); process.exit(1); });
}
