/**
 * The flash queue on its own (store under Node, small flash so garbage
 * collection runs): bounded with every drop reported, and a power cut at
 * every flash operation of an enqueue (plain and dropping the oldest) and of
 * an acknowledge loses nothing committed and leaves nothing torn.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AnalyticsQueue } from '../../firmware/analytics/analytics-queue';
import { NodeCryptoEngine, Keystore } from '../../sim/devices/crypto';
import { cloneKeystore, mountStore, newFlash } from '../storage/store-harness';

function fresh() {
  const flash = newFlash();
  const keystore = new Keystore();
  const store = mountStore(flash.open('fs'), new NodeCryptoEngine(keystore));
  return { flash, keystore, store };
}

const body = (n: number, droppedBefore = 0) => ({ id: `id-${n}`, body: JSON.stringify({ id: `id-${n}`, n, pad: 'x'.repeat(150), ...(droppedBefore ? { droppedBefore } : {}) }) });

test('bounded: the oldest go first, and the drops are reported by the messages that follow, none lost from the count', () => {
  const { store } = fresh();
  const q = new AnalyticsQueue(store, 3, () => {});
  const reported: number[] = [];
  for (let n = 1; n <= 7; n++) q.enqueue('cdr', (d) => { reported[n] = d; return body(n, d); });
  assert.is(q.length, 3);
  const left: number[] = [];
  for (let m = q.oldest(); m; m = q.oldest()) {
    left.push(JSON.parse(m.body).n);
    q.acknowledge(m.seq);
  }
  assert.equal(left, [5, 6, 7]);
  const carried = left.reduce((sum, n) => sum + reported[n], 0);
  assert.is(carried, 4, 'the 4 dropped messages are all counted by the ones that went out');
});

test('kept across a remount, in order', () => {
  const { flash, keystore, store } = fresh();
  const q = new AnalyticsQueue(store, 10, () => {});
  for (let n = 1; n <= 4; n++) q.enqueue('log', () => body(n));
  q.acknowledge(q.oldest()!.seq);
  const again = new AnalyticsQueue(mountStore(flash.open('fs'), new NodeCryptoEngine(keystore)), 10, () => {});
  assert.equal(drain(again), [2, 3, 4]);
});

function drain(q: AnalyticsQueue): number[] {
  const out: number[] = [];
  for (let m = q.oldest(); m; m = q.oldest()) {
    out.push(JSON.parse(m.body).n);
    q.acknowledge(m.seq);
  }
  return out;
}

/** Cut power after each op of `step` in turn; the queue remounted must be `before` or `after`, never anything else. */
function cutEverywhere(capacity: number, prefill: number, step: (q: AnalyticsQueue) => void, before: number[], after: number[]): void {
  const outcomes = new Set<string>();
  for (let ops = 1; ; ops++) {
    const { flash, keystore, store } = fresh();
    const q = new AnalyticsQueue(store, capacity, () => {});
    for (let n = 1; n <= prefill; n++) q.enqueue('cdr', (d) => body(n, d));
    const keys = cloneKeystore(keystore);
    const opsBefore = flash.operationCount();
    flash.cutPowerAfter(ops);
    let completed = true;
    try {
      step(q);
    } catch {
      completed = false;
    }
    const used = flash.operationCount() - opsBefore;
    flash.restorePower();
    const remounted = new AnalyticsQueue(mountStore(flash.open('fs'), new NodeCryptoEngine(keys)), capacity, () => {});
    const got = drain(remounted);
    const ok = JSON.stringify(got) === JSON.stringify(before) || JSON.stringify(got) === JSON.stringify(after);
    assert.ok(ok, `cut after ${ops} ops: got ${JSON.stringify(got)}, expected ${JSON.stringify(before)} or ${JSON.stringify(after)}`);
    outcomes.add(JSON.stringify(got));
    if (completed && ops > used) break;
  }
  assert.is(outcomes.size, 2, 'both outcomes occur across the cut points');
}

test('power cut at every flash operation of an enqueue: the message is wholly there or not at all', () => {
  cutEverywhere(10, 3, (q) => q.enqueue('cdr', () => body(4)), [1, 2, 3], [1, 2, 3, 4]);
});

test('power cut at every flash operation of an enqueue into a full queue: the drop and the write happen together or not at all', () => {
  cutEverywhere(3, 3, (q) => q.enqueue('cdr', (d) => body(4, d)), [1, 2, 3], [2, 3, 4]);
});

test('power cut at every flash operation of an acknowledge: the message is removed or kept (then sent again), the others intact', () => {
  cutEverywhere(10, 3, (q) => q.acknowledge(q.oldest()!.seq), [1, 2, 3], [2, 3]);
});

test.run();
