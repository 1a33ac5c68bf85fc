/**
 * `--shard I/N`: the deterministic share of a fleet run one machine takes, so
 * an existing job runner (a Kubernetes Indexed Job, a CI matrix) scales a run
 * out. A scenario's shard depends on its name alone (FNV-1a hash mod N): the
 * same on every machine, unmoved when other scenarios are added or removed,
 * and every scenario in exactly one of the N shards.
 */

export interface Shard {
  /** 1-based, as `--shard 1/4` … `4/4` (the convention of Playwright and Jest). */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard "${text}": expected I/N, e.g. 1/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard "${text}": I must be 1..N and N at least 1`);
  return { index, count };
}

/** 32-bit FNV-1a of the UTF-16 code units: tiny, stable across Node versions and machines. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The shard (1-based) a scenario of this name belongs to, out of `count`. */
export function shardOf(name: string, count: number): number {
  return (fnv1a(name) % count) + 1;
}

export function inShard(name: string, shard: Shard): boolean {
  return shardOf(name, shard.count) === shard.index;
}
