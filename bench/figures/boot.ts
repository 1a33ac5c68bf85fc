/**
 * Cold boot to the idle screen, QuickJS and Node side by side in one run
 * (alternating, so all see the same machine state), and the QuickJS heap
 * peak of that boot sampled at every interrupt poll. QuickJS boots read the
 * image as bytecode (compiled once per process); QuickJS boots that parse its
 * text, as every boot did before, run alongside for comparison.
 */
import { createPhone } from '../../sim/phone';
import type { EngineKind, PhoneOptions } from '../../sim/phone-api';
import { loadImageAsBytecode } from '../../sim/host/quickjs-engine';
import { median } from './statistics';

export interface BootTimes { quickjs: number; node: number; ratio: number; quickjsFromText: number }

type BootKind = EngineKind | 'quickjs-text';

async function coldBootMs(options: PhoneOptions): Promise<number> {
  const t0 = process.hrtime.bigint();
  const phone = await createPhone(options);
  await phone.boot();
  // Reading the panel draws the frame it holds: boot to idle includes the first idle screen drawn.
  const shown = phone.screen();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = shown.id === 'idle' && phone.faults.length === 0;
  const why = ok ? '' : `${JSON.stringify(phone.screen())} ${phone.faults.map((f) => f.message).join('; ')}`;
  phone.dispose();
  if (!ok) throw new Error(`${options.engine} did not boot cleanly to idle: ${why}`);
  return ms;
}

/** Median cold boot of `runs` boots per engine (the QuickJS WASM module is loaded, and the image compiled to bytecode, before, once per process). */
export async function bootTimes(options: Omit<PhoneOptions, 'engine'>, runs: number): Promise<BootTimes> {
  const times: Record<BootKind, number[]> = { quickjs: [], node: [], 'quickjs-text': [] };
  await coldBootMs({ ...options, engine: 'quickjs' });
  try {
    for (let i = 0; i < runs; i++) {
      for (const kind of ['quickjs', 'node', 'quickjs-text'] as const) {
        loadImageAsBytecode(kind !== 'quickjs-text');
        times[kind].push(await coldBootMs({ ...options, engine: kind === 'node' ? 'node' : 'quickjs' }));
      }
    }
  } finally {
    loadImageAsBytecode(true);
  }
  const quickjs = median(times.quickjs);
  const node = median(times.node);
  return { quickjs, node, ratio: quickjs / node, quickjsFromText: median(times['quickjs-text']) };
}

/** `bytes`: QuickJS's estimate sampled (the goal's figure); `allocatorBytes`: what its allocator held at most, exactly. */
export interface HeapPeak { bytes: number; allocatorBytes: number; faults: string[] }

/**
 * Most bytes the QuickJS runtime holds during a boot (and the downloads and
 * merges it runs until settled), plus `afterMs` of virtual time. Faults are
 * returned, not thrown: a merge stopped by its CPU budget still shows the
 * peak it reached, and the figure says it was stopped.
 */
export async function heapPeakOfBoot(options: Omit<PhoneOptions, 'engine' | 'trackMemoryPeak'>, afterMs = 0): Promise<HeapPeak> {
  const phone = await createPhone({ ...options, engine: 'quickjs', trackMemoryPeak: true });
  try {
    await phone.boot();
    if (afterMs > 0) await phone.advance(afterMs);
    return { bytes: phone.memoryPeak(), allocatorBytes: phone.allocatorPeak(), faults: phone.faults.map((f) => f.message.split(' (')[0]) };
  } finally {
    phone.dispose();
  }
}
