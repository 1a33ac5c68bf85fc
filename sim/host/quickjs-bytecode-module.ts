/**
 * The QuickJS WASM module the simulator runs firmware in: quickjs-emscripten
 * 0.32's release-sync variant rebuilt with two more C functions
 * (vendor/quickjs-bytecode, built by build/quickjs-bytecode/build.sh), so an
 * image is parsed once per process and each phone reads the compiled
 * bytecode instead of parsing the text again (issue 17 point 5). Upstream's
 * FFI class drives the module unchanged; only the two extras are called here.
 *
 * The bytecode is written with the functions' source text stripped
 * (JS_STRIP_SOURCE): the text each function keeps for
 * Function.prototype.toString was ~600 KiB of every phone's heap. Line and
 * column tables stay, so guest stack traces still map through the source map.
 * `fn.toString()` of image code gives `function f() { [native code] }`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { newQuickJSWASMModule, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';

// Upstream's FFI class of the same release (its package exports ./ffi, which this tsconfig's resolution cannot type).
const { QuickJSFFI } = require('@jitl/quickjs-wasmfile-release-sync/ffi') as { QuickJSFFI: new (module: unknown) => unknown };
const loadGlue = require('../../vendor/quickjs-bytecode/emscripten-module.cjs') as (options: object) => Promise<RawModule>;

/** The WebAssembly API of Node (this tsconfig's libs do not declare it). */
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<object>;
};
interface WasmModule { readonly __wasmModule: unique symbol }

const WASM_FILE = path.join('vendor', 'quickjs-bytecode', 'emscripten-module.wasm');

/**
 * Where the .wasm is: beside the sources (sim/host, and the compiled CLI,
 * whose folders keep their places); in a board image, beside bin/ (`phone
 * image` puts it in opt/phone/vendor/); for a bundle elsewhere (QEMU guest
 * scripts), in the repository whose node_modules NODE_PATH names. Null when
 * none has it: the simulator then runs upstream's module and parses images
 * at boot.
 */
export function bytecodeWasmPath(): string | null {
  const roots = [path.join(__dirname, '..', '..'), path.join(__dirname, '..'),
    ...(process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean).map((p) => path.join(p, '..'))];
  for (const root of roots) {
    const file = path.join(root, WASM_FILE);
    if (fs.existsSync(file)) return file;
  }
  return null;
}
/** JS_STRIP_SOURCE: drop each function's retained source text, keep line numbers. */
const STRIP_SOURCE = 1;

/** The Emscripten module object (the parts used here). */
interface RawModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, ptr: number, max: number): void;
  UTF8ToString(ptr: number): string;
  cwrap(name: string, ret: string | null, args: string[]): (...args: any[]) => any;
}

/** What quickjs-emscripten-core keeps of a context (not public API; pinned to 0.32.0, checked at use). */
interface ContextInternals {
  ctx: { value: number };
  memory: { heapValueHandle(ptr: number): QuickJSHandle };
  ffi: { QTS_ResolveException(ctx: number, ptr: number): number; QTS_FreeValuePointer(ctx: number, ptr: number): void };
}

interface Extras {
  raw: RawModule;
  compile: (code: number, len: number, filename: string, strip: number, outLen: number, outError: number) => number;
  evalBytecode: (ctx: number, bytes: number, len: number) => number;
  newCountedRuntime: () => number;
  newPeakRuntime: (peakOut: number) => number;
  mallocSize: (rt: number) => number;
  runGc: (rt: number) => void;
  readShared: (ctx: number, bytes: number, len: number) => number;
  evalShared: (ctx: number, fn: number) => number;
}

/** What quickjs-emscripten-core keeps of a module and a runtime (not public API; pinned to 0.32.0, checked at use). */
interface ModuleInternals { ffi: { QTS_NewRuntime(): number } }
interface RuntimeInternals { rt: { value: number } }

const extrasByModule = new WeakMap<QuickJSWASMModule, Extras>();
let compiledWasm: Promise<WasmModule> | null = null;

