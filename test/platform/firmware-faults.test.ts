/**
 * Firmware that exceeds its budgets or throws is reported as such, never as a
 * host crash, and the phone (and the process) stays usable. Uses the
 * deliberately faulty image built from test/fixtures/faulty-firmware.
 */
import { test } from 'uvu';
import { BOARDS } from '../../hal/boards';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Phone } from '../../sim/phone';
import { bootFaultyPhone, faultyImage } from './faulty-image';

const ROOT = path.resolve(__dirname, '..', '..');

async function expectAlive(phone: Phone): Promise<void> {
  await phone.press('0');
  assert.is(phone.state, 'running');
  assert.equal(phone.screen().lines, ['alive']);
}

async function faultOnKey(phone: Phone, key: '1' | '2' | '3' | '4') {
  const before = phone.faults.length;
  await phone.press(key);
  assert.is(phone.faults.length, before + 1, `one fault for key ${key}`);
  return phone.faults[phone.faults.length - 1];
}

test.before(async () => {
  await faultyImage();
});

for (const board of ['desk-99', 'desk-500']) {
  test(`${board}: allocating past the memory budget is a memory-budget fault; memory is given back`, async () => {
    const phone = await bootFaultyPhone({ board });
    try {
      const fault = await faultOnKey(phone, '1');
      assert.is(fault.kind, 'memory-budget');
      assert.match(fault.message, /out of memory|memory budget exceeded/);
      assert.ok(phone.log().some((l) => l.startsWith('[sim] firmware fault (memory-budget) in key 1')));
      await expectAlive(phone);
      assert.ok(phone.memoryUsage() < phone.profile.memoryBudgetBytes / 2, `memory after the fault: ${phone.memoryUsage()}`);
      // A second time works the same: the runtime was not left broken.
      assert.is((await faultOnKey(phone, '1')).kind, 'memory-budget');
      await expectAlive(phone);
    } finally {
      phone.dispose();
    }
  });
}

test('unbounded recursion is a stack-budget fault, with a condensed mapped stack', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    const fault = await faultOnKey(phone, '2');
    assert.is(fault.kind, 'stack-budget');
    assert.match(fault.message, /stack overflow/);
    assert.match(fault.stack, /at deep \(test\/fixtures\/faulty-firmware\/entry\.ts:\d+:\d+\) \[repeated \d+ more times\]/);
    assert.ok(fault.stack.split('\n').length <= 41, 'stack kept short');
    await expectAlive(phone);
  } finally {
    phone.dispose();
  }
});

test('an endless loop is a cpu-budget fault, stopped within the per-event budget', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-500' });
  try {
    const t0 = Date.now();
    const fault = await faultOnKey(phone, '3');
    const ms = Date.now() - t0;
    assert.is(fault.kind, 'cpu-budget');
    assert.match(fault.message, /interrupted/);
    // The desk-500's event budget is sized for a 10,000-entry directory merge (hal/boards.ts).
    assert.ok(ms < BOARDS['desk-500'].cpuBudget.msPerEvent + 4000, `stopped after ${ms} ms`);
    await expectAlive(phone);
  } finally {
    phone.dispose();
  }
});

for (const engine of ['quickjs', 'node'] as const) {
  test(`${engine}: an uncaught firmware error surfaces in Node with its stack mapped to the firmware .ts line`, async () => {
    const phone = await bootFaultyPhone({ engine });
    try {
      const fault = await faultOnKey(phone, '4');
      assert.is(fault.kind, 'firmware-exception');
      assert.is(fault.message, 'Error: module "twice" registered twice');
      const frame = /firmware\/kernel\/module-registry\.ts:(\d+):\d+/.exec(fault.stack);
      assert.ok(frame, fault.stack);
      const source = fs.readFileSync(path.join(ROOT, 'firmware/kernel/module-registry.ts'), 'utf8').split('\n');
      assert.match(source[Number(frame![1]) - 1], /registered twice/, 'the mapped line is the throw');
      assert.match(fault.stack, /test\/fixtures\/faulty-firmware\/entry\.ts:\d+/, 'caller frame mapped too');
      assert.not.match(fault.stack, /firmware\.js:\d+/, 'no unmapped bundle frames');
      const logged = phone.log().find((l) => l.startsWith('[sim] firmware fault (firmware-exception) in key 4'));
      assert.ok(logged && logged.includes('module-registry.ts'), 'the mapped stack is logged');
      await expectAlive(phone);
    } finally {
      phone.dispose();
    }
  });

  test(`${engine}: an exception in a guarded event handler is logged by the firmware and the phone stays up`, async () => {
    const phone = await bootFaultyPhone({ engine });
    try {
      await phone.press('5');
      assert.equal(phone.screen().lines, ['survived 5']);
      assert.equal(phone.faults, [], 'the kernel guard caught it: no host-level fault');
      assert.ok(phone.log().some((l) => /\|sys\|4\|0\|exception in event key: Error: guarded handler bug on key 5/.test(l)));
      await expectAlive(phone);
    } finally {
      phone.dispose();
    }
  });
}

