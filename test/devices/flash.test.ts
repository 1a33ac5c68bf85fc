import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { BOARDS } from '../../hal/boards';
import { PowerCutError, VirtualFlash } from '../../sim/devices/flash';
import { FlashImageError, loadFlashImage } from '../../sim/phone';

const GEOMETRY = { blockSize: 256, progSize: 16, partitions: [{ name: 'nvram', size: 1024 }, { name: 'fs', size: 2048 }] };
const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

test('a blank flash reads 0xFF everywhere and has the board partitions', () => {
  const flash = new VirtualFlash(GEOMETRY);
  assert.equal(flash.partitions(), ['nvram', 'fs']);
  assert.ok(flash.open('fs').read(0, 2048).every((b) => b === 0xff));
  assert.throws(() => flash.open('nope'), /no flash partition "nope"/);
});

test('program only clears bits: the stored byte is old AND new', () => {
  const p = new VirtualFlash(GEOMETRY).open('nvram');
  p.program(32, bytes(16, 0x0f));
  assert.equal(p.read(32, 1)[0], 0x0f);
  p.program(32, bytes(16, 0xf3));
  assert.equal(p.read(32, 1)[0], 0x03, '0x0f & 0xf3');
  p.program(32, bytes(16, 0xff));
  assert.equal(p.read(32, 1)[0], 0x03, 'programming 1s cannot set bits back');
  assert.equal(p.read(48, 1)[0], 0xff, 'neighbouring unit untouched');
});

test('erase sets exactly one block to 0xFF', () => {
  const p = new VirtualFlash(GEOMETRY).open('nvram');
  p.program(0, bytes(1024, 0x00));
  p.erase(1);
  const all = p.read(0, 1024);
  assert.ok(all.subarray(256, 512).every((b) => b === 0xff), 'block 1 erased');
  assert.ok(all.subarray(0, 256).every((b) => b === 0x00), 'block 0 kept');
  assert.ok(all.subarray(512).every((b) => b === 0x00), 'blocks 2, 3 kept');
  assert.throws(() => p.erase(4), (e: Error) => e instanceof RangeError);
  assert.throws(() => p.erase(-1), (e: Error) => e instanceof RangeError);
});

test('program offsets and lengths must be multiples of progSize; accesses stay inside the partition', () => {
  const p = new VirtualFlash(GEOMETRY).open('nvram');
  assert.throws(() => p.program(8, bytes(16, 0)), /not aligned to the program size 16/);
  assert.throws(() => p.program(0, bytes(15, 0)), /not aligned/);
  assert.throws(() => p.program(1024, bytes(16, 0)), (e: Error) => e instanceof RangeError);
  assert.throws(() => p.read(1000, 100), /outside partition nvram/);
  assert.ok(p.read(0, 1024).every((b) => b === 0xff), 'refused operations wrote nothing');
});

test('partitions are separate: writing one leaves the other blank', () => {
  const flash = new VirtualFlash(GEOMETRY);
  flash.open('nvram').program(1008, bytes(16, 0));
  assert.ok(flash.open('fs').read(0, 2048).every((b) => b === 0xff));
  assert.equal(flash.image()[1008], 0, 'nvram comes first in the raw image');
  assert.equal(flash.image()[1024], 0xff);
});

test('wear: erase counters per block, program ops and bytes per partition', () => {
  const flash = new VirtualFlash(GEOMETRY);
  const p = flash.open('fs');
  p.erase(2); p.erase(2); p.erase(7);
  p.program(0, bytes(32, 0)); p.program(512, bytes(16, 0));
  const fsStats = flash.stats().find((s) => s.name === 'fs')!;
  assert.equal(fsStats.eraseCounts, [0, 0, 2, 0, 0, 0, 0, 1]);
  assert.equal(fsStats.eraseOps, 3);
  assert.equal(fsStats.programOps, 2);
  assert.equal(fsStats.programBytes, 48);
  const nv = flash.stats().find((s) => s.name === 'nvram')!;
  assert.equal(nv.eraseCounts, [0, 0, 0, 0]);
  assert.equal(flash.operationCount(), 5);
});

test('wear: erase counters of a partition of several counter pages, across page edges', () => {
  const flash = new VirtualFlash({ blockSize: 256, progSize: 16, partitions: [{ name: 'big', size: 200 * 256 }] });
  const p = flash.open('big');
  for (const b of [0, 63, 64, 64, 127, 128, 199, 199, 199]) p.erase(b);
  const counts = flash.stats()[0].eraseCounts;
  assert.is(counts.length, 200);
  const nonzero = Object.fromEntries(counts.map((c, b) => [b, c]).filter(([, c]) => c > 0));
  assert.equal(nonzero, { 0: 1, 63: 1, 64: 2, 127: 1, 128: 1, 199: 3 });
});

test('a desk-500 flash with one programmed block costs its 4 KiB and little more of host memory (no table of every block, no counters of blocks never erased)', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const hostBytes = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const geometry = BOARDS['desk-500'].flash;
  const n = 200;
  hostBytes();
  const before = hostBytes();
  const flashes = Array.from({ length: n }, () => new VirtualFlash(geometry));
  for (const f of flashes) {
    const fsPart = f.open('fs');
    fsPart.erase(3);
    fsPart.program(3 * geometry.blockSize, bytes(16, 0));
  }
  const each = (hostBytes() - before) / n;
  // A table of the 1,552 blocks and every partition's counters took ~19 KiB.
  assert.ok(each < geometry.blockSize + 4 * 1024, `${each} bytes a flash`);
  assert.is(flashes[0].residentBytes(), geometry.blockSize);
});