/** A fresh instance of the module (compiled once per process: a new instance after a tainted one costs little). */
export async function newBytecodeQuickJSModule(): Promise<QuickJSWASMModule> {
  const wasmPath = bytecodeWasmPath();
  if (!wasmPath) throw new Error(`no ${WASM_FILE} found beside the simulator`);
  compiledWasm ??= WebAssembly.compile(fs.readFileSync(wasmPath));
  const wasm = await compiledWasm;
  let raw: RawModule | null = null;
  const module = await newQuickJSWASMModule({
    type: 'sync',
    importFFI: async () => QuickJSFFI,
    importModuleLoader: async () => async (options: object = {}) => {
      raw = await loadGlue({
        ...options,
        // Emscripten 3.1.6's glue fetches the .wasm with fetch() when Node has it, which fails on a path.
        instantiateWasm(imports: object, receive: (instance: object) => void) {
          void WebAssembly.instantiate(wasm, imports).then(receive);
          return {};
        },
      });
      return raw;
    },
  } as any);
  if (!raw) throw new Error('the QuickJS bytecode module did not load');
  const r: RawModule = raw;
  extrasByModule.set(module, {
    raw: r,
    compile: r.cwrap('QTS_CompileScriptToBytecode', 'number', ['number', 'number', 'string', 'number', 'number', 'number']),
    evalBytecode: r.cwrap('QTS_EvalBytecode', 'number', ['number', 'number', 'number']),
    newCountedRuntime: r.cwrap('QTS_NewCountedRuntime', 'number', []),
    newPeakRuntime: r.cwrap('QTS_NewPeakRuntime', 'number', ['number']),
    mallocSize: r.cwrap('QTS_RuntimeMallocSize', 'number', ['number']),
    runGc: r.cwrap('QTS_RunGC', null, ['number']),
    readShared: r.cwrap('QTS_ReadSharedBytecode', 'number', ['number', 'number', 'number']),
    evalShared: r.cwrap('QTS_EvalSharedBytecode', 'number', ['number', 'number']),
  });
  return module;
}

function extrasOf(module: QuickJSWASMModule): Extras {
  const extras = extrasByModule.get(module);
  if (!extras) throw new Error('this QuickJS module was not made by newBytecodeQuickJSModule');
  return extras;
}

export function supportsBytecode(module: QuickJSWASMModule): boolean {
  return extrasByModule.has(module);
}

/**
 * Compiles a global script to bytecode in a scratch runtime of `module`
 * (nothing stays in any phone's heap). Throws a SyntaxError's message when
 * the text does not compile. The bytes suit any instance of this build.
 */
export function compileScriptToBytecode(module: QuickJSWASMModule, code: string, filename: string): Uint8Array {
  const { raw, compile } = extrasOf(module);
  const len = raw.lengthBytesUTF8(code);
  const codePtr = raw._malloc(len + 1);
  const outs = raw._malloc(8);
  try {
    raw.stringToUTF8(code, codePtr, len + 1);
    const bytesPtr = compile(codePtr, len, filename, STRIP_SOURCE, outs, outs + 4);
    const view = new DataView(raw.HEAPU8.buffer);
    if (!bytesPtr) {
      const errorPtr = view.getUint32(outs + 4, true);
      const message = errorPtr ? raw.UTF8ToString(errorPtr) : 'compile failed';
      if (errorPtr) raw._free(errorPtr);
      throw new SyntaxError(`${filename} does not compile: ${message}`);
    }
    const bytes = raw.HEAPU8.slice(bytesPtr, bytesPtr + view.getUint32(outs, true));
    raw._free(bytesPtr);
    return bytes;
  } finally {
    raw._free(codePtr);
    raw._free(outs);
  }
}

function contextInternals(vm: QuickJSContext): ContextInternals {
  const internals = vm as unknown as ContextInternals;
  if (typeof internals.ctx?.value !== 'number' || typeof internals.memory?.heapValueHandle !== 'function') {
    throw new Error('quickjs-emscripten context internals changed: the bytecode functions need updating');
  }
  return internals;
}

function runtimePointer(runtime: QuickJSRuntime): number {
  const rt = (runtime as unknown as RuntimeInternals).rt?.value;
  if (typeof rt !== 'number') throw new Error('quickjs-emscripten runtime internals changed: the shared-code functions need updating');
  return rt;
}

/** A JSValue* the C side returned, as `evalCode` returns results: the value, or the exception it holds. */
function resultOf(internals: ContextInternals, resultPtr: number): { value?: QuickJSHandle; error?: QuickJSHandle } {
  const errorPtr = internals.ffi.QTS_ResolveException(internals.ctx.value, resultPtr);
  if (errorPtr) {
    internals.ffi.QTS_FreeValuePointer(internals.ctx.value, resultPtr);
    return { error: internals.memory.heapValueHandle(errorPtr) };
  }
  return { value: internals.memory.heapValueHandle(resultPtr) };
}

/** Copies `bytes` into the module's heap for one C call. */
function withBytesInHeap<T>(raw: RawModule, bytes: Uint8Array, use: (ptr: number) => T): T {
  const ptr = raw._malloc(bytes.length);
  try {
    raw.HEAPU8.set(bytes, ptr);
    return use(ptr);
  } finally {
    raw._free(ptr);
  }
}

/** Runs bytecode from compileScriptToBytecode in `vm`, as `vm.evalCode` runs text (same result shape). */
export function evalBytecode(module: QuickJSWASMModule, vm: QuickJSContext, bytes: Uint8Array): { value?: QuickJSHandle; error?: QuickJSHandle } {
  const { raw, evalBytecode: run } = extrasOf(module);
  const internals = contextInternals(vm);
  return resultOf(internals, withBytesInHeap(raw, bytes, (ptr) => run(internals.ctx.value, ptr, bytes.length)));
}

