#!/bin/bash
# Builds vendor/quickjs-bytecode/: quickjs-emscripten v0.32.0's release-sync
# variant (its vendored QuickJS 2025-09-13 and c/interface.c, same compile
# defines and emcc settings as packages/variant-quickjs-wasmfile-release-sync/
# Makefile) plus qts_bytecode.c (parse once, run many: see that file).
# The upstream FFI class (@jitl/quickjs-wasmfile-release-sync/ffi) drives the
# result unchanged; sim/host/quickjs-bytecode-module.ts wraps the two extras.
#
# Needs emcc (Debian bookworm: apt-get install emscripten, 3.1.6) and a
# checkout of https://github.com/justjake/quickjs-emscripten (any clone with
# the v0.32.0 tag): build.sh /path/to/quickjs-emscripten
# The built files are committed, so `npm install` never needs emscripten.
set -euo pipefail

UPSTREAM=${1:?usage: build.sh /path/to/quickjs-emscripten (a git clone with tag v0.32.0)}
TAG=v0.32.0
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=$REPO/vendor/quickjs-bytecode
WORK=${WORK:-${TMPDIR:-/tmp}/quickjs-bytecode-build}  # a fixed path: assert() messages embed it, so builds compare

# Debian's emcc runs its JS tools with the system node, which must find Debian's acorn (node-acorn).
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs

rm -rf "$WORK"/*
mkdir -p "$WORK/src" "$WORK/obj" "$OUT"
git -C "$UPSTREAM" archive "$TAG" c vendor/quickjs templates exportedRuntimeMethods.json LICENSE | tar -x -C "$WORK/src"
SRC=$WORK/src
QJS=$SRC/vendor/quickjs
VERSION=$(cat "$QJS/VERSION")
# Shared code: bytecode without a realm runs in its caller's (see the patch's comment and qts_bytecode.c).
patch -d "$QJS" -p1 < "$HERE/quickjs-shared-code.patch"

# Every QTS_ function of interface.c (what upstream's generate.ts exports), malloc/free, and ours.
{
  grep -oE '^[A-Za-z_][A-Za-z_0-9()* ]*[ *](QTS_[A-Za-z_0-9]+)\(.*\) ?\{$' "$SRC/c/interface.c" | grep -oE 'QTS_[A-Za-z_0-9]+' | sort -u
  echo QTS_CompileScriptToBytecode
  echo QTS_EvalBytecode
  echo QTS_NewCountedRuntime
  echo QTS_RuntimeMallocSize
  echo QTS_RunGC
  echo QTS_NewPeakRuntime
  echo QTS_ReadSharedBytecode
  echo QTS_EvalSharedBytecode
  echo malloc
  echo free
} | sed 's/^/_/' | node -e 'const s=require("fs").readFileSync(0,"utf8").trim().split("\n");console.log(JSON.stringify([...new Set(s)]))' > "$WORK/symbols.json"

# Upstream: -Oz -flto --closure 1. With emscripten 3.1.6 (LLVM 14), measured against upstream's
# module (tmp micro-benchmarks: indexOf scans, a counting loop, object churn + sort, JSON):
#   -Oz -flto / -Os / -O2 -fno-inline-functions: 1.5-1.8x slower than upstream;
#   -O2: as fast or faster, but 4x the native (Node) stack per guest call: JS recursion ran out of
#        Node's stack before QuickJS's stack budget (a crash instead of a stack-budget fault);
#   -O1: 0.6-0.9x upstream's time and 1.25x its native stack depth. Chosen (860 KB .wasm).
# No closure (Debian's emscripten has no closure compiler; it only shortens the JS glue).
# STACK_SIZE was called TOTAL_STACK in 3.1.6.
CFLAGS=(${OPT_FLAGS:--O1})
LDFLAGS=(
  -s MODULARIZE=1 -s IMPORTED_MEMORY=1 -s EXPORT_NAME=QuickJSRaw -s INVOKE_RUN=0
  -s ALLOW_MEMORY_GROWTH=1 -s ALLOW_TABLE_GROWTH=1 -s TOTAL_STACK=5MB -s SUPPORT_ERRNO=0
  -s IGNORE_MISSING_MAIN=0 --no-entry
  -s AUTO_JS_LIBRARIES=0 -s AUTO_NATIVE_LIBRARIES=0 -s AUTO_ARCHIVE_INDEXES=0 -s DEFAULT_TO_CXX=0
  -s ALLOW_UNIMPLEMENTED_SYSCALLS=0
  -s NODEJS_CATCH_EXIT=0 -s NODEJS_CATCH_REJECTION=0
  -s EXPORTED_RUNTIME_METHODS=@$SRC/exportedRuntimeMethods.json
  -s FILESYSTEM=0 -s ENVIRONMENT=node
  --pre-js "$SRC/templates/pre-extension.js" --pre-js "$SRC/templates/pre-wasmMemory.js"
  -s EXPORTED_FUNCTIONS=@$WORK/symbols.json
)
QJS_DEFINES=(-D_GNU_SOURCE "-DCONFIG_VERSION=\"$VERSION\"" -DCONFIG_STACK_CHECK)

OBJS=()
for f in quickjs dtoa libregexp libunicode cutils quickjs-libc; do
  emcc "${CFLAGS[@]}" "${QJS_DEFINES[@]}" -c -o "$WORK/obj/$f.o" "$QJS/$f.c" &
  OBJS+=("$WORK/obj/$f.o")
done
wait
emcc "${CFLAGS[@]}" -Wcast-function-type -c -o "$WORK/obj/interface.o" "$SRC/c/interface.c"
emcc "${CFLAGS[@]}" -I"$QJS" -c -o "$WORK/obj/qts_bytecode.o" "$HERE/qts_bytecode.c"
emcc "${CFLAGS[@]}" "${LDFLAGS[@]}" -o "$OUT/emscripten-module.cjs" \
  "$WORK/obj/interface.o" "$WORK/obj/qts_bytecode.o" "${OBJS[@]}"

cp "$SRC/LICENSE" "$OUT/LICENSE-quickjs-emscripten"
cp "$QJS/LICENSE" "$OUT/LICENSE-quickjs"
{
  echo "upstream: https://github.com/justjake/quickjs-emscripten $TAG ($(git -C "$UPSTREAM" rev-list -n1 "$TAG"))"
  echo "quickjs: vendor/quickjs VERSION $VERSION (tree $(git -C "$UPSTREAM" rev-parse "$TAG:vendor/quickjs"))"
  echo "interface.c: blob $(git -C "$UPSTREAM" rev-parse "$TAG:c/interface.c")"
  echo "qts_bytecode.c: sha256 $(sha256sum "$HERE/qts_bytecode.c" | cut -d' ' -f1)"
  echo "quickjs-shared-code.patch: sha256 $(sha256sum "$HERE/quickjs-shared-code.patch" | cut -d' ' -f1)"
  echo "emcc: $(emcc --version | head -1)"
  echo "wasm: sha256 $(sha256sum "$OUT/emscripten-module.wasm" | cut -d' ' -f1)"
} > "$OUT/BUILD-INFO.txt"
cat "$OUT/BUILD-INFO.txt"
