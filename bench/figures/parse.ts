/**
 * The image's parse, and what reading it as bytecode saves (issue 17 point
 * 5), side by side in one run, each in a fresh runtime of the simulator's
 * QuickJS module (sim/host/quickjs-bytecode-module.ts):
 * - compile-only of the text (the parse alone), against Node's vm.Script;
 * - the image evaluated from its text (parse + top-level run, what a boot
 *   paid before) and from its bytecode (read + top-level run, what a boot
 *   pays now), with the heap each leaves held: the bytecode has the
 *   functions' source text stripped;
 * - the one-off compile to bytecode (once per image per process).
 */
import * as fs from 'fs';
import * as vm from 'vm';
import type { QuickJSContext, QuickJSWASMModule } from 'quickjs-emscripten';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { quickJsModule, runtimeBytes } from '../../sim/host/quickjs-engine';
import { compileScriptToBytecode, evalBytecode } from '../../sim/host/quickjs-bytecode-module';
import { median } from './statistics';

export interface ParseCost {
  /** Compile-only of the text. */
  quickjsMs: number;
  nodeMs: number;
  /** Heap a compile-only leaves held (the compiled functions, source text included). */
  heldBytes: number;
  imageBytes: number;
  /** Evaluating the image from text / from bytecode, and the heap each leaves held. */
  textEvalMs: number;
  textEvalHeldBytes: number;
  bytecodeEvalMs: number;
  bytecodeEvalHeldBytes: number;
  /** The once-per-process compile to bytecode, and its size. */
  compileToBytecodeMs: number;
  bytecodeBytes: number;
}

/** Time and held heap of `run` in a fresh runtime. */
function inFreshRuntime(module: QuickJSWASMModule, run: (ctx: QuickJSContext) => { value?: { dispose(): void }; error?: { dispose(): void } }): { ms: number; held: number } {
  const runtime = module.newRuntime();
  const ctx = runtime.newContext();
  try {
    const before = runtimeBytes(runtime, ctx);
    const t0 = process.hrtime.bigint();
    const r = run(ctx);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error) {
      const e = ctx.dump(r.error as never);
      r.error.dispose();
      throw new Error(`the image does not run in QuickJS: ${JSON.stringify(e)}`);
    }
    // Measured while the result (the compiled function of a compile-only) is still alive.
    const held = runtimeBytes(runtime, ctx) - before;
    r.value!.dispose();
    return { ms, held };
  } finally {
    ctx.dispose();
    runtime.dispose();
  }
}

export async function parseCost(runs = 7): Promise<ParseCost> {
  const code = fs.readFileSync(DEFAULT_IMAGE, 'utf8');
  const module = await quickJsModule();
  const compileOnly: number[] = [];
  const node: number[] = [];
  const textEval: number[] = [];
  const bytecodeEval: number[] = [];
  const toBytecode: number[] = [];
  let heldBytes = 0;
  let textEvalHeldBytes = 0;
  let bytecodeEvalHeldBytes = 0;
  let bytecode: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    bytecode = compileScriptToBytecode(module, code, 'firmware.js');
    toBytecode.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const compiled = inFreshRuntime(module, (ctx) => ctx.evalCode(code, 'firmware.js', { compileOnly: true }));
    compileOnly.push(compiled.ms);
    heldBytes = compiled.held;
    const fromText = inFreshRuntime(module, (ctx) => ctx.evalCode(code, 'firmware.js'));
    textEval.push(fromText.ms);
    textEvalHeldBytes = fromText.held;
    const fromBytecode = inFreshRuntime(module, (ctx) => evalBytecode(module, ctx, bytecode));
    bytecodeEval.push(fromBytecode.ms);
    bytecodeEvalHeldBytes = fromBytecode.held;
    const t1 = process.hrtime.bigint();
    new vm.Script(code, { filename: `firmware-${i}.js` });
    node.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  return {
    quickjsMs: median(compileOnly), nodeMs: median(node), heldBytes, imageBytes: Buffer.byteLength(code),
    textEvalMs: median(textEval), textEvalHeldBytes, bytecodeEvalMs: median(bytecodeEval), bytecodeEvalHeldBytes,
    compileToBytecodeMs: median(toBytecode), bytecodeBytes: bytecode.length,
  };
}
