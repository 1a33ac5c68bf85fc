/**
 * Runs the firmware image inside a QuickJS runtime (quickjs-emscripten, sync
 * release variant) with the board's memory limit, stack limit and CPU budget,
 * bridging the host HAL through two host functions and one guest dispatcher
 * (see hal/quickjs/guest.ts for the wire format).
 *
 * Memory budget: QuickJS's own limit is not a byte limit in this WASM build
 * (emscripten has no malloc_usable_size, so QuickJS counts ~8 bytes per
 * allocation and a firmware could hold 100 MiB under an 8 MiB "limit"). It
 * still refuses single allocations over the budget; on top of it the engine
 * measures the runtime's memory (JS_ComputeMemoryUsage) during long runs (every
 * MEMORY_CHECK_POLLS interrupt polls) and after events, and reports a
 * memory-budget fault when the firmware holds more than its board allows.
 *
 * Native stack: QuickJS's stack limit only sees its own shadow stack, but
 * every guest call also nests WebAssembly frames on Node's native stack, and
 * some natives (JSON.parse/stringify of deeply nested data) recurse without
 * QuickJS noticing. When Node's stack runs out inside the VM, the runtime is
 * left mid-call and cannot be used or freed: the engine reports a stack-budget
 * fault, marks itself crashed (the phone restarts the firmware, as a watchdog
 * would), abandons the runtime instead of freeing it, and later phones get a
 * fresh WASM module (the unwind leaks part of the module's shadow stack).
 *
 * Budgets and promise jobs: the allowance of an entry (entry-budget.ts)
 * covers the promise jobs pumped after it. A trip the firmware caught is still
 * reported after the entry (QuickJS's "interrupted" rejects an async
 * function's promise, which a `.catch` may swallow), as is a stack or memory
 * error the guest bridge saw reach a promise reaction.
 *
 * Handle discipline: the only guest handle kept across calls is the
 * dispatcher, disposed in `dispose()`; every other handle is released before
 * the host function that made it returns, so a runtime can be disposed after
 * any length of run without the WASM module aborting.
 */
