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
import { newQuickJSWASMModule, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule } from 'quickjs-emscripten';

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
}

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

/** Runs bytecode from compileScriptToBytecode in `vm`, as `vm.evalCode` runs text (same result shape). */
export function evalBytecode(module: QuickJSWASMModule, vm: QuickJSContext, bytes: Uint8Array): { value?: QuickJSHandle; error?: QuickJSHandle } {
  const { raw, evalBytecode: run } = extrasOf(module);
  const internals = vm as unknown as ContextInternals;
  if (typeof internals.ctx?.value !== 'number' || typeof internals.memory?.heapValueHandle !== 'function') {
    throw new Error('quickjs-emscripten context internals changed: evalBytecode needs updating');
  }
  const ptr = raw._malloc(bytes.length);
  let resultPtr: number;
  try {
    raw.HEAPU8.set(bytes, ptr);
    resultPtr = run(internals.ctx.value, ptr, bytes.length);
  } finally {
    raw._free(ptr);
  }
  const errorPtr = internals.ffi.QTS_ResolveException(internals.ctx.value, resultPtr);
  if (errorPtr) {
    internals.ffi.QTS_FreeValuePointer(internals.ctx.value, resultPtr);
    return { error: internals.memory.heapValueHandle(errorPtr) };
  }
  return { value: internals.memory.heapValueHandle(resultPtr) };
}