test('after every kind of fault in one phone, async HAL calls and timers still work, and a new phone boots', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    for (const key of ['1', '2', '3', '4', '5'] as const) await phone.press(key);
    assert.equal(phone.faults.map((f) => f.kind), ['memory-budget', 'stack-budget', 'cpu-budget', 'firmware-exception']);
    await phone.press('6');
    assert.equal(phone.screen().lines, ['dialled call-1']);
    await phone.press('8');
    await phone.advance(1000);
    assert.match(phone.screen().lines[0], /^tick \d+$/);
  } finally {
    phone.dispose();
  }
  const next = await bootFaultyPhone({ board: 'desk-99' });
  try {
    assert.equal(next.screen().lines, ['booted', 'reason power-on #1']);
  } finally {
    next.dispose();
  }
});

test('memory the firmware keeps is measured against the budget: many small objects held after catching the error', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    await phone.press('soft1');
    const fault = phone.faults[phone.faults.length - 1];
    assert.ok(fault, 'the firmware could not catch its way past the budget');
    assert.is(fault.kind, 'memory-budget');
    assert.match(fault.message, /memory budget exceeded: the firmware used \d+ bytes, its board allows 8388608/);
    await phone.press('soft2');
    await expectAlive(phone);
  } finally {
    phone.dispose();
  }
});

test('memory the firmware keeps is measured against the budget: a few huge buffers (QuickJS alone would allow them)', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-99' });
  try {
    await phone.press('soft3');
    assert.equal(phone.screen().lines, ['holding 100 MiB']);
    // Light events are measured at least every 128 entries (at once when the WASM heap grew).
    for (let i = 0; i < 129 && phone.faults.length === 0; i++) await phone.press('0');
    assert.is(phone.faults.length, 1, 'reported once');
    assert.is(phone.faults[0].kind, 'memory-budget');
    assert.match(phone.faults[0].message, /the firmware holds \d{9} bytes, its board allows 8388608/);
    assert.ok(phone.log().some((l) => l.startsWith('[sim] firmware fault (memory-budget)')));
    for (let i = 0; i < 40; i++) await phone.press('0');
    assert.is(phone.faults.length, 1, 'not repeated while nothing changes');
    await phone.press('soft2');
    for (let i = 0; i < 129; i++) await phone.press('0');
    assert.ok(phone.memoryUsage() < 8 * 1024 * 1024);
    await phone.press('soft3');
    for (let i = 0; i < 129 && phone.faults.length === 1; i++) await phone.press('0');
    assert.is(phone.faults.length, 2, 'reported again after it went away and came back');
  } finally {
    phone.dispose();
  }
});

test('native recursion that exhausts Node\'s stack inside QuickJS (deeply nested JSON) is a stack-budget fault; the firmware restarts', async () => {
  // desk-500's 512 KiB QuickJS stack budget: under desk-99's 256 KiB, QuickJS's own check stops the parse
  // first once V8 has optimized the WASM module (a plain stack-budget fault, no crash to test here).
  const phone = await bootFaultyPhone({ board: 'desk-500' });
  try {
    await phone.press('soft4');
    assert.is(phone.faults.length, 1);
    assert.is(phone.faults[0].kind, 'stack-budget');
    assert.match(phone.faults[0].message, /host stack ran out inside QuickJS/);
    assert.is(phone.state, 'running');
    assert.is(phone.lastBootReason(), 'crash');
    assert.equal(phone.screen().lines, ['booted', 'reason crash #2']);
    assert.ok(phone.log().some((l) => l.includes('the firmware engine crashed: restarting the firmware')));
    await expectAlive(phone);
  } finally {
    assert.not.throws(() => phone.dispose(), 'the abandoned runtime is not freed (that would abort the WASM module)');
  }
  const next = await bootFaultyPhone({ board: 'desk-99' });
  try {
    await expectAlive(next);
    await faultOnKey(next, '2');
    assert.is(next.faults[0].kind, 'stack-budget');
  } finally {
    next.dispose();
  }
});

test('desk-500: unbounded recursion is a stack-budget fault whichever stack runs out first, and the phone carries on', async () => {
  const phone = await bootFaultyPhone({ board: 'desk-500' });
  try {
    const fault = await faultOnKey(phone, '2');
    assert.is(fault.kind, 'stack-budget');
    assert.is(phone.state, 'running');
    await expectAlive(phone);
  } finally {
    assert.not.throws(() => phone.dispose());
  }
});

test.run();
