/**
 * Two functions added to quickjs-emscripten's C interface (c/interface.c of
 * v0.32.0) so a host can parse a script once and run it in many runtimes:
 * quickjs-emscripten's own FFI writes and reads objects without
 * JS_WRITE_OBJ_BYTECODE / JS_READ_OBJ_BYTECODE and has no JS_EvalFunction.
 */
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

/* From interface.c: a JSValue moved to the heap, owned by the host (freed by QTS_FreeValuePointer). */
JSValue *jsvalue_to_heap(JSValueConst value);

/**
 * Compiles `code` as a global script in a private runtime (so nothing of the
 * compile stays in a phone's heap) and serializes the compiled function.
 * `strip_flags` is JS_STRIP_SOURCE (1: drop the source text each function
 * keeps for Function.prototype.toString; line numbers stay) and/or
 * JS_STRIP_DEBUG (2: drop line numbers and names too).
 * Returns a malloc'd buffer (free with free()) and its length in *out_len,
 * or NULL with a malloc'd message in *out_error (syntax error, no memory).
 */
uint8_t *QTS_CompileScriptToBytecode(const char *code, size_t code_len, const char *filename,
                                     int strip_flags, size_t *out_len, char **out_error) {
  *out_len = 0;
  *out_error = NULL;
  JSRuntime *rt = JS_NewRuntime();
  if (!rt) {
    *out_error = strdup("no memory for a compile runtime");
    return NULL;
  }
  JS_SetStripInfo(rt, strip_flags);
  JSContext *ctx = JS_NewContext(rt);
  if (!ctx) {
    JS_FreeRuntime(rt);
    *out_error = strdup("no memory for a compile context");
    return NULL;
  }
  uint8_t *result = NULL;
  JSValue fn = JS_Eval(ctx, code, code_len, filename, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_COMPILE_ONLY);
  if (JS_IsException(fn)) {
    JSValue error = JS_GetException(ctx);
    const char *message = JS_ToCString(ctx, error);
    *out_error = strdup(message ? message : "compile failed");
    if (message) JS_FreeCString(ctx, message);
    JS_FreeValue(ctx, error);
  } else {
    size_t len = 0;
    uint8_t *bytes = JS_WriteObject(ctx, &len, fn, JS_WRITE_OBJ_BYTECODE);
    if (bytes) {
      result = malloc(len);
      if (result) {
        memcpy(result, bytes, len);
        *out_len = len;
      } else {
        *out_error = strdup("no memory for the bytecode");
      }
      js_free(ctx, bytes);
    } else {
      *out_error = strdup("the compiled script could not be serialized");
    }
    JS_FreeValue(ctx, fn);
  }
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return result;
}

/**
 * Reads bytecode made by QTS_CompileScriptToBytecode (same build of QuickJS:
 * the format is version-bound) into `ctx` and runs it as a global script, as
 * QTS_Eval would run its text. The buffer stays the caller's (it is copied).
 * Returns the result or an exception, like QTS_Eval (QTS_ResolveException
 * tells them apart).
 */
JSValue *QTS_EvalBytecode(JSContext *ctx, const uint8_t *bytes, size_t len) {
  JSValue fn = JS_ReadObject(ctx, bytes, len, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(fn)) return jsvalue_to_heap(fn);
  /* JS_EvalFunction takes ownership of fn. */
  return jsvalue_to_heap(JS_EvalFunction(ctx, fn));
}
