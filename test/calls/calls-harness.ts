/**
 * Shared by the call suites: the firmware booted in this process over
 * virtual devices (sim/host/in-process-firmware), so a test can drive the
 * far end, the clock and the call controller and read the recorder, the CDR
 * and the store directly. Not a test file itself.
 */
import { rmSync } from 'fs';
import type { CallListName, CallRecord } from '../../firmware/calls/call-record';
import type { Call } from '../../firmware/calls/call-controller';
import type { Transaction, StoreOptions } from '../../firmware/storage/file-store';
import { bootInProcess, type InProcessPhone } from '../../sim/host/in-process-firmware';

export interface CallsHarness {
  phone: InProcessPhone;
  /** Let promises settle, advance virtual time, settle again. */
  tick(ms?: number): Promise<void>;
  set(name: string, value: string): void;
  list(name: CallListName): CallRecord[];
  far: InProcessPhone['devices']['line']['farEnd'];
  /** The newest live call of the controller. */
  live(): Call;
  /** Store writes per data class since boot (spied on the fs store). */
  writes: Map<string, number>;
}

export function flush(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export function bootCalls(options: { flashImage?: string } = {}): CallsHarness {
  const phone = bootInProcess({ board: 'desk-500', ...options });
  const writes = new Map<string, number>();
  const fs = phone.booted.fs;
  const count = (opts: StoreOptions, n: number) => writes.set(opts.cls, (writes.get(opts.cls) ?? 0) + n);
  const transaction = fs.transaction.bind(fs);
  fs.transaction = (fn: (tx: Transaction) => void) => transaction((tx) => fn({
    write: (p, d, o) => { count(o, d.length); tx.write(p, d, o); },
    append: (p, d, o) => { count(o, d.length); tx.append(p, d, o); },
    delete: (p) => tx.delete(p),
  }));
  const h: CallsHarness = {
    phone,
    writes,
    far: phone.devices.line.farEnd,
    tick: async (ms = 0) => {
      await flush();
      phone.devices.clock.advance(ms);
      await flush();
    },
    set: (name, value) => {
      const r = phone.booted.config.setOverride('local', name, value);
      if (!r.ok || r.rejected.length || r.unknown.length) throw new Error(`${name}=${value} rejected`);
    },
    list: (name) => phone.booted.calls.recorder.list(name),
    live: () => {
      const calls = phone.booted.calls.controller.calls();
      if (calls.length === 0) throw new Error('no live call');
      return calls[calls.length - 1];
    },
  };
  return h;
}

/** Place a call from the phone that the far end answers; returns the far end's call id. */
export async function placeAnswered(h: CallsHarness, target: string): Promise<string> {
  h.far.script([{ target, action: 'answer', afterMs: 1000 }]);
  h.phone.booted.calls.controller.dial(target);
  await h.tick(1000);
  const id = h.far.calls().filter((c) => c.state !== 'ended').pop()!.callId;
  return id;
}

/** One call of each disposition as the call-list figures count it: placed and received talk 30 s, missed rings 3 s. */
export async function recordOneCall(h: CallsHarness, kind: 'placed' | 'received' | 'missed', i: number): Promise<void> {
  const number = `+4930${1000000 + i}`;
  if (kind === 'placed') {
    const id = await placeAnswered(h, number);
    await h.tick(30000);
    h.far.hangup(id);
  } else {
    const id = h.far.ring(number, `Caller ${i}`);
    await h.tick(3000);
    if (kind === 'received') {
      h.phone.booted.calls.controller.answer(h.live());
      await h.tick(30000);
    }
    h.far.hangup(id);
  }
  await h.tick(3000);
}

/** Delete a flash image saved by a test and its keystore side file. */
export function removeImage(file: string): void {
  rmSync(file, { force: true });
  rmSync(file + '.keys.json', { force: true });
}
