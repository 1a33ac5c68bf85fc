/**
 * Phones created with `sharedCode` (sim/host/shared-quickjs-vm.ts) run in
 * one QuickJS runtime with one copy of the image's code, each in its own
 * context: they must behave as phones with their own runtimes do, keep
 * their globals and intrinsics apart, and keep a runaway phone's CPU and
 * memory faults to that phone.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhone, type Phone } from '../../sim/phone';
import { FaultError } from '../../sim/host/firmware-fault';
import { bootFaultyPhone } from './faulty-image';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';

const KIB = 1024;

async function idlePhone(sharedCode: boolean, mac: string): Promise<Phone> {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', sharedCode, mac });
  await phone.boot();
  assert.is(phone.screen().id, 'idle');
  assert.equal(phone.faults, []);
  return phone;
}

/** The engine and guest context behind a phone (test-only reach into the simulator). */
/** What the test reaches of a QuickJsEngine beyond its public face. */
interface EngineInside {
  readonly sharesCode: boolean;
  readonly vm: QuickJSContext;
  readonly runtime: unknown;
  enter(fn: () => void): void;
  unwrap(r: { value?: QuickJSHandle; error?: QuickJSHandle }): QuickJSHandle;
}

function engineOf(phone: Phone): EngineInside {
  return (phone as unknown as { engineInstance: EngineInside }).engineInstance;
}

/** Evaluates guest code in a phone's own context, as one entry of that phone; the value, dumped. */
function evalInPhone(phone: Phone, code: string): unknown {
  const engine = engineOf(phone);
  let value: unknown;
  engine.enter(() => {
    // As the engine runs its own evaluations: an error becomes a FaultError of its kind.
    const handle = engine.unwrap(engine.vm.evalCode(code));
    value = engine.vm.dump(handle);
    handle.dispose();
  });
  return value;
}

function faultKindOf(run: () => void): string | null {
  try {
    run();
  } catch (e) {
    if (e instanceof FaultError) return e.kind;
    throw e;
  }
  return null;
}

/** Two idle phones sharing one runtime, disposed after `run` whatever it does. */
async function withTwoSharedPhones(macs: [string, string], run: (a: Phone, b: Phone) => Promise<void>): Promise<void> {
  const a = await idlePhone(true, macs[0]);
  try {
    const b = await idlePhone(true, macs[1]);
    try {
      await run(a, b);
    } finally {
      b.dispose();
    }
  } finally {
    a.dispose();
  }
}

test('phones with shared code share one runtime, boot to the same screen as a phone with its own, and hold far less each', async () => {
  const own = await idlePhone(false, '0004f2a00001');
  const a = await idlePhone(true, '0004f2a00001');
  const b = await idlePhone(true, '0004f2a00002');
  try {
    assert.ok(engineOf(a).sharesCode && engineOf(b).sharesCode);
    assert.not.ok(engineOf(own).sharesCode);
    assert.is(engineOf(a).runtime, engineOf(b).runtime, 'one runtime');
    assert.is.not(engineOf(a).vm, engineOf(b).vm, 'a context each');
    assert.equal(a.screen(), own.screen());
    // Its own runtime holds the image's code (~1.4 MiB); a shared-code phone is charged its own state only.
    assert.ok(a.memoryUsage() > 200 * KIB && a.memoryUsage() < own.memoryUsage() - 500 * KIB, `shared ${a.memoryUsage()} bytes, own ${own.memoryUsage()} bytes`);
  } finally {
    for (const p of [own, a, b]) p.dispose();
  }
});

test('each phone keeps its own screen, globals and intrinsics', async () => {
  await withTwoSharedPhones(['0004f2a00003', '0004f2a00004'], async (a, b) => {
      await a.press('select');
      const aAfterSelect = a.screen().id;
      assert.is.not(aAfterSelect, 'idle', 'a left idle');
      assert.is(b.screen().id, 'idle', 'b did not move');
      evalInPhone(a, 'Object.prototype.polluted = "from a"; Array.prototype.push = function () { return -1 }; globalThis.mark = "a"; 0');
      assert.equal(evalInPhone(b, '[typeof ({}).polluted, [1].push(2), typeof mark]'), ['undefined', 2, 'undefined']);
      await b.press('select');
      assert.is(b.screen().id, aAfterSelect, 'b, unpolluted, does what a did');
      assert.equal(b.faults, []);
  });
});

