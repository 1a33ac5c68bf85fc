/**
 * Randomised operation sequences (fast-check) against an in-memory model:
 * writes, appends, deletes, multi-file transactions, class erases (whole
 * class or one user), reboots, power cuts at random points and a full
 * partition. After every step the store must equal the model; after a cut
 * it must equal the state before or after the interrupted step.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { StorageFullError } from '../../firmware/storage/errors';
import type { DataClassId } from '../../firmware/storage/data-classes';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, type FlashGeometry } from '../../sim/devices/flash';
import { applyToModel, content, diff, mountStore, newFlash, runOp, type Model, type Op } from './store-harness';

const GEOMETRY: FlashGeometry = { blockSize: 512, progSize: 16, partitions: [{ name: 'fs', size: 16 * 512 }] };
const PATHS = ['a', 'b/calls', 'c/dir.xml', 'd.cfg', 'e/app.log'];
const CLASSES: DataClassId[] = ['config', 'callLists', 'directory', 'logs'];
const USERS = ['', 'alice', 'bob'];

/** Each path keeps one class and user (the store refuses appends across classes; the model need not know that rule). */
function ownerOf(path: string): { cls: DataClassId; user: string } {
  const i = PATHS.indexOf(path);
  return { cls: CLASSES[i % CLASSES.length], user: USERS[i % USERS.length] };
}

const dataArb = fc.tuple(fc.integer({ min: 0, max: 1400 }), fc.integer({ min: 0, max: 1e6 })).map(([n, tag]) => content(`r${tag}`, n));
const pathArb = fc.constantFrom(...PATHS);
const fileOpArb: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(pathArb, dataArb).map(([path, data]): Op => ({ kind: 'write', path, data, ...ownerOf(path) })),
  fc.tuple(pathArb, dataArb).map(([path, data]): Op => ({ kind: 'append', path, data: data.subarray(0, 300), ...ownerOf(path) })),
  pathArb.map((path): Op => ({ kind: 'delete', path })),
);
type Step = { op: Op } | { cutAfter: number; op: Op };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fileOpArb },
  { weight: 2, arbitrary: fc.array(fileOpArb, { minLength: 2, maxLength: 4 }).map((ops): Op => ({ kind: 'tx', ops })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom<DataClassId>('callLists', 'directory', 'config'), fc.constantFrom<string | undefined>(undefined, 'alice', 'bob')).map(([cls, user]): Op => ({ kind: 'eraseClass', cls, user })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'remount' }) },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: opArb.map((op) => ({ op })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), opArb).map(([cutAfter, op]) => ({ cutAfter, op })) },
);

test('random operation sequences with reboots and power cuts match the model', () => {
  let cuts = 0;
  let fulls = 0;
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 5, maxLength: 45 }), (steps) => {
      const flash = newFlash(GEOMETRY);
      const crypto = new NodeCryptoEngine(new Keystore());
      let store = mountStore(flash.open('fs'), crypto);
      let model: Model = new Map();
      for (const [i, step] of steps.entries()) {
        const after = applyToModel(model, step.op);
        if (step.op.kind === 'remount') {
          store = mountStore(flash.open('fs'), crypto);
        } else if ('cutAfter' in step) {
          flash.cutPowerAfter(step.cutAfter);
          try {
            runOp(store, step.op);
            flash.cutPowerAfter(null);
          } catch (e) {
            if (e instanceof StorageFullError) { flash.cutPowerAfter(null); fulls++; continue; }
            if (!(e instanceof PowerCutError)) throw e;
            cuts++;
            flash.restorePower();
            store = mountStore(flash.open('fs'), crypto);
            if (diff(store, after).length === 0) model = after;
            else assert.equal(diff(store, model), [], `step ${i}: after a cut the store is neither before nor after ${step.op.kind}`);
            continue;
          }
        } else {
          try {
            runOp(store, step.op);
          } catch (e) {
            if (!(e instanceof StorageFullError)) throw e;
            fulls++;
            assert.equal(diff(store, model), [], `step ${i}: a refused ${step.op.kind} changed nothing`);
            continue;
          }
        }
        model = after;
        assert.equal(diff(store, model), [], `step ${i}: ${step.op.kind}`);
      }
      assert.equal(diff(mountStore(flash.open('fs'), crypto), model), [], 'after a final reboot');
    }),
    { numRuns: 800, seed: 20261125 },
  );
  console.log(`model test: ${cuts} power cuts, ${fulls} refused writes (partition full)`);
  assert.ok(cuts > 20, 'power cuts were exercised');
});

test('a sequence that fills the partition is refused cleanly and recovers after deletes', () => {
  const flash = newFlash(GEOMETRY);
  const crypto = new NodeCryptoEngine(new Keystore());
  const store = mountStore(flash.open('fs'), crypto);
  let model: Model = new Map();
  let refused = 0;
  for (let i = 0; i < 40; i++) {
    const op: Op = { kind: 'write', path: `f${i}`, cls: 'config', data: content(`f${i}`, 400) };
    try {
      runOp(store, op);
      model = applyToModel(model, op);
    } catch (e) {
      if (!(e instanceof StorageFullError)) throw e;
      refused++;
    }
  }
  assert.ok(refused > 0, 'the partition filled up');
  assert.equal(diff(store, model), []);
  for (const path of [...model.keys()].slice(0, 4)) {
    store.delete(path);
    model = applyToModel(model, { kind: 'delete', path });
  }
  store.write('after', content('after', 400), { cls: 'config' });
  model = applyToModel(model, { kind: 'write', path: 'after', cls: 'config', data: content('after', 400) });
  assert.equal(diff(mountStore(flash.open('fs'), crypto), model), []);
});

test.run();
