/**
 * The image's parse: what a "parse once" (bytecode or snapshot, issue 17
 * point 5) would save per boot. QuickJS compiles the bundle without running
 * it (compile-only eval in a fresh runtime) against Node's vm.Script of the
 * same text. quickjs-emscripten 0.32 can compile to bytecode but neither
 * serialize it (encodeBinaryJSON refuses a bytecode value: JS_WriteObject is
 * called without JS_WRITE_OBJ_BYTECODE) nor run it (no JS_EvalFunction in its
 * FFI; calling the value is "not a function"), in the quickjs and quickjs-ng
 * variants alike: the parse is paid on every boot.
 */
import * as fs from 'fs';
import * as vm from 'vm';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { quickJsModule } from '../../sim/host/quickjs-engine';
import { median } from './statistics';

export interface ParseCost { quickjsMs: number; nodeMs: number; heldBytes: number; imageBytes: number }

export async function parseCost(runs = 7): Promise<ParseCost> {
  const code = fs.readFileSync(DEFAULT_IMAGE, 'utf8');
  const module = await quickJsModule();
  const q: number[] = [];
  const n: number[] = [];
  let heldBytes = 0;
  for (let i = 0; i < runs; i++) {
    const runtime = module.newRuntime();
    const ctx = runtime.newContext();
    const used = () => {
      const h = runtime.computeMemoryUsage();
      const p = ctx.getProp(h, 'memory_used_size');
      const v = ctx.getNumber(p);
      p.dispose();
      h.dispose();
      return v;
    };
    const before = used();
    const t0 = process.hrtime.bigint();
    const r = ctx.evalCode(code, 'firmware.js', { compileOnly: true });
    q.push(Number(process.hrtime.bigint() - t0) / 1e6);
    heldBytes = used() - before;
    if (r.error) {
      const e = ctx.dump(r.error);
      r.error.dispose();
      throw new Error(`the image does not compile in QuickJS: ${JSON.stringify(e)}`);
    }
    r.value.dispose();
    ctx.dispose();
    runtime.dispose();
    const t1 = process.hrtime.bigint();
    new vm.Script(code, { filename: `firmware-${i}.js` });
    n.push(Number(process.hrtime.bigint() - t1) / 1e6);
  }
  return { quickjsMs: median(q), nodeMs: median(n), heldBytes, imageBytes: Buffer.byteLength(code) };
}
