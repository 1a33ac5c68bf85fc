/**
 * Shared by the storage suites: a small flash geometry that makes garbage
 * collection frequent, a store mounted straight under Node (no QuickJS), a
 * deterministic workload, and the in-memory model it is checked against.
 */
import { FileStore, type MountOptions } from '../../firmware/storage/file-store';
import type { DataClassId } from '../../firmware/storage/data-classes';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, VirtualFlash, type FlashGeometry } from '../../sim/devices/flash';
import type { FlashPartition } from '../../hal/contract';

export const SMALL_GEOMETRY: FlashGeometry = { blockSize: 1024, progSize: 16, partitions: [{ name: 'fs', size: 24 * 1024 }] };

export function newFlash(geometry: FlashGeometry = SMALL_GEOMETRY, image?: Uint8Array): VirtualFlash {
  return new VirtualFlash(geometry, image);
}

/** A keystore copy, so a replay can start from the keys of a snapshot. */
export function cloneKeystore(ks: Keystore): Keystore {
  const copy = new Keystore();
  for (const name of ks.names()) copy.set(name, Buffer.from(ks.get(name)!));
  return copy;
}

export function mountStore(part: FlashPartition, crypto: NodeCryptoEngine, log: string[] = [], options: MountOptions = {}): FileStore {
  return FileStore.mount(part, crypto, (m) => log.push(m), options);
}

export interface ModelFile { data: Uint8Array; cls: DataClassId; user: string }
export type Model = Map<string, ModelFile>;

export type Op =
  | { kind: 'write'; path: string; data: Uint8Array; cls: DataClassId; user?: string }
  | { kind: 'append'; path: string; data: Uint8Array; cls: DataClassId; user?: string }
  | { kind: 'delete'; path: string }
  | { kind: 'tx'; ops: Op[] }
  | { kind: 'eraseClass'; cls: DataClassId; user?: string }
  | { kind: 'remount' };

/** Apply an op to the model (the store's contract, written the simple way). */
export function applyToModel(model: Model, op: Op): Model {
  const next: Model = new Map(model);
  const step = (o: Op) => {
    switch (o.kind) {
      case 'write': next.set(o.path, { data: o.data, cls: o.cls, user: o.user ?? '' }); break;
      case 'append': {
        const f = next.get(o.path);
        next.set(o.path, f ? { ...f, data: concat(f.data, o.data) } : { data: o.data, cls: o.cls, user: o.user ?? '' });
        break;
      }
      case 'delete': next.delete(o.path); break;
      case 'tx': o.ops.forEach(step); break;
      case 'eraseClass':
        for (const [p, f] of [...next]) if (f.cls === o.cls && (o.user === undefined || f.user === o.user)) next.delete(p);
        break;
      case 'remount': break;
    }
  };
  step(op);
  return next;
}

export function runOp(store: FileStore, op: Op): void {
  switch (op.kind) {
    case 'write': store.write(op.path, op.data, { cls: op.cls, user: op.user }); break;
    case 'append': store.append(op.path, op.data, { cls: op.cls, user: op.user }); break;
    case 'delete': store.delete(op.path); break;
    case 'tx':
      store.transaction((tx) => {
        for (const o of op.ops) {
          if (o.kind === 'write') tx.write(o.path, o.data, { cls: o.cls, user: o.user });
          else if (o.kind === 'append') tx.append(o.path, o.data, { cls: o.cls, user: o.user });
          else if (o.kind === 'delete') tx.delete(o.path);
        }
      });
      break;
    case 'eraseClass': store.eraseClass(op.cls, op.user); break;
    case 'remount': break;
  }
}

/** Differences between the store and a model (empty when they agree exactly). */
export function diff(store: FileStore, model: Model): string[] {
  const out: string[] = [];
  const listed = new Map(store.list().map((f) => [f.path, f]));
  for (const [path, f] of model) {
    const info = listed.get(path);
    if (!info) { out.push(`${path}: missing`); continue; }
    const got = store.read(path);
    if (!got || !equal(got, f.data)) out.push(`${path}: content differs (${got?.length} bytes vs ${f.data.length})`);
    if (info.size !== f.data.length) out.push(`${path}: listed size ${info.size} vs ${f.data.length}`);
    if (info.cls !== f.cls) out.push(`${path}: class ${info.cls} vs ${f.cls}`);
  }
  for (const path of listed.keys()) if (!model.has(path)) out.push(`${path}: present but should not be`);
  return out;
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Readable, unique content: "<tag>#<n>;" repeated to `size` bytes. */
export function content(tag: string, size: number): Uint8Array {
  let s = '';
  for (let n = 0; s.length < size; n++) s += `${tag}#${n};`;
  return new Uint8Array(Buffer.from(s.slice(0, size), 'latin1'));
}

const PATHS = ['calls/placed.log', 'calls/missed.log', 'dir/local.xml', 'cfg/phone.cfg', 'logs/app.log', 'settings.json'];
const CLASS_OF: Record<string, DataClassId> = {
  'calls/placed.log': 'callLists', 'calls/missed.log': 'callLists', 'dir/local.xml': 'directory',
  'cfg/phone.cfg': 'config', 'logs/app.log': 'logs', 'settings.json': 'deviceSettings',
};

/**
 * A realistic workload: creates, appends, overwrites (some larger than a
 * block), deletes, multi-file transactions, reboots, and one class erase
 * part-way; enough bytes to run garbage collection many times on
 * SMALL_GEOMETRY.
 */
export function realisticWorkload(seed: number, count: number): Op[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const path = pick(PATHS);
    const cls = CLASS_OF[path];
    const r = rnd();
    if (i === Math.floor(count * 0.6)) ops.push({ kind: 'eraseClass', cls: 'callLists' });
    else if (r < 0.3) ops.push({ kind: 'append', path, cls, data: content(`a${i}`, 20 + Math.floor(rnd() * 200)) });
    else if (r < 0.55) ops.push({ kind: 'write', path, cls, data: content(`w${i}`, Math.floor(rnd() * (rnd() < 0.15 ? 2500 : 600))) });
    else if (r < 0.68) ops.push({ kind: 'delete', path });
    else if (r < 0.9) {
      const other = pick(PATHS.filter((p) => p !== path));
      const third = pick(PATHS.filter((p) => p !== path && p !== other));
      ops.push({ kind: 'tx', ops: [
        { kind: 'write', path, cls, data: content(`t${i}`, 50 + Math.floor(rnd() * 400)) },
        { kind: 'append', path: other, cls: CLASS_OF[other], data: content(`u${i}`, 30 + Math.floor(rnd() * 150)) },
        { kind: 'delete', path: third },
      ] });
    } else ops.push({ kind: 'remount' });
  }
  return ops;
}

/**
 * The mount that finishes an interrupted erase or re-key, itself cut at each
 * of its flash operations in turn: `check` sees the store mounted again after
 * each cut (with its flash and crypto). Returns how many cuts were made.
 */
export function sweepFinishingMount(image: Uint8Array, keys: Keystore, check: (store: FileStore, flash: VirtualFlash, crypto: NodeCryptoEngine, cut: number) => void, geometry: FlashGeometry = SMALL_GEOMETRY): number {
  let cuts = 0;
  for (let r = 1; ; r++) {
    const flash = newFlash(geometry, image);
    const crypto = new NodeCryptoEngine(cloneKeystore(keys));
    flash.cutPowerAfter(r);
    try {
      mountStore(flash.open('fs'), crypto);
      return cuts;
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    cuts++;
    flash.restorePower();
    check(mountStore(flash.open('fs'), crypto), flash, crypto, r);
  }
}
