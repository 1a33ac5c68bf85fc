/**
 * What "delete is erase" costs (issue 12 point 4): a call-list Delete or
 * Clear commits with a re-key of the owner's lists (live entries rewritten
 * under a new key, the old key destroyed, every block that held the old
 * entries erased: FileStore.rekeyClass). Measured on a desk-500 booted from
 * the image in the simulator, QuickJS and Node engines side by side, the
 * Missed list full (30 entries) plus 30 Received and 30 Placed entries:
 * - one Delete (soft key on the Missed list), then
 * - one Clear of the remaining Missed entries (Clear, Yes),
 * each as fs flash bytes programmed, blocks erased, and wall time of the key
 * press that does it (the press returns once the firmware handled the key:
 * re-key and redraw included). A marker-only delete (before this issue) is
 * shown for reference: the same transaction without the re-key, in process.
 */
import { createPhone, type Phone } from '../sim/phone';
import type { EngineKind } from '../sim/phone-api';
import { bootCalls, placeAnswered } from '../test/calls/calls-harness';

const PER_LIST = 30;

interface Cost { programBytes: number; blocksErased: number; eraseOps: number; ms: number }

function fsStats(phone: Phone): { programBytes: number; eraseCounts: number[] } {
  const p = phone.flashStats().partitions.find((x) => x.name === 'fs')!;
  return { programBytes: p.programBytes, eraseCounts: [...p.eraseCounts] };
}

async function measurePress(phone: Phone, keys: string[]): Promise<Cost> {
  for (const k of keys.slice(0, -1)) await phone.press(k as never);
  const before = fsStats(phone);
  const t0 = process.hrtime.bigint();
  await phone.press(keys[keys.length - 1] as never);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const after = fsStats(phone);
  const deltas = after.eraseCounts.map((c, i) => c - before.eraseCounts[i]);
  return { programBytes: after.programBytes - before.programBytes, blocksErased: deltas.filter((d) => d > 0).length, eraseOps: deltas.reduce((a, b) => a + b, 0), ms };
}

async function missedCall(phone: Phone, n: number): Promise<void> {
  const id = phone.farEnd.ring(`+4930${1000000 + n}`, `Missed Caller ${n}`);
  await phone.advance(2000);
  phone.farEnd.hangup(id);
  await phone.advance(1000);
}

async function fullLists(engine: EngineKind): Promise<Phone> {
  const phone = await createPhone({ board: 'desk-500', engine });
  await phone.boot();
  await phone.advance(5000);
  // Received first (an answered call passes through Missed), then Missed: both lists full.
  for (let i = 0; i < PER_LIST; i++) {
    const id = phone.farEnd.ring(`+4931${1000000 + i}`, `Received Caller ${i}`);
    await phone.advance(1000);
    await phone.press('soft1');
    await phone.advance(5000);
    phone.farEnd.hangup(id);
    await phone.advance(1000);
    await phone.press('home');
  }
  for (let i = 0; i < PER_LIST; i++) await missedCall(phone, i);
  return phone;
}

interface PhoneCosts { clear: Cost; cleared: string; firstDelete: Cost; delete: Cost }

async function onPhone(engine: EngineKind): Promise<PhoneCosts> {
  const phone = await fullLists(engine);
  try {
    if (phone.screen().id !== 'idle') throw new Error(`not idle: ${JSON.stringify(phone.screen())}`);
    await phone.press('soft3'); // Missed
    await phone.press('soft3'); // Clear: the confirmation says how many entries
    const cleared = phone.screen().lines[0] ?? '?';
    const clear = await measurePress(phone, ['soft1']); // Yes
    await phone.press('soft4'); // Back to idle
    for (let i = 0; i < 5; i++) await missedCall(phone, 100 + i);
    await phone.press('soft3');
    const firstDelete = await measurePress(phone, ['soft2']); // Delete the focused (newest) entry
    const del = await measurePress(phone, ['soft2']);
    if (!/calllist/.test(phone.screen().id)) throw new Error(`not on the call list: ${JSON.stringify(phone.screen())}`);
    if (phone.faults.length) throw new Error(`${engine}: firmware faults: ${JSON.stringify(phone.faults)}`);
    return { clear, cleared, firstDelete, delete: del };
  } finally {
    phone.dispose();
  }
}

/** For reference: the marker-only delete and clear of before (same transactions, no re-key), in process. */
async function markersOnly(): Promise<{ del: number; clear: number; rekeyDel: number; rekeyClear: number; entries: number }> {
  const out = { del: 0, clear: 0, rekeyDel: 0, rekeyClear: 0, entries: 0 };
  for (const rekey of [false, true]) {
    const h = bootCalls();
    h.set('callLists.collapseDuplicates', '0');
    for (let i = 0; i < PER_LIST; i++) {
      const id = h.far.ring(`+4930${1000000 + i}`, `Missed Caller ${i}`);
      await h.tick(2000);
      h.far.hangup(id);
      await h.tick(1000);
      const p = await placeAnswered(h, `+4932${1000000 + i}`);
      await h.tick(3000);
      h.far.hangup(p);
      await h.tick(1000);
    }
    out.entries = h.list('missed').length;
    const recorder = h.phone.booted.calls.recorder;
    const store = (recorder as unknown as { store: { changeAndErase: unknown; change: unknown } }).store;
    if (!rekey) store.changeAndErase = store.change;
    const fs = h.phone.booted.fs;
    let b = fs.stats().programBytes;
    recorder.deleteEntry('missed', 0);
    const del = fs.stats().programBytes - b;
    b = fs.stats().programBytes;
    recorder.clear('missed');
    const clear = fs.stats().programBytes - b;
    if (rekey) { out.rekeyDel = del; out.rekeyClear = clear; } else { out.del = del; out.clear = clear; }
  }
  return out;
}

const fmt = (c: Cost) => `${String(c.programBytes).padStart(6)} bytes programmed, ${String(c.blocksErased).padStart(2)} blocks erased (${c.eraseOps} erases), ${c.ms.toFixed(0).padStart(5)} ms`;

export async function bench(): Promise<void> {
  for (const engine of ['quickjs', 'node'] as EngineKind[]) {
    const r = await onPhone(engine);
    console.log(`${engine}: desk-500, 1 MiB fs, Missed and Received lists full (${PER_LIST} entries each):`);
    console.log(`  Clear of the Missed list (${r.cleared}):   ${fmt(r.clear)}`);
    console.log(`  then 5 new missed calls; Delete of 1:       ${fmt(r.firstDelete)}`);
    console.log(`  Delete of 1 more:                           ${fmt(r.delete)}`);
  }
  const m = await markersOnly();
  console.log(`in process, ${m.entries} Missed + ${PER_LIST} Placed entries: flash bytes programmed, marker only (before) vs with the re-key:`);
  console.log(`  Delete: ${m.del} vs ${m.rekeyDel} bytes;  Clear: ${m.clear} vs ${m.rekeyClear} bytes`);
}

if (require.main === module) bench().catch((e) => { console.error(e); process.exit(1); });
