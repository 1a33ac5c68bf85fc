/**
 * Power cut after EVERY program and EVERY erase of a realistic workload
 * (creates, appends, overwrites, deletes, multi-file transactions, reboots,
 * a class erase; garbage collection many times). After each cut: remount,
 * every acknowledged commit is intact and the interrupted one is all there
 * or not at all; then the store must take a new write and survive another
 * remount. Runs the store directly under Node on VirtualFlash.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PowerCutError } from '../../sim/devices/flash';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { FileStore } from '../../firmware/storage/file-store';
import { ScatterTornPartition } from './scatter-torn-partition';
import {
  SMALL_GEOMETRY, applyToModel, cloneKeystore, content, diff, mountStore, newFlash, realisticWorkload, runOp, sweepFinishingMount, type Model, type Op,
} from './store-harness';

interface Checkpoint { index: number; image: Uint8Array; keys: Keystore; model: Model }

/** Run the workload once, remounting at its reboots and every few ops; keep a checkpoint at each mount. */
function recordCheckpoints(ops: Op[]): { checkpoints: Checkpoint[]; models: Model[]; totalFlashOps: number; gcRuns: number } {
  const flash = newFlash();
  const ks = new Keystore();
  const crypto = new NodeCryptoEngine(ks);
  let store = mountStore(flash.open('fs'), crypto);
  let model: Model = new Map();
  const checkpoints: Checkpoint[] = [];
  const models: Model[] = [model];
  let gcRuns = 0;
  ops.forEach((op, i) => {
    if (op.kind === 'remount' || i % 6 === 0) {
      gcRuns += store.stats().gcRuns;
      store = mountStore(flash.open('fs'), crypto);
      checkpoints.push({ index: i, image: flash.image(), keys: cloneKeystore(ks), model });
    }
    runOp(store, op);
    model = applyToModel(model, op);
    models.push(model);
  });
  const d = diff(store, model);
  assert.equal(d, [], 'uninterrupted run matches the model');
  gcRuns += store.stats().gcRuns;
  return { checkpoints, models, totalFlashOps: flash.operationCount(), gcRuns };
}

function agreesWithOneOf(store: FileStore, candidates: Model[]): string[] | null {
  let first: string[] | null = null;
  for (const m of candidates) {
    const d = diff(store, m);
    if (d.length === 0) return null;
    first ??= d;
  }
  return first;
}

