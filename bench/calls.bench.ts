/**
 * Call-list recording figures, measured side by side in one run:
 * - flash bytes programmed per recorded call (fs store counters, firmware in
 *   process): 60 calls of each kind with call lists on, minus the same calls
 *   with `feature.callList.enabled=0` (what the rest of the phone writes
 *   meanwhile), per call and per byte of the entry's JSON payload;
 * - time from the far end's hang-up to the completed entry being on flash
 *   (the write happens inside the line-event delivery: when the delivery
 *   returns, the store transaction has committed), in the simulator's
 *   QuickJS engine vs the Node engine, same bundle.
 */
import { utf8Encode } from '../firmware/kernel/text-codec';
import { createPhone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';
import { bootCalls, recordOneCall, type CallsHarness } from '../test/calls/calls-harness';

const CALLS = 60;

export type Kind = 'missed' | 'received' | 'placed';
export const CALLS_PER_KIND = CALLS;

export async function flashBytes(kind: Kind, listsOn: boolean): Promise<{ bytes: number; payload: number }> {
  const h = bootCalls();
  h.set('callLists.collapseDuplicates', '0');
  if (!listsOn) h.set('feature.callList.enabled', '0');
  await h.tick(5000);
  const before = h.phone.booted.fs.stats().programBytes;
  for (let i = 0; i < CALLS; i++) await recordOneCall(h, kind, i);
  const bytes = h.phone.booted.fs.stats().programBytes - before;
  const payload = h.list(kind).reduce((n, r) => n + utf8Encode(JSON.stringify(r)).length, 0);
  return { bytes, payload };
}

async function durableMs(engine: EngineKind): Promise<number[]> {
  const phone = await createPhone({ board: 'desk-500', engine });
  await phone.boot();
  const times: number[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const id = phone.farEnd.ring(`+4930${2000000 + i}`, `Caller ${i}`);
      await phone.settle();
      await phone.press('soft1');
      await phone.advance(10000);
      const before = phone.flashStats().partitions.find((p) => p.name === 'fs')!.programBytes;
      const t0 = process.hrtime.bigint();
      phone.farEnd.hangup(id);
      const t1 = process.hrtime.bigint();
      const after = phone.flashStats().partitions.find((p) => p.name === 'fs')!.programBytes;
      if (after <= before) throw new Error(`${engine}: the entry was not on flash when the hang-up delivery returned`);
      times.push(Number(t1 - t0) / 1e6);
      await phone.settle();
      await phone.advance(5000);
    }
  } finally {
    phone.dispose();
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function bench(): Promise<void> {
  console.log(`flash bytes per recorded call (${CALLS} calls each, call lists on minus off, fs store counters):`);
  for (const kind of ['missed', 'received', 'placed'] as Kind[]) {
    const on = await flashBytes(kind, true);
    const off = await flashBytes(kind, false);
    const perCall = (on.bytes - off.bytes) / CALLS;
    const perPayloadByte = (on.bytes - off.bytes) / on.payload;
    console.log(`  ${kind.padEnd(8)} ${perCall.toFixed(0).padStart(5)} bytes/call  (${(on.payload / CALLS).toFixed(0)} payload bytes/entry; ${perPayloadByte.toFixed(2)} flash bytes per payload byte, Partial write + completion${kind === 'received' ? ' + move Missed→Received' : ''})`);
  }
  const q = await durableMs('quickjs');
  const n = await durableMs('node');
  console.log('time from the far end hanging up to the completed entry committed on flash (median of 20):');
  console.log(`  quickjs ${median(q).toFixed(2)} ms   node ${median(n).toFixed(2)} ms   quickjs/node ${(median(q) / median(n)).toFixed(1)}x`);
}