test('a runaway loop and a runaway allocation fault that phone only; the other keeps working', async () => {
  await withTwoSharedPhones(['0004f2a00005', '0004f2a00006'], async (a, b) => {
      assert.is(faultKindOf(() => evalInPhone(a, 'for (;;) {}')), 'cpu-budget');
      const before = a.memoryUsage();
      // 16 MiB is the desk-500's budget; every push holds 800 KB more.
      assert.is(faultKindOf(() => evalInPhone(a, '(function () { const held = []; for (;;) held.push(new Array(100000).fill(1)); })()')), 'memory-budget');
      assert.ok(a.memoryUsage() < before + 1024 * KIB, `what the stopped entry held is freed and no longer charged: ${before} then ${a.memoryUsage()} bytes`);
      await b.press('select');
      assert.is.not(b.screen().id, 'idle');
      await b.press('back');
      assert.is(b.screen().id, 'idle');
      assert.equal(b.faults, []);
      assert.ok(b.memoryUsage() < 4 * 1024 * KIB, `b is charged its own state only: ${b.memoryUsage()} bytes`);
  });
});

test('a phone that leaves gives its memory back to the runtime by the next entry of another, which is not charged for it', async () => {
  await withTwoSharedPhones(['0004f2a00009', '0004f2a0000a'], async (a, b) => {
      const shared = (engineOf(b) as unknown as { shared: { bytes(): number } }).shared;
      const charged = a.memoryUsage();
      const bCharged = b.memoryUsage();
      const before = shared.bytes();
      a.dispose();
      await b.press('select');
      assert.is.not(b.screen().id, 'idle');
      await b.press('back');
      const freed = before - shared.bytes();
      assert.ok(freed > charged * 0.8, `a was charged ${charged} bytes; leaving freed ${freed}`);
      assert.ok(Math.abs(b.memoryUsage() - bCharged) < 64 * KIB, `b's figure stays its own: ${bCharged} then ${b.memoryUsage()} bytes`);
      assert.equal(b.faults, []);
  });
});

test('Node\'s stack running out inside the shared runtime restarts every phone of it, each in a fresh runtime', async () => {
  const a = await bootFaultyPhone({ sharedCode: true, mac: '0004f2a0000b' });
  const b = await bootFaultyPhone({ sharedCode: true, mac: '0004f2a0000c' });
  try {
    const lost = engineOf(a).runtime;
    assert.is(engineOf(b).runtime, lost);
    await a.press('soft4');
    assert.equal(a.faults.map((f) => f.kind), ['stack-budget']);
    assert.match(a.faults[0].message, /host stack ran out inside QuickJS/);
    await b.press('0');
    assert.equal(b.faults.map((f) => f.kind), ['stack-budget']);
    assert.match(b.faults[0].message, /runtime this phone shared with others was lost/);
    for (const p of [a, b]) {
      assert.is(p.lastBootReason(), 'crash');
      assert.is.not(engineOf(p).runtime, lost, 'restarted in a fresh runtime');
      await p.press('0');
      assert.equal(p.screen().lines, ['alive']);
    }
  } finally {
    assert.not.throws(() => { a.dispose(); b.dispose(); }, 'the lost runtime is not freed (that would abort the WASM module)');
  }
});

test('the last phone out frees the runtime: the next phone gets a fresh one', async () => {
  const a = await idlePhone(true, '0004f2a00007');
  const first = engineOf(a).runtime;
  a.dispose();
  const b = await idlePhone(true, '0004f2a00008');
  try {
    assert.is.not(engineOf(b).runtime, first);
    assert.is((first as { alive: boolean }).alive, false, 'the old runtime was freed');
  } finally {
    b.dispose();
  }
});

test.run();