test('a power cut after every program and every erase leaves acknowledged commits intact', () => {
  const started = Date.now();
  const ops = realisticWorkload(7, 1500);
  const { checkpoints, models, totalFlashOps, gcRuns } = recordCheckpoints(ops);
  assert.ok(gcRuns >= 20, `workload must garbage-collect many times (ran ${gcRuns})`);
  let cutPoints = 0;
  let programCuts = 0;
  let eraseCuts = 0;
  let recoveryCuts = 0;
  for (let c = 0; c < checkpoints.length; c++) {
    const cp = checkpoints[c];
    const end = c + 1 < checkpoints.length ? checkpoints[c + 1].index : ops.length;
    // Every op between this mount and the next, cut at each of its flash operations in turn.
    for (let k = cp.index; k < end; k++) {
      for (let j = 1; ; j++) {
        const flash = newFlash(SMALL_GEOMETRY, cp.image);
        const ks = cloneKeystore(cp.keys);
        const crypto = new NodeCryptoEngine(ks);
        let store = mountStore(flash.open('fs'), crypto);
        for (let i = cp.index; i < k; i++) runOp(store, ops[i]);
        flash.cutPowerAfter(j);
        let cut: PowerCutError | null = null;
        try {
          runOp(store, ops[k]);
        } catch (e) {
          if (!(e instanceof PowerCutError)) throw e;
          cut = e;
        }
        if (!cut) break; // op k finished before its j-th flash operation: all its cut points are done
        cutPoints++;
        if (cut.message.includes('erase')) eraseCuts++;
        else programCuts++;
        flash.restorePower();
        const candidates = [models[k], models[k + 1]];
        if (ops[k].kind === 'eraseClass') {
          // The mount finishing an interrupted erase can be cut too: cut it at each of its operations.
          recoveryCuts += sweepFinishingMount(flash.image(), cloneKeystore(ks), (again, _f, _c, r) => {
            const bad = agreesWithOneOf(again, candidates);
            if (bad) assert.unreachable(`erase at op ${k}, cut ${j}, recovery cut ${r}: ${bad.join('; ')}`);
          });
        }
        store = mountStore(flash.open('fs'), crypto);
        const bad = agreesWithOneOf(store, candidates);
        if (bad) assert.unreachable(`op ${k} (${ops[k].kind}) cut at flash op ${j}: ${bad.join('; ')}`);
        const now = diff(store, models[k]).length === 0 ? models[k] : models[k + 1];
        // Still usable: a new write lands and survives another reboot.
        store.write('probe', content(`probe${k}.${j}`, 300), { cls: 'config' });
        const after = applyToModel(now, { kind: 'write', path: 'probe', cls: 'config', data: content(`probe${k}.${j}`, 300) });
        const remounted = mountStore(flash.open('fs'), crypto);
        const d = diff(remounted, after);
        if (d.length) assert.unreachable(`op ${k} cut at ${j}: after recovery and a new write: ${d.join('; ')}`);
      }
    }
  }
  console.log(`power-cut sweep: ${cutPoints} cut points (${programCuts} programs, ${eraseCuts} erases) + ${recoveryCuts} cuts during erase recovery, over ${ops.length} ops / ${totalFlashOps} flash operations, ${gcRuns} garbage collections, ${Date.now() - started} ms`);
  assert.ok(cutPoints >= 2000, `thousands of cut points (${cutPoints})`);
  assert.ok(eraseCuts >= 50, `erases were cut too (${eraseCuts})`);
  assert.ok(recoveryCuts > 0, 'the erase recovery itself was cut');
});

test('torn writes that land on random units and erases that leave random bytes are survived too', () => {
  const ops = realisticWorkload(11, 260);
  const size = SMALL_GEOMETRY.partitions[0].size;
  const blockSize = SMALL_GEOMETRY.blockSize;
  // Reference run to learn each op's flash operation count.
  const ref = new ScatterTornPartition(size, blockSize, 1);
  const ks = new Keystore();
  let store = FileStore.mount(ref, new NodeCryptoEngine(ks));
  const models: Model[] = [new Map()];
  const starts: { image: Uint8Array; keys: Keystore; opsBefore: number }[] = [];
  ops.forEach((op, i) => {
    store = FileStore.mount(ref, new NodeCryptoEngine(ks));
    starts.push({ image: ref.bytes.slice(), keys: cloneKeystore(ks), opsBefore: ref.ops });
    runOp(store, op);
    models.push(applyToModel(models[i], op));
  });
  let cutPoints = 0;
  for (let k = 0; k < ops.length; k++) {
    const opCount = (k + 1 < starts.length ? starts[k + 1].opsBefore : ref.ops) - starts[k].opsBefore;
    for (let j = 1; j <= opCount; j++) {
      const part = new ScatterTornPartition(size, blockSize, 1000 * k + j, starts[k].image);
      const crypto = new NodeCryptoEngine(cloneKeystore(starts[k].keys));
      const s = FileStore.mount(part, crypto);
      part.cutAfter(j);
      try {
        runOp(s, ops[k]);
      } catch (e) {
        if (!(e instanceof PowerCutError)) throw e;
      }
      part.restore();
      cutPoints++;
      const again = FileStore.mount(part, crypto);
      const bad = agreesWithOneOf(again, [models[k], models[k + 1]]);
      if (bad) assert.unreachable(`scatter-torn: op ${k} (${ops[k].kind}) cut at ${j}: ${bad.join('; ')}`);
      again.write('probe', content('probe', 200), { cls: 'config' });
      assert.equal(FileStore.mount(part, crypto).read('probe'), content('probe', 200));
    }
  }
  console.log(`scatter-torn sweep: ${cutPoints} cut points`);
  assert.ok(cutPoints >= 500, `enough cut points (${cutPoints})`);
});

test.run();
