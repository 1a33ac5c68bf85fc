/**
 * Issue 17, point 4: flash bytes programmed per recorded call / bytes of the
 * entry it adds are at most 2.0 for each disposition, counted as
 * bench/flash-per-call.ts counts them on the QuickJS bundle (every program
 * operation on `fs` during the call except log records).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallListName } from '../../firmware/calls/call-record';
import { utf8Encode } from '../../firmware/kernel/text-codec';
import { classify } from '../../bench/flash-per-call';
import type { FlashOperation } from '../../sim/devices/flash';
import { bootCalls, recordOneCall, type CallsHarness } from './calls-harness';

const CALLS = 4;

async function ratio(kind: CallListName): Promise<number> {
  const h = bootCalls();
  h.set('callLists.collapseDuplicates', '0');
  await h.tick(5000);
  const ops: FlashOperation[] = [];
  const stop = h.phone.devices.flash.onOperation((op) => { if (op.partition === 'fs' && op.kind === 'program') ops.push(op); });
  for (let i = 0; i < CALLS; i++) await recordOneCall(h, kind, i);
  stop();
  const entries = h.list(kind).reduce((n, r) => n + utf8Encode(JSON.stringify(r)).length, 0);
  return classify(h.phone.devices.flash.open('fs'), ops).withoutLogs / entries;
}

for (const kind of ['placed', 'missed', 'received'] as CallListName[]) {
  test(`${kind}: at most 2.0 flash bytes programmed per byte of the call's entry`, async () => {
    const r = await ratio(kind);
    assert.ok(r <= 2.0, `${kind}: ${r.toFixed(2)} flash bytes per entry byte`);
  });
}

test.run();
