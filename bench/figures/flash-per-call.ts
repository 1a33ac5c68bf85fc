/**
 * Flash bytes programmed per recorded call / bytes of that call's entry, for
 * each disposition; the figure is the worst one. From bench/flash-per-call.ts
 * (`measureFlashPerCall()`, issue 17 point 4, another branch) when it exists,
 * else the measure of bench/calls.bench.ts: 60 calls with call lists on
 * minus the same with them off, over the entries' JSON payload.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface PerCallRatios { ratios: Record<string, number>; source: string }

/** Accepts a number, an array of `{ kind|disposition, ratio }`, or a record of numbers or `{ ratio }`. */
export function ratiosOf(value: unknown): Record<string, number> {
  if (typeof value === 'number') return { worst: value };
  const out: Record<string, number> = {};
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String((v as any)?.kind ?? (v as any)?.disposition ?? i), v])
    : Object.entries((value as Record<string, unknown>) ?? {});
  for (const [k, v] of entries) {
    const r = typeof v === 'number' ? v : (v as any)?.ratio;
    if (typeof r === 'number') out[k] = r;
  }
  return out;
}

export async function flashPerCall(): Promise<PerCallRatios> {
  const shared = path.join(__dirname, '..', 'flash-per-call.ts');
  if (fs.existsSync(shared)) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require(shared) as { measureFlashPerCall?: () => unknown };
    if (typeof m.measureFlashPerCall === 'function') {
      const ratios = ratiosOf(await m.measureFlashPerCall());
      if (Object.keys(ratios).length > 0) return { ratios, source: 'bench/flash-per-call.ts' };
    }
  }
  const { flashBytes, CALLS_PER_KIND } = await import('../calls.bench');
  const ratios: Record<string, number> = {};
  for (const kind of ['missed', 'received', 'placed'] as const) {
    const on = await flashBytes(kind, true);
    const off = await flashBytes(kind, false);
    ratios[kind] = (on.bytes - off.bytes) / on.payload;
  }
  return { ratios, source: `calls lists on minus off, ${CALLS_PER_KIND} calls each` };
}
