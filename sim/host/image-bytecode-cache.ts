/**
 * Each firmware image is compiled to QuickJS bytecode once per process and
 * every phone booting it reads the bytecode: parsing the ~480 KiB bundle cost
 * each boot ~90 ms in QuickJS (issue 17 point 5). The bytes suit every
 * instance of the bytecode module (sim/host/quickjs-bytecode-module.ts), so a
 * fresh module after a tainted one reuses them.
 */
import type { QuickJSWASMModule } from 'quickjs-emscripten';
import { compileScriptToBytecode } from './quickjs-bytecode-module';

/** Images of a process: the installed one, an update, a test's variants. */
const MAX_IMAGES = 4;
/** By image text; null when the text does not compile (the boot then evaluates the text and reports its error). */
const cache = new Map<string, Uint8Array | null>();

export function imageBytecode(module: QuickJSWASMModule, code: string, filename: string): Uint8Array | null {
  if (cache.has(code)) return cache.get(code)!;
  let bytes: Uint8Array | null;
  try {
    bytes = compileScriptToBytecode(module, code, filename);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    bytes = null;
  }
  if (cache.size >= MAX_IMAGES) cache.delete(cache.keys().next().value!);
  cache.set(code, bytes);
  return bytes;
}