/**
 * A runtime whose memory is counted in real bytes (mallocBytes) and whose
 * cycle collection runs only on runGc: for many phones' contexts sharing one
 * copy of the image's code (shared-quickjs-vm.ts).
 */
export function newCountedRuntime(module: QuickJSWASMModule): QuickJSRuntime {
  const { newCountedRuntime: create } = extrasOf(module);
  return withRuntimeMaker(module, create);
}

/** Upstream's newRuntime wraps whatever its FFI's QTS_NewRuntime returns: hand it one of ours for this call. */
function withRuntimeMaker(module: QuickJSWASMModule, make: () => number): QuickJSRuntime {
  const ffi = (module as unknown as ModuleInternals).ffi;
  if (typeof ffi?.QTS_NewRuntime !== 'function') throw new Error('quickjs-emscripten module internals changed: our runtimes need updating');
  const upstream = ffi.QTS_NewRuntime;
  ffi.QTS_NewRuntime = make;
  try {
    return module.newRuntime();
  } finally {
    ffi.QTS_NewRuntime = upstream;
  }
}

/** A runtime that keeps the exact peak of its heap, and how to read it. */
export interface PeakRuntime {
  runtime: QuickJSRuntime;
  /** Most bytes the runtime's allocator held at once (real bytes: each block's usable size and header). */
  peak(): number;
  /** Start a new peak from what is held now. */
  resetPeak(): void;
  /** Frees where the peak is kept: after the runtime is disposed (or abandoned). */
  release(): void;
}

/**
 * A runtime counted in real bytes, collecting cycles as upstream's does,
 * whose allocator keeps the highest count it reached: an exact heap peak,
 * where sampling at interrupt polls misses what one native call (a string
 * decode, a JSON parse) allocates and frees between two polls.
 */
export function newPeakRuntime(module: QuickJSWASMModule): PeakRuntime {
  const extras = extrasOf(module);
  const raw = extras.raw;
  const out = raw._malloc(4);
  let peakAt = 0;
  const runtime = withRuntimeMaker(module, () => {
    const rt = extras.newPeakRuntime(out);
    peakAt = new DataView(raw.HEAPU8.buffer).getUint32(out, true);
    return rt;
  });
  raw._free(out);
  const view = () => new DataView(raw.HEAPU8.buffer);
  let released = false;
  return {
    runtime,
    peak: () => view().getUint32(peakAt, true),
    resetPeak: () => view().setUint32(peakAt, extras.mallocSize(runtimePointer(runtime)) >>> 0, true),
    release: () => {
      if (released) return;
      released = true;
      raw._free(peakAt);
    },
  };
}

/** Bytes in use by a counted runtime (O(1)). */
export function mallocBytes(module: QuickJSWASMModule, runtime: QuickJSRuntime): number {
  return extrasOf(module).mallocSize(runtimePointer(runtime)) >>> 0;
}

/** One cycle collection of a counted runtime (they run only when asked). */
export function runGc(module: QuickJSWASMModule, runtime: QuickJSRuntime): void {
  extrasOf(module).runGc(runtimePointer(runtime));
}

/** Compiled code read once into a runtime, runnable by each of its contexts in that context's own realm. */
export interface SharedScript {
  /** Runs the script as a global script of `vm` (a context of the same runtime). */
  evalIn(vm: QuickJSContext): { value?: QuickJSHandle; error?: QuickJSHandle };
  dispose(): void;
}

/**
 * Reads bytecode from compileScriptToBytecode into `owner` and detaches it
 * from `owner`'s realm (quickjs-shared-code.patch): every context of the
 * same runtime can then run it, each with its own globals and intrinsics,
 * while the functions' code, constants and names exist once.
 */
export function readSharedScript(module: QuickJSWASMModule, owner: QuickJSContext, bytes: Uint8Array): SharedScript {
  const { raw, readShared, evalShared } = extrasOf(module);
  const ownerInternals = contextInternals(owner);
  const fnPtr = withBytesInHeap(raw, bytes, (ptr) => readShared(ownerInternals.ctx.value, ptr, bytes.length));
  const read = resultOf(ownerInternals, fnPtr);
  if (read.error) {
    const message = JSON.stringify(owner.dump(read.error));
    read.error.dispose();
    throw new Error(`the image's bytecode could not be read: ${message}`);
  }
  const fn = read.value!;
  return {
    evalIn(vm) {
      const internals = contextInternals(vm);
      // The handle's pointer is a JSValue* in the module's heap; the C side only reads it.
      return resultOf(internals, evalShared(internals.ctx.value, (fn as unknown as { value: number }).value));
    },
    dispose() {
      fn.dispose();
    },
  };
}
