/**
 * The exact heap peak: a runtime made by newPeakRuntime has its allocator
 * keep the most bytes it held at once, so a spike inside one native call
 * (a big string made and dropped) is counted, where sampling QuickJS's
 * estimate at interrupt polls and host calls sees only what is left after.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mallocBytes, newBytecodeQuickJSModule, newPeakRuntime } from '../../sim/host/quickjs-bytecode-module';
import { createPhone } from '../../sim/phone';

const MIB = 1024 * 1024;

test('the allocator keeps the peak of a spike inside one native call, and starts again on reset', async () => {
  const module = await newBytecodeQuickJSModule();
  const peak = newPeakRuntime(module);
  const vm = peak.runtime.newContext();
  try {
    const before = mallocBytes(module, peak.runtime);
    assert.ok(peak.peak() >= before, 'the peak is at least what is held');
    // 3 MiB made and dropped within one evaluation: no interrupt poll, no host call in between.
    vm.unwrapResult(vm.evalCode("'x'.repeat(3 << 20).length")).dispose();
    const after = mallocBytes(module, peak.runtime);
    assert.ok(after < before + MIB, `the string is gone again (${after} bytes held, ${before} before)`);
    assert.ok(peak.peak() >= before + 3 * MIB, `peak ${peak.peak()} counts the 3 MiB`);
    peak.resetPeak();
    assert.ok(peak.peak() < before + MIB, 'a reset starts from what is held now');
  } finally {
    vm.dispose();
    peak.runtime.dispose();
    peak.release();
  }
});

test('a phone that tracks its peak keeps its allocator\'s too: exact, above QuickJS\'s sampled estimate', async () => {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', provisioningDir: null, trackMemoryPeak: true });
  try {
    await phone.boot();
    phone.screen();
    const sampled = phone.memoryPeak();
    const exact = phone.allocatorPeak();
    assert.ok(sampled > 0 && exact >= sampled, `allocator peak ${exact} at least the sampled estimate ${sampled}`);
    assert.ok(exact < sampled * 1.6, `the same heap counted two ways (${exact} vs ${sampled})`);
  } finally {
    phone.dispose();
  }
  const untracked = await createPhone({ board: 'desk-500', engine: 'quickjs', provisioningDir: null });
  try {
    await untracked.boot();
    assert.is(untracked.allocatorPeak(), 0, 'kept only when asked for');
  } finally {
    untracked.dispose();
  }
});

test.run();
