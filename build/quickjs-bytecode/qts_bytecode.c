/**
 * Functions added to quickjs-emscripten's C interface (c/interface.c of
 * v0.32.0) so a host can parse a script once and run it in many runtimes
 * (quickjs-emscripten's own FFI writes and reads objects without
 * JS_WRITE_OBJ_BYTECODE / JS_READ_OBJ_BYTECODE and has no JS_EvalFunction),
 * or read it once and run it in many contexts of one runtime (shared code,
 * with quickjs-shared-code.patch).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

/* From quickjs-shared-code.patch. */
int JS_DetachBytecodeRealm(JSContext *ctx, JSValueConst fn);
size_t JS_GetMallocSize(JSRuntime *rt);

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

/*
 * Shared code: many contexts (one per phone) in one runtime run one copy of
 * the image's bytecode. The runtime counts the bytes its allocator really
 * hands out (dlmalloc's usable size plus its chunk header), so the host can
 * tell what each context's entries allocate; upstream's runtimes count 8
 * bytes per allocation in this build (no malloc_usable_size for Emscripten).
 */
#define CHUNK_HEADER_BYTES 8

static size_t counted_usable_size(const void *ptr) {
  return malloc_usable_size((void *)ptr);
}

/* Where a runtime made by QTS_NewPeakRuntime keeps its highest count (the malloc state's opaque; NULL: none kept). */
typedef struct { size_t peak; } CountedPeak;

static void note_peak(JSMallocState *s) {
  CountedPeak *p = (CountedPeak *)s->opaque;
  if (p && s->malloc_size > p->peak) p->peak = s->malloc_size;
}

static void *counted_malloc(JSMallocState *s, size_t size) {
  if (s->malloc_size + size > s->malloc_limit) return NULL;
  void *ptr = malloc(size);
  if (!ptr) return NULL;
  s->malloc_count++;
  s->malloc_size += malloc_usable_size(ptr) + CHUNK_HEADER_BYTES;
  note_peak(s);
  return ptr;
}

static void counted_free(JSMallocState *s, void *ptr) {
  if (!ptr) return;
  s->malloc_count--;
  s->malloc_size -= malloc_usable_size(ptr) + CHUNK_HEADER_BYTES;
  free(ptr);
}

static void *counted_realloc(JSMallocState *s, void *ptr, size_t size) {
  if (!ptr) return size == 0 ? NULL : counted_malloc(s, size);
  size_t old_size = malloc_usable_size(ptr);
  if (size == 0) {
    counted_free(s, ptr);
    return NULL;
  }
  if (s->malloc_size + size - old_size > s->malloc_limit) return NULL;
  ptr = realloc(ptr, size);
  if (!ptr) return NULL;
  s->malloc_size += malloc_usable_size(ptr) - old_size;
  note_peak(s);
  return ptr;
}

static const JSMallocFunctions counted_malloc_functions = {
  counted_malloc, counted_free, counted_realloc, counted_usable_size,
};

/*
 * A runtime like QTS_NewRuntime's whose memory count and limit are in real
 * bytes, and whose cycle collection runs only when the host asks
 * (QTS_RunGC, between entries): a collection inside one context's entry
 * would free other contexts' garbage and blur what each entry allocated.
 */
JSRuntime *QTS_NewCountedRuntime(void) {
  JSRuntime *rt = JS_NewRuntime2(&counted_malloc_functions, NULL);
  if (rt) JS_SetGCThreshold(rt, (size_t)-1);
  return rt;
}

void QTS_RunGC(JSRuntime *rt) {
  JS_RunGC(rt);
}

/*
 * A runtime counted in real bytes like QTS_NewCountedRuntime's, collecting
 * cycles as upstream's does, that keeps the highest count it reached: the
 * exact heap peak for tests and benches (sampling at interrupt polls misses
 * what a native call allocates and frees between two polls). `*peak_out`
 * receives where the peak is kept (a size_t, read and reset by the host;
 * freed with free() after the runtime).
 */
JSRuntime *QTS_NewPeakRuntime(size_t **peak_out) {
  CountedPeak *p = (CountedPeak *)malloc(sizeof(CountedPeak));
  if (!p) return NULL;
  p->peak = 0;
  JSRuntime *rt = JS_NewRuntime2(&counted_malloc_functions, p);
  if (!rt) {
    free(p);
    return NULL;
  }
  *peak_out = &p->peak;
  return rt;
}

/* Bytes in use by the runtime, as its allocator counts them (O(1)). */
size_t QTS_RuntimeMallocSize(JSRuntime *rt) {
  return JS_GetMallocSize(rt);
}

/**
 * Reads bytecode made by QTS_CompileScriptToBytecode into `ctx` and detaches
 * it from that context's realm: every context of the same runtime can then
 * run it (QTS_EvalSharedBytecode), each in its own realm. The result is the
 * function bytecode (owned by the host: QTS_FreeValuePointer) or an exception.
 */
JSValue *QTS_ReadSharedBytecode(JSContext *ctx, const uint8_t *bytes, size_t len) {
  JSValue fn = JS_ReadObject(ctx, bytes, len, JS_READ_OBJ_BYTECODE);
  if (JS_IsException(fn)) return jsvalue_to_heap(fn);
  if (JS_DetachBytecodeRealm(ctx, fn) < 0) {
    JS_FreeValue(ctx, fn);
    return jsvalue_to_heap(JS_ThrowTypeError(ctx, "not a compiled script"));
  }
  return jsvalue_to_heap(fn);
}

/** Runs shared bytecode (QTS_ReadSharedBytecode, same runtime) as a global script of `ctx`. */
JSValue *QTS_EvalSharedBytecode(JSContext *ctx, JSValueConst *fn) {
  return jsvalue_to_heap(JS_EvalFunction(ctx, JS_DupValue(ctx, *fn)));
}