test('power cut after the Nth program leaves a torn page (a written prefix), then nothing works until power returns', () => {
  let sawPartial = false;
  for (let n = 1; n <= 6; n++) {
    const flash = new VirtualFlash(GEOMETRY);
    let cuts = 0;
    flash.onPowerCut(() => cuts++);
    const p = flash.open('fs');
    flash.cutPowerAfter(n);
    for (let i = 1; i < n; i++) p.program(i * 256, bytes(256, 0x00));
    assert.throws(() => p.program(0, bytes(256, 0x00)), (e: Error) => e instanceof PowerCutError);
    assert.equal(cuts, 1, 'cut listeners told once');
    assert.throws(() => p.read(0, 16), /power cut/);
    assert.throws(() => p.erase(0), /power cut/);
    flash.restorePower();
    const page = p.read(0, 256);
    const written = page.findIndex((b) => b === 0xff);
    assert.ok(written >= 0, `op ${n}: the torn program did not complete`);
    assert.ok(page.subarray(0, written).every((b) => b === 0), 'written part is a prefix');
    assert.ok(page.subarray(written).every((b) => b === 0xff), 'rest untouched');
    for (let i = 1; i < n; i++) assert.ok(p.read(i * 256, 256).every((b) => b === 0), `earlier op ${i} complete`);
    if (written > 0) sawPartial = true;
    p.program(0, bytes(256, 0x00));
    assert.ok(p.read(0, 256).every((b) => b === 0), 'works again after power returns');
  }
  assert.ok(sawPartial, 'at least one cut left a partly programmed page');
});

test('power cut during an erase leaves the block partly erased', () => {
  const flash = new VirtualFlash(GEOMETRY);
  const p = flash.open('nvram');
  p.program(0, bytes(1024, 0x00));
  flash.cutPowerAfter(2);
  p.erase(0);
  assert.throws(() => p.erase(1), (e: Error) => e instanceof PowerCutError);
  flash.restorePower();
  assert.ok(p.read(0, 256).every((b) => b === 0xff), 'first erase complete');
  const block = p.read(256, 256);
  const erased = block.findIndex((b) => b === 0x00);
  assert.ok(erased >= 0 && erased < 256, 'the torn erase did not finish');
  assert.ok(block.subarray(0, erased).every((b) => b === 0xff) && block.subarray(erased).every((b) => b === 0x00));
  assert.ok(p.read(512, 512).every((b) => b === 0x00), 'other blocks untouched');
});

test('cutPowerAfter(0) cuts now; a cancelled cut (null) never fires', () => {
  const flash = new VirtualFlash(GEOMETRY);
  flash.cutPowerAfter(3);
  flash.cutPowerAfter(null);
  const p = flash.open('fs');
  for (let i = 0; i < 5; i++) p.program(i * 16, bytes(16, 0));
  flash.cutPowerAfter(0);
  assert.throws(() => p.read(0, 1), (e: Error) => e instanceof PowerCutError);
});

test('save and load a raw image; a wrong-size image is refused with a clear error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-test-'));
  try {
    const profile = BOARDS['desk-99'];
    const flash = new VirtualFlash(profile.flash);
    flash.open('fs').program(4096, new Uint8Array(16).map((_, i) => i));
    const file = path.join(dir, 'phone.bin');
    fs.writeFileSync(file, flash.image());
    assert.equal(fs.statSync(file).size, BOARDS['desk-99'].flash.partitions.reduce((sum, p) => sum + p.size, 0));
    const again = loadFlashImage(file, profile);
    assert.equal(Array.from(again.open('fs').read(4096, 16)), Array.from({ length: 16 }, (_, i) => i));
    assert.equal(Buffer.compare(Buffer.from(again.image()), Buffer.from(flash.image())), 0);

    fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(1000));
    assert.throws(() => loadFlashImage(path.join(dir, 'short.bin'), profile),
      (e: Error) => e instanceof FlashImageError && /1000 bytes/.test(e.message) && e.message.includes(`${BOARDS['desk-99'].flash.partitions.reduce((sum, p) => sum + p.size, 0)} bytes`) && /desk-99/.test(e.message));
    assert.throws(() => loadFlashImage(file, BOARDS['desk-500']), (e: Error) => e instanceof FlashImageError && /desk-500/.test(e.message));
    assert.throws(() => loadFlashImage(path.join(dir, 'missing.bin'), profile), /cannot read flash image/);
    assert.throws(() => VirtualFlash.fromImage(GEOMETRY, new Uint8Array(10)), /flash image is 10 bytes, but this board's flash is 3072 bytes/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('storage is sparse: erased blocks hold no memory, programmed ones a block each', () => {
  const flash = new VirtualFlash(GEOMETRY);
  assert.is(flash.residentBytes(), 0);
  const p = flash.open('fs');
  p.program(256 + 16, bytes(16, 0x12));
  assert.is(flash.residentBytes(), 256);
  p.program(250 - 10, bytes(32, 0)); // straddles blocks 0 and 1
  assert.is(flash.residentBytes(), 512);
  assert.equal(Array.from(p.read(240, 48)), [...new Array(32).fill(0), ...new Array(16).fill(0x12)]);
  p.erase(0);
  p.erase(1);
  assert.is(flash.residentBytes(), 0);
  assert.ok(p.read(0, 2048).every((b) => b === 0xff));
  assert.is(VirtualFlash.fromImage(GEOMETRY, new Uint8Array(3072).fill(0xff)).residentBytes(), 0);
});

test.run();
