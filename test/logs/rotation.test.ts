/**
 * Rotation of the flash logs (firmware/logs/rotating-log-file.ts) and the
 * logger's flash sink (log-flash-writer.ts), on a real flash store over a
 * virtual NOR partition: size-based rotation, a bounded number of files
 * with the oldest deleted first, batches written by timer (never inside
 * the caller), bursts bounded in RAM with the loss counted, and power cuts
 * at every flash operation of a rotating batch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOARDS } from '../../hal/boards';
import { createGuard } from '../../firmware/kernel/guard';
import { Logger } from '../../firmware/kernel/logger';
import { Timers } from '../../firmware/kernel/timers';
import { utf8Decode } from '../../firmware/kernel/text-codec';
import { LogFlashWriter, MAX_BUFFER_BYTES } from '../../firmware/logs/log-flash-writer';
import { RotatingLogFile, generationPath, type LogLimits } from '../../firmware/logs/rotating-log-file';
import { StorageFullError } from '../../firmware/storage/errors';
import { FileStore } from '../../firmware/storage/file-store';
import { VirtualClock } from '../../sim/devices/clock';
import { Keystore, NodeCryptoEngine } from '../../sim/devices/crypto';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';

const limits = (maxBytes: number, maxFiles: number) => (): LogLimits => ({ maxBytes, maxFiles });

function fresh(): { flash: VirtualFlash; crypto: NodeCryptoEngine; store: FileStore } {
  const flash = new VirtualFlash(BOARDS['desk-500'].flash);
  const crypto = new NodeCryptoEngine(new Keystore());
  return { flash, crypto, store: FileStore.mount(flash.open('fs'), crypto) };
}

const line = (i: number) => `2026-01-01T00:00:00.000Z|calls|1|0|line ${String(i).padStart(5, '0')} `.padEnd(99, 'x');

test('a log rotates by size: each file stays within the limit and holds whole lines', () => {
  const { store } = fresh();
  const log = new RotatingLogFile(store, 'app', limits(1000, 10));
  for (let i = 0; i < 35; i++) log.append([line(i)]);
  assert.equal(log.generations(), [1, 2, 3, 4]);
  for (const g of log.generations()) {
    const text = utf8Decode(log.readGeneration(g));
    assert.ok(text.length <= 1000, `generation ${g} is ${text.length} bytes`);
    assert.ok(text.endsWith('\n'));
  }
  assert.equal(log.text().trim().split('\n'), Array.from({ length: 35 }, (_, i) => line(i)));
});

test('at the file limit the oldest generations are deleted first, in the rotating transaction', () => {
  const { store } = fresh();
  const log = new RotatingLogFile(store, 'app', limits(1000, 3));
  const deleted: number[] = [];
  for (let i = 0; i < 60; i++) deleted.push(...log.append([line(i)]).deleted);
  assert.equal(log.generations(), [4, 5, 6]);
  assert.equal(deleted, [1, 2, 3]);
  for (const g of [1, 2, 3]) assert.is(store.read(generationPath('app', g)), null);
  const kept = log.text().trim().split('\n');
  assert.is(kept[kept.length - 1], line(59), 'the newest line is kept');
  assert.is(kept[0], line(30), 'what is kept is the newest part, contiguous');
  // A batch larger than a file spreads over several generations and still keeps only the newest three.
  const result = log.append(Array.from({ length: 25 }, (_, i) => line(100 + i)));
  assert.is(result.rotations, 3);
  assert.equal(log.generations(), [7, 8, 9]);
  assert.is(log.text().trim().split('\n').pop(), line(124));
});

test('a remount finds the generations and goes on where it stopped', () => {
  const { flash, crypto, store } = fresh();
  const a = new RotatingLogFile(store, 'boot', limits(1000, 3));
  for (let i = 0; i < 15; i++) a.append([line(i)]);
  const b = new RotatingLogFile(FileStore.mount(flash.open('fs'), crypto), 'boot', limits(1000, 3));
  assert.equal(b.generations(), a.generations());
  assert.is(b.currentSize(), a.currentSize());
  b.append([line(15)]);
  assert.equal(b.text().trim().split('\n'), Array.from({ length: 16 }, (_, i) => line(i)));
});

function writerRig(maxBytes = 4000, maxFiles = 3) {
  const { flash, crypto, store } = fresh();
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const logger = new Logger(() => clock.now(), 0);
  const sys = logger.component('sys');
  const timers = new Timers(clock, createGuard(sys));
  const files = { app: new RotatingLogFile(store, 'app', limits(maxBytes, maxFiles)), boot: new RotatingLogFile(store, 'boot', limits(maxBytes, maxFiles)) };
  const rotated: string[] = [];
  const writer = new LogFlashWriter(files, timers, { onRotate: (n) => rotated.push(n), onWriteError: () => {} });
  writer.switchTo('app');
  logger.addSink(writer.sink);
  return { flash, crypto, store, clock, logger, files, writer, rotated, log: logger.component('calls') };
}

test('logging never programs flash in the caller: lines wait in RAM and a timer writes them in one batch', () => {
  const rig = writerRig();
  const before = rig.store.stats().programOps;
  for (let i = 0; i < 20; i++) rig.log.info(`event ${i}`);
  assert.is(rig.store.stats().programOps, before, 'no flash operation while logging');
  assert.is(rig.writer.bufferedLines(), 20);
  rig.clock.advance(5000);
  assert.is(rig.writer.bufferedLines(), 0);
  const ops = rig.store.stats().programOps - before;
  assert.ok(ops > 0 && ops <= 4, `one batch: ${ops} program operations for 20 lines`);
  assert.match(rig.files.app.text(), /\|calls\|1\|0\|event 19\n$/);
});

test('an error line is written on the next tick; a burst past the RAM bound is dropped and counted as missed', () => {
  const rig = writerRig(64 * 1024, 4);
  rig.log.error('disk on fire');
  rig.clock.advance(0);
  assert.match(rig.files.app.text(), /\|calls\|4\|0\|disk on fire/);
  // 100-character lines: a burst of 2000 in one event exceeds the RAM buffer.
  for (let i = 0; i < 2000; i++) rig.log.info(`burst ${i} `.padEnd(100, 'y'));
  const dropped = rig.writer.droppedLines();
  assert.ok(dropped > 0 && dropped < 2000, `dropped ${dropped}`);
  assert.ok(rig.writer.bufferedLines() * 100 <= MAX_BUFFER_BYTES);
  rig.clock.advance(0);
  rig.log.info('after the burst');
  rig.clock.advance(5000);
  const last = rig.files.app.text().trim().split('\n').pop()!;
  assert.match(last, new RegExp(`\\|calls\\|1\\|${dropped}\\|after the burst$`), 'the next line carries the missed count');
});

test('rotation through the writer calls onRotate once per batch that starts a new file', () => {
  const rig = writerRig(2000, 3);
  for (let i = 0; i < 30; i++) rig.log.info(`x ${i}`.padEnd(90, 'z'));
  rig.clock.advance(5000);
  assert.equal(rig.rotated, ['app']);
  assert.ok(rig.files.app.generations().length === 2);
});

test('power cut at every flash operation of a rotating batch: the committed lines survive, the batch is all or nothing', () => {
  // Measure how many flash operations the rotating batch takes.
  const probe = writerRig(2000, 2);
  for (let i = 0; i < 10; i++) probe.log.info(`early ${i}`.padEnd(90, 'e'));
  probe.clock.advance(5000);
  const committed = probe.files.app.text();
  const opsBefore = probe.store.stats().programOps + probe.store.stats().eraseOps;
  for (let i = 0; i < 25; i++) probe.log.info(`late ${i}`.padEnd(90, 'l'));
  probe.clock.advance(5000);
  const batchOps = probe.store.stats().programOps + probe.store.stats().eraseOps - opsBefore;
  assert.ok(probe.rotated.length === 1 && batchOps >= 3, `the batch rotates (${batchOps} operations)`);
  const complete = probe.files.app.text();

  for (let cut = 1; cut <= batchOps; cut++) {
    const rig = writerRig(2000, 2);
    for (let i = 0; i < 10; i++) rig.log.info(`early ${i}`.padEnd(90, 'e'));
    rig.clock.advance(5000);
    assert.is(rig.files.app.text(), committed);
    for (let i = 0; i < 25; i++) rig.log.info(`late ${i}`.padEnd(90, 'l'));
    rig.flash.cutPowerAfter(cut);
    try {
      rig.writer.flush();
    } catch (e) {
      if (!(e instanceof PowerCutError)) throw e;
    }
    rig.flash.restorePower();
    const after = new RotatingLogFile(FileStore.mount(rig.flash.open('fs'), rig.crypto), 'app', limits(2000, 2)).text();
    // Before the cut the log held `committed`; after it holds that or the complete batch (the rotation may have
    // deleted the oldest generation in the same transaction), never a torn line.
    const lines = after.split('\n').filter(Boolean);
    assert.ok(after === committed || after === complete, `cut after ${cut} operations: ${lines.length} lines`);
    for (const l of lines) assert.match(l, /^2026-01-01T00:00:00\.000Z\|calls\|1\|0\|(early|late) \d+/);
  }
});

test('flash full: the oldest log files give way to new lines; with nothing left to drop, the loss is reported once', () => {
  const rig = writerRig(4000, 8);
  const made: string[] = [];
  const errors: string[] = [];
  const writer = new LogFlashWriter(rig.files, new Timers(rig.clock, createGuard(rig.logger.component('sys'))), { onRotate: () => {}, onWriteError: (_n, m) => errors.push(m), onMadeRoom: (m) => made.push(m) });
  writer.switchTo('app');
  for (let i = 0; i < 120; i++) writer.sink(line(i));
  writer.flush();
  const before = rig.files.app.generations();
  assert.ok(before.length >= 3);
  // Someone else's data fills the rest of the partition.
  let n = 0;
  try {
    for (;;) rig.store.write(`cfg/fill${n++}`, new Uint8Array(3000).fill(0x41), { cls: 'config' });
  } catch (e) {
    assert.instance(e, StorageFullError);
  }
  for (let i = 120; i < 160; i++) writer.sink(line(i));
  writer.flush();
  assert.ok(made.length >= 1, 'an old file was deleted to make room');
  assert.equal(errors, []);
  const after = rig.files.app.generations();
  assert.ok(after[0] > before[0], `oldest generation ${before[0]} dropped (now ${after.join(',')})`);
  assert.is(rig.files.app.text().trim().split('\n').pop(), line(159), 'the new lines are on flash');
  // Nothing left to drop: the batch is lost, said once.
  while (rig.files.app.dropOldest() !== null);
  try {
    for (;;) rig.store.write(`cfg/fill${n++}`, new Uint8Array(3000).fill(0x41), { cls: 'config' });
  } catch {
    // full again
  }
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 60; i++) writer.sink(line(1000 + i));
    writer.flush();
  }
  assert.is(errors.length, 1, 'reported once until a write succeeds');
  assert.match(errors[0], /lines lost/);
});

test.run();