import { getQuickJS, newQuickJSWASMModule, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import type { Hal, HttpServerResponse, SocketConnection } from '../../hal/contract';
import type { BoardProfile } from '../../hal/boards';
import type { FirmwareEngine } from './firmware-engine';
import type { FirmwareFault } from './event-gate';
import { FaultError, classifyFault } from './firmware-fault';
import { EntryBudget } from './entry-budget';
import { bytecodeWasmPath, evalBytecode, newBytecodeQuickJSModule, supportsBytecode, newPeakRuntime, type PeakRuntime } from './quickjs-bytecode-module';
import { imageBytecode } from './image-bytecode-cache';
import { SharedQuickJsVm, type SharedVmTenant } from './shared-quickjs-vm';

/** Methods the guest may call on each device: nothing else of the host is reachable. */
const SYNC_METHODS: Record<string, string[]> = {
  board: ['info'],
  flash: ['partitions', 'geometry', 'read', 'readBlockStarts', 'blankBlocks', 'program', 'erase'],
  crypto: ['sha1', 'sha256', 'hmacSha256', 'pbkdf2Sha256', 'randomBytes', 'aesCbcEncrypt', 'aesCbcDecrypt', 'generateKey', 'hasKey', 'destroyKey', 'listKeys', 'encrypt', 'decrypt', 'decryptEach', 'verify', 'generateSigningKey', 'importSigningKey', 'signingPublicKey', 'sign'],
  clock: ['now', 'setWallTime', 'monotonic', 'setTimer', 'clearTimer'],
  display: ['blit', 'setBacklight', 'describe', 'requestFrame'],
  keys: ['subscribe', 'heldAtPowerOn'],
  leds: ['set'],
  line: ['subscribe'],
  net: ['linkUp', 'subscribe'],
  usb: ['present', 'writeFile', 'freeBytes'],
  power: ['reboot', 'bootCount', 'lastBootReason', 'lastRebootMessage'],
  serial: ['write'],
  socket: ['close'],
  httpServer: ['respond', 'stop'],
  engine: ['budgetError', 'memoryUsage'],
  resources: ['size', 'read'],
  text: ['encode', 'decode'],
};
const ASYNC_METHODS: Record<string, string[]> = {
  line: ['register', 'unregister', 'dial', 'answer', 'reject', 'hangup', 'hold', 'transfer', 'attendedTransfer', 'forward'],
  net: ['request'],
  ldap: ['search'],
  socket: ['connect', 'write'],
  udp: ['send', 'exchange'],
  httpServer: ['serve'],
};

/** Measure memory every this many interrupt polls (~10,000 bytecode operations each). */
const MEMORY_CHECK_POLLS = 8;
/** Light events are measured every this many entries. */
const MEMORY_CHECK_ENTRIES = 128;
/**
 * An entry of at least this many interrupt polls is measured when it ends. One
 * poll says little (the poll counter runs across entries, so a short entry
 * may cross it), and a measure walks the whole heap (~1.5 ms): measuring
 * after every such entry took over a quarter of an office month.
 */
const MEMORY_CHECK_HEAVY_ENTRY_POLLS = 2;

let sharedModule: Promise<QuickJSWASMModule> | null = null;
let sharedResolved: QuickJSWASMModule | null = null;
let sharedTainted = false;

/** Phones read their image as bytecode compiled once per process (false: each parses the text, as before; for benches). */
let imageAsBytecode = true;

export function loadImageAsBytecode(on: boolean): void {
  imageAsBytecode = on;
}

let warnedNoBytecodeModule = false;

/** The module a process runs phones in: the bytecode build when its .wasm is found, else upstream's (images parsed at every boot). */
function loadModule(fresh: boolean): Promise<QuickJSWASMModule> {
  if (bytecodeWasmPath()) return newBytecodeQuickJSModule();
  if (!warnedNoBytecodeModule) {
    warnedNoBytecodeModule = true;
    console.error('quickjs: vendor/quickjs-bytecode/emscripten-module.wasm not found: phones parse the image at every boot');
  }
  return fresh ? newQuickJSWASMModule() : getQuickJS();
}

/**
 * One WASM module per process (quickjs-emscripten's release build plus the
 * bytecode functions, see quickjs-bytecode-module.ts); each phone gets its own
 * runtime in it (a fresh module once one is tainted).
 */
export function quickJsModule(): Promise<QuickJSWASMModule> {
  if (!sharedModule || sharedTainted) {
    const loading = loadModule(sharedModule !== null);
    sharedModule = loading;
    sharedResolved = null;
    sharedTainted = false;
    void loading.then((m) => { if (sharedModule === loading) sharedResolved = m; });
  }
  return sharedModule;
}

/** Bytes a runtime holds: QuickJS's own estimate (JS_ComputeMemoryUsage's memory_used_size, a walk of its heap). */
export function runtimeBytes(runtime: QuickJSRuntime, ctx: QuickJSContext): number {
  const h = runtime.computeMemoryUsage();
  const used = ctx.getProp(h, 'memory_used_size');
  const bytes = ctx.getNumber(used);
  used.dispose();
  h.dispose();
  return bytes;
}

/** Node's stack ran out inside this module (see the header): phones created from now on use a fresh one. */
function taint(module: QuickJSWASMModule): void {
  if (module === sharedResolved) sharedTainted = true;
}

/** Node's own stack ran out while WebAssembly frames of QuickJS were on it. */
function isHostStackExhaustion(e: unknown): boolean {
  return e instanceof RangeError && /maximum call stack/i.test(e.message);
}

interface Encoded { json: string; buffers: Uint8Array[] }

function encode(value: unknown): Encoded {
  const buffers: Uint8Array[] = [];
  const json = JSON.stringify(value, (_k, v) => {
    if (v instanceof Uint8Array) {
      buffers.push(v);
      return { $b: buffers.length - 1 };
    }
    return v;
  });
  return { json: json ?? 'null', buffers };
}

function decode(json: string, buffers: Uint8Array[]): any {
  if (buffers.length === 0) return JSON.parse(json);
  return JSON.parse(json, (_k, v) => (v !== null && typeof v === 'object' && typeof v.$b === 'number' ? buffers[v.$b] : v));
}

export class QuickJsEngine implements FirmwareEngine, SharedVmTenant {
  readonly kind = 'quickjs' as const;
  private runtime: QuickJSRuntime;
  /** The runtime this phone shares with others (shared-quickjs-vm.ts), or null when it has its own. */
  private readonly shared: SharedQuickJsVm | null;
  private vm: QuickJSContext;
  private dispatcher: QuickJSHandle | null = null;
  /** CPU (and measured memory) allowance of the entry running now. */
  private readonly budget = new EntryBudget();
  private inFlight = 0;
  /** Open socket connections by the id the guest knows them by. */
  private readonly sockets = new Map<number, SocketConnection>();
  private nextSocketId = 1;
  /** Web requests the firmware has not answered yet, by the id the guest knows them by. */
  private readonly httpRequests = new Map<number, (response: HttpServerResponse) => void>();
  private nextHttpRequestId = 1;
  private disposed = false;
  /** The runtime was left unusable (Node's stack ran out inside it): it is abandoned, never entered again. */
  crashed = false;
  /**
   * A budget stopped the firmware at least once. QuickJS can leak objects of
   * an async function interrupted while it held them (its runtime then aborts
   * the WASM module when freed), so such a runtime is abandoned at dispose.
   */
  private interrupted = false;
  private bootThrew = false;
  /** A budget error the guest bridge saw the firmware catch (see watchBudgetErrors in hal/quickjs/guest.ts). */
  private caughtByGuest: FirmwareFault | null = null;
  /** An over-budget state already reported after an event (reported again only after it went away). */
  private overBudgetReported = false;
  private entriesSinceMemoryCheck = 0;
  /** Size of the shared WASM heap at the last check: when it grows, something allocated a lot. */
  private heapBytesSeen = 0;
  private readonly wasmMemory: ReturnType<QuickJSWASMModule['getWasmMemory']> | null;
  /** Own runtime whose allocator keeps its peak (a peak asked for: allocatorPeak()); null otherwise. */
  private readonly exactPeak: PeakRuntime | null = null;
  private allocatorPeakAtDispose = 0;

  constructor(
    private readonly module: QuickJSWASMModule,
    private readonly profile: BoardProfile,
    private readonly code: string,
    /** Deliver a host→guest event through the phone's event gate. */
    private readonly deliver: (label: string, fn: () => void) => void,
    /** Sample the heap at every poll, host call and entry (memoryPeak()): costly, for tests and benches. */
    private readonly samplePeak = false,
    /** Run in a runtime shared with other phones of this board and image, one copy of the code (shared-quickjs-vm.ts). */
    sharedCode = false,
  ) {
    this.wasmMemory = typeof module.getWasmMemory === 'function' ? module.getWasmMemory() : null;
    this.budget.start(profile.cpuBudget.pollsAtBoot, profile.cpuBudget.msAtBoot, 'at boot');
    // An image that does not compile runs in its own runtime, whose boot reports the error.
    const bytecode = sharedCode && supportsBytecode(module) ? imageBytecode(module, code, 'firmware.js') : null;
    if (bytecode) {
      this.shared = SharedQuickJsVm.join(module, profile, code, bytecode, this);
      this.runtime = this.shared.runtime;
    } else {
      this.shared = null;
      // A peak asked for is also kept by the allocator itself: exact, in its bytes (sampling QuickJS's estimate may miss what one native call holds).
      this.exactPeak = samplePeak && supportsBytecode(module) ? newPeakRuntime(module) : null;
      this.runtime = this.exactPeak?.runtime ?? module.newRuntime();
      this.runtime.setMemoryLimit(profile.memoryBudgetBytes);
      this.runtime.setMaxStackSize(profile.stackBudgetBytes);
      this.runtime.setInterruptHandler(() => this.onInterrupt());
    }
    this.vm = this.runtime.newContext();
  }

  /** Whether this phone shares its runtime and code with others. */
  get sharesCode(): boolean {
    return this.shared !== null;
  }

  /** Each interrupt poll of this phone's entries: true stops the firmware. */
  onInterrupt(): boolean {
    if (this.samplePeak) this.samplePeakNow();
    if (this.budget.poll()) return (this.interrupted = true);
    if (this.budget.pollCount % MEMORY_CHECK_POLLS === 0) {
      const used = this.memoryUsage();
      if (used > this.profile.memoryBudgetBytes) {
        this.budget.tripMemory(used, this.profile.memoryBudgetBytes);
        return (this.interrupted = true);
      }
    }
    return false;
  }

  pendingHostCalls(): number {
    return this.inFlight;
  }

  boot(hal: Hal): void {
    this.survivingHostStackExhaustion(() => this.inRuntime(() => this.bootInVm(hal)));
  }

  /** Runs an entry; in a shared runtime, as this phone's (its interrupts and allocations are this phone's). */
  private inRuntime(run: () => void): void {
    if (!this.shared) return run();
    if (this.shared.broken) {
      this.crashed = true;
      throw new FaultError('stack-budget', 'the QuickJS runtime this phone shared with others was lost (Node\'s stack ran out inside it during another phone\'s entry); the firmware must restart', '');
    }
    this.shared.enter(this, run);
  }

  private bootInVm(hal: Hal): void {
    this.installHostFunctions(hal);
    this.budget.start(this.profile.cpuBudget.pollsAtBoot, this.profile.cpuBudget.msAtBoot, 'at boot');
    this.evalImage();
    this.dispatcher = this.evalOrThrow(
      '(function(){var r=PhoneFirmware.createGuestHal({call:__hostCall,callAsync:__hostCallAsync});globalThis.__hal=r.hal;return r.dispatch;})()',
      'bootstrap.js',
    );
    try {
      this.evalOrThrow('PhoneFirmware.boot(globalThis.__hal)', 'bootstrap.js').dispose();
    } catch (e) {
      // A boot that threw leaves objects of its half-built phone the runtime cannot free (freeing it
      // aborts the WASM module, as for an interrupted one): abandon the runtime at dispose.
      this.bootThrew = true;
      throw e;
    }
    this.pump();
    this.throwCaughtBudgetTrip();
    this.checkMemoryAfterEntry(true);
  }

  /** Run a host→guest entry under the per-event CPU budget, then pump jobs. */
  enter(fn: () => void): void {
    if (this.crashed) return;
    this.survivingHostStackExhaustion(() => this.inRuntime(() => this.enterVm(fn)));
  }

  private survivingHostStackExhaustion(run: () => void): void {
    try {
      run();
    } catch (e) {
      if (!isHostStackExhaustion(e)) throw e;
      this.crashed = true;
      this.shared?.markBroken();
      taint(this.module);
      throw new FaultError('stack-budget',
        'stack budget exceeded in native code: the host stack ran out inside QuickJS (deep recursion, or JSON of deeply nested data); the firmware must restart',
        (e as Error).stack ?? '');
    }
  }

  private enterVm(fn: () => void): void {
    this.budget.start(this.profile.cpuBudget.pollsPerEvent, this.profile.cpuBudget.msPerEvent);
    this.caughtByGuest = null;
    try {
      fn();
    } finally {
      this.pump();
    }
    this.throwCaughtBudgetTrip();
    this.checkMemoryAfterEntry(this.budget.pollCount >= MEMORY_CHECK_HEAVY_ENTRY_POLLS);
  }

  /**
   * The interrupt stopped the firmware but no error reached the host: the
   * firmware caught it (typically a promise job whose rejection a `.catch`
   * handled or nobody handled). The budget was still exceeded: report it.
   */
  private throwCaughtBudgetTrip(): void {
    const trip = this.budget.trip;
    const caught = this.caughtByGuest;
    this.budget.trip = null;
    this.caughtByGuest = null;
    if (trip) throw new FaultError(trip.kind, `${trip.message}; the firmware caught the interruption (e.g. in a promise job) and carried on`, '', true);
    if (caught) throw new FaultError(caught.kind, caught.message, caught.stack, true);
  }

  /** The guest bridge saw the firmware catch a stack or memory budget error: reported after the entry, once. */
  private noteCaughtByGuest(message: string, stack: string): void {
    if (this.caughtByGuest) return;
    const fault = classifyFault('InternalError', message, stack, false);
    const what = fault.kind === 'stack-budget' ? 'stack budget exceeded' : 'memory budget exceeded';
    this.caughtByGuest = { ...fault, message: `${what}: ${fault.message} reached a promise reaction; the firmware caught it and carried on` };
  }

  /**
   * Memory the firmware keeps between events counts against its budget too
   * (a few big allocations take too few operations to be caught while running).
   */
  private checkMemoryAfterEntry(force: boolean): void {
    if (this.disposed || this.crashed) return;
    if (this.samplePeak) this.samplePeakNow();
    const heapBytes = this.wasmMemory?.buffer.byteLength ?? 0;
    // A shared runtime's measure is a counter read, not a walk of the heap.
    if (heapBytes > this.heapBytesSeen || this.shared) force = true;
    this.heapBytesSeen = heapBytes;
    if (!force && ++this.entriesSinceMemoryCheck < MEMORY_CHECK_ENTRIES) return;
    this.entriesSinceMemoryCheck = 0;
    const used = this.memoryUsage();
    const budget = this.profile.memoryBudgetBytes;
    if (used <= budget) {
      this.overBudgetReported = false;
      return;
    }
    if (this.overBudgetReported) return;
    this.overBudgetReported = true;
    throw new FaultError('memory-budget', `memory budget exceeded: the firmware holds ${used} bytes, its board allows ${budget}`, '');
  }

  private peakBytes = 0;

  private pollAtLastSample = -1;

  /** A sample costs a walk of the heap: its time is kept out of the firmware's CPU budget, like a host call's. */
  private samplePeakNow(): void {
    if (this.disposed || this.crashed) return;
    this.pollAtLastSample = this.budget.pollCount;
    const used = this.budget.hostCall(() => this.memoryUsage());
    if (used > this.peakBytes) this.peakBytes = used;
  }

  allocatorPeak(reset = false): number {
    if (!this.exactPeak) return 0;
    if (this.disposed) return this.allocatorPeakAtDispose;
    const peak = this.exactPeak.peak();
    if (reset) this.exactPeak.resetPeak();
    return peak;
  }

  memoryPeak(reset = false): number {
    if (this.samplePeak) this.samplePeakNow();
    const peak = this.peakBytes;
    if (reset) this.peakBytes = 0;
    return peak;
  }

  /**
   * Bytes the runtime holds (QuickJS's estimate), or in a shared runtime the
   * bytes charged to this phone (shared-quickjs-vm.ts). Runs no guest code,
   * so it is safe inside the interrupt handler.
   */
  memoryUsage(): number {
    return this.shared ? this.shared.bytesOf(this) : runtimeBytes(this.runtime, this.vm);
  }

  dispose(): void {
    if (this.disposed) return;
    // Kept for an allocatorPeak() after disposal; where the allocator kept it is freed with the runtime, or when it is abandoned.
    if (this.exactPeak) this.allocatorPeakAtDispose = this.exactPeak.peak();
    this.disposed = true;
    if (this.shared) return this.leaveSharedRuntime(this.shared);
    if (this.crashed || this.interrupted || this.bootThrew) {
      // Freeing a runtime left mid-call, or one that leaked objects when interrupted, aborts the WASM module: abandon it (its memory stays allocated).
      this.dispatcher = null;
      this.exactPeak?.release();
      return;
    }
    this.dispatcher?.dispose();
    this.dispatcher = null;
    // QuickJS asserts every object is gone when its runtime is freed. After a download of a few hundred KiB
    // (a 10,000-entry directory) some object outlives the runtime: cause not found yet.
    this.survivingModuleAbort(() => {
      this.vm.dispose();
      this.runtime.dispose();
    });
    this.exactPeak?.release();
  }

  /** The WASM module aborted (a runtime freed with objects left): later phones get a fresh one, as after a crash, instead of the simulator dying with it. */
  private survivingModuleAbort(free: () => void): void {
    try {
      free();
    } catch (e) {
      if (!/Aborted|gc_obj_list/.test(String((e as Error)?.message ?? e))) throw e;
      taint(this.module);
    }
  }

  /** This phone's context goes; the runtime stays for the others (the last one out frees it). */
  private leaveSharedRuntime(shared: SharedQuickJsVm): void {
    if (this.crashed) {
      this.dispatcher = null;
      return shared.leave(this, null);
    }
    // Objects an interrupted async function held may be left for good: the runtime must then never be freed.
    if (this.interrupted || this.bootThrew) shared.markMayLeak();
    this.dispatcher?.dispose();
    this.dispatcher = null;
    this.survivingModuleAbort(() => shared.leave(this, () => this.vm.dispose()));
  }

  /** Call the guest dispatcher (only from inside an entry). */
  private dispatch(channel: string, payload: unknown): void {
    if (this.disposed || !this.dispatcher) return;
    const { json, buffers } = encode(payload);
    const args = [this.vm.newString(channel), this.vm.newString(json), ...buffers.map((b) => this.vm.newArrayBuffer(toArrayBuffer(b)))];
    const result = this.vm.callFunction(this.dispatcher, this.vm.undefined, ...args);
    for (const a of args) a.dispose();
    this.unwrap(result).dispose();
  }

  private pump(): void {
    for (;;) {
      const r = this.runtime.executePendingJobs();
      if (r.error) {
        const fault = this.faultFrom(r.error);
        r.error.dispose();
        throw new FaultError(fault.kind, fault.message, fault.stack);
      }
      if (r.value === 0) return;
    }
  }

  /** Runs the image: in a shared runtime its one copy of the code; else its bytecode (parsed once per process) when the module has the bytecode functions, else its text. */
  private evalImage(): void {
    this.unwrap(this.shared ? this.shared.evalImage(this.vm) : this.evalOwnImage()).dispose();
  }

  private evalOwnImage(): { value?: QuickJSHandle; error?: QuickJSHandle } {
    const bytecode = imageAsBytecode && supportsBytecode(this.module) ? imageBytecode(this.module, this.code, 'firmware.js') : null;
    return bytecode ? evalBytecode(this.module, this.vm, bytecode) : this.vm.evalCode(this.code, 'firmware.js');
  }

  private evalOrThrow(code: string, filename: string): QuickJSHandle {
    return this.unwrap(this.vm.evalCode(code, filename));
  }

  private unwrap(result: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    if (result.error) {
      const fault = this.faultFrom(result.error);
      result.error.dispose();
      throw new FaultError(fault.kind, fault.message, fault.stack);
    }
    return result.value!;
  }

  private faultFrom(errorHandle: QuickJSHandle) {
    const e = this.vm.dump(errorHandle) as { name?: string; message?: string; stack?: string } | string;
    const err = typeof e === 'object' && e !== null ? e : { name: 'Error', message: String(e), stack: '' };
    const trip = this.budget.trip;
    // This error reports the trip: it must not be reported a second time after the entry.
    this.budget.trip = null;
    if (trip?.kind === 'memory-budget') return { kind: trip.kind, message: trip.message, stack: err.stack ?? '' };
    const fault = classifyFault(err.name ?? 'Error', err.message ?? String(e), err.stack ?? '', trip !== null);
    if (trip && fault.kind === 'cpu-budget') fault.message = `${fault.message} (${trip.message})`;
    return fault;
  }

  private installHostFunctions(hal: Hal): void {
    const vm = this.vm;
    const readArgs = (jsonH: QuickJSHandle, bufHs: QuickJSHandle[]): unknown[] => {
      const buffers = bufHs.map((h) => {
        const life = vm.getArrayBuffer(h);
        const copy = new Uint8Array(life.value);
        life.dispose();
        return copy;
      });
      return decode(vm.getString(jsonH), buffers);
    };
    const reply = (value: unknown): QuickJSHandle => {
      const { json, buffers } = encode(value === undefined ? null : value);
      if (buffers.length === 0) return vm.newString(json);
      const arr = vm.newArray();
      const parts = [vm.newString(json), ...buffers.map((b) => vm.newArrayBuffer(toArrayBuffer(b)))];
      parts.forEach((p, i) => {
        vm.setProp(arr, i, p);
        p.dispose();
      });
      return arr;
    };
    const guestError = (e: unknown) => ({ error: vm.newError({ name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) }) });

    const call = vm.newFunction('__hostCall', (deviceH, methodH, jsonH, ...bufHs) => this.budget.hostCall(() => {
      // Arguments (a flash page, a body) are live in the guest now: a peak can hide between polls (once per poll interval).
      if (this.samplePeak && this.pollAtLastSample !== this.budget.pollCount) this.samplePeakNow();
      try {
        const device = vm.getString(deviceH);
        const method = vm.getString(methodH);
        if (!SYNC_METHODS[device]?.includes(method)) throw new Error(`no host method ${device}.${method}`);
        return reply(this.callSync(hal, device, method, readArgs(jsonH, bufHs)));
      } catch (e) {
        return guestError(e);
      }
    }));
    const callAsync = vm.newFunction('__hostCallAsync', (ticketH, deviceH, methodH, jsonH, ...bufHs) => this.budget.hostCall(() => {
      try {
        const ticket = vm.getNumber(ticketH);
        const device = vm.getString(deviceH);
        const method = vm.getString(methodH);
        if (!ASYNC_METHODS[device]?.includes(method)) throw new Error(`no async host method ${device}.${method}`);
        const args = readArgs(jsonH, bufHs);
        this.inFlight++;
        Promise.resolve()
          .then(() => (device === 'socket' ? this.socketCall(hal, method, args) : device === 'httpServer' ? this.httpServe(hal, args) : (hal as any)[device][method](...this.withBodyStream(ticket, device, args))))
          .then(
            (value) => ({ ticket, ok: true, value }),
            (e: Error) => ({ ticket, ok: false, error: e?.message ?? String(e) }),
          )
          .then((settlement) => {
            this.inFlight--;
            this.deliver(`settle ${device}.${method}`, () => this.dispatch('settle', settlement));
          });
        return vm.undefined;
      } catch (e) {
        return guestError(e);
      }
    }));
    vm.setProp(vm.global, '__hostCall', call);
    vm.setProp(vm.global, '__hostCallAsync', callAsync);
    call.dispose();
    callAsync.dispose();
  }

  /** A net request the guest asked to stream (`streamBody`): each piece of the body goes to the guest's sink of that ticket. */
  private withBodyStream(ticket: number, device: string, args: any[]): any[] {
    if (device !== 'net' || !args[0]?.streamBody) return args;
    const { streamBody: _, ...req } = args[0];
    return [{ ...req, onBodyChunk: (bytes: Uint8Array) => this.dispatch('netBody', { ticket, bytes }) }];
  }

  /** Socket connections live on the host; the guest holds their ids (hal/quickjs/guest.ts). */
  private async socketCall(hal: Hal, method: string, args: any[]): Promise<unknown> {
    if (!hal.socket) throw new Error('io: this board has no socket device');
    if (method === 'connect') {
      const c = await hal.socket.connect(args[0]);
      const id = this.nextSocketId++;
      this.sockets.set(id, c);
      c.onData((bytes) => this.dispatch('socket', { id, event: 'data', bytes }));
      c.onClose((reason) => {
        this.sockets.delete(id);
        this.dispatch('socket', { id, event: 'close', reason });
      });
      return id;
    }
    const c = this.sockets.get(args[0]);
    if (!c) throw new Error('closed: the connection has ended');
    await c.write(args[1]);
    return null;
  }

  /** The web server's requests cross as `http` events with an id; the firmware answers with `httpServer.respond(id, response)`. */
  private async httpServe(hal: Hal, args: any[]): Promise<unknown> {
    if (!hal.httpServer) throw new Error('io: this board has no web server');
    this.httpRequests.clear();
    return hal.httpServer.serve(args[0], (request, respond) => {
      const id = this.nextHttpRequestId++;
      this.httpRequests.set(id, respond);
      this.dispatch('http', { id, request });
    });
  }

  private callSync(hal: Hal, device: string, method: string, args: any[]): unknown {
    switch (`${device}.${method}`) {
      case 'board.info':
        return hal.board;
      case 'flash.geometry': {
        const p = hal.flash.open(args[0]);
        return { size: p.size, blockSize: p.blockSize, progSize: p.progSize, readsBlockStarts: typeof p.readBlockStarts === 'function', checksBlank: typeof p.blankBlocks === 'function' };
      }
      case 'flash.read':
        return hal.flash.open(args[0]).read(args[1], args[2]);
      case 'flash.readBlockStarts': {
        const p = hal.flash.open(args[0]);
        if (!p.readBlockStarts) throw new Error(`flash partition ${args[0]} cannot read block starts`);
        return p.readBlockStarts(args[1]);
      }
      case 'flash.blankBlocks': {
        const p = hal.flash.open(args[0]);
        if (!p.blankBlocks) throw new Error(`flash partition ${args[0]} has no blank check`);
        return p.blankBlocks(args[1]);
      }
      case 'flash.program':
        return hal.flash.open(args[0]).program(args[1], args[2]);
      case 'flash.erase':
        return hal.flash.open(args[0]).erase(args[1]);
      case 'clock.setTimer': {
        const id: number = hal.clock.setTimer(args[0], () => this.dispatch('timer', { id }));
        return id;
      }
      case 'engine.memoryUsage':
        return { heapBytes: this.memoryUsage(), limitBytes: this.profile.memoryBudgetBytes };
      case 'engine.budgetError':
        this.noteCaughtByGuest(String(args[0]), String(args[1] ?? ''));
        return null;
      case 'display.requestFrame':
        return hal.display.requestFrame(args[0], () => this.dispatch('frame', {}));
      case 'keys.subscribe':
        return hal.keys.onKey((e) => this.dispatch('key', e));
      case 'line.subscribe':
        return hal.line.onEvent((e) => this.dispatch('line', e));
      case 'socket.close': {
        const c = this.sockets.get(args[0]);
        c?.close();
        return null;
      }
      case 'httpServer.respond': {
        const respond = this.httpRequests.get(args[0]);
        this.httpRequests.delete(args[0]);
        respond?.(args[1]);
        return null;
      }
      case 'httpServer.stop':
        this.httpRequests.clear();
        hal.httpServer?.stop();
        return null;
      case 'net.subscribe':
        return hal.net.onLink((up) => this.dispatch('link', { up }));
      // An image without resources: the guest sees none (size 0), as the contract says of an absent device.
      case 'resources.size':
        return hal.resources?.size(args[0]) ?? 0;
      default:
        return (hal as any)[device][method](...args);
    }
  }
}

/** The bytes as an ArrayBuffer for `newArrayBuffer` (which copies them into the guest): a view of a whole buffer passes its buffer, not a copy. */
function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
