/**
 * The UTF-8 codec's fast paths give exactly what the code-point reference
 * gives — under Node, inside QuickJS (whose encodeURIComponent /
 * decodeURIComponent / escape / unescape are the engine's own), and through
 * the host's codec (HAL `text`) from both engines — for ASCII, every script,
 * lone surrogates, a byte-order mark and malformed bytes.
 */
import * as path from 'path';
import * as esbuild from 'esbuild';
import * as fc from 'fast-check';
import { getQuickJS } from 'quickjs-emscripten';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { installTextCodec, utf8Decode, utf8DecodeByCodePoint, utf8Encode, utf8EncodeByCodePoint } from '../../firmware/kernel/text-codec';
import { nativeTextCodec } from '../../hal/linux/native-text-codec';
import { mallocBytes, newBytecodeQuickJSModule, newPeakRuntime } from '../../sim/host/quickjs-bytecode-module';

const TEXTS = [
  '',
  '<directory><item><fn>Ada</fn><ct>+4930123</ct></item></directory>',
  'Zoë Ångström – Łódź, Straße 5',
  '王小明 / 山田太郎 / 김민준 / محمد / Ελένη / Дмитрий / 🎉📞',
  'lone \ud800 high, lone \udc00 low, reversed \udc00\ud800, pair \ud83d\ude00',
  '\u0000\u007f\u0080\u07ff\u0800\uffff\ufeff',
  'x'.repeat(20_000) + 'é' + 'y'.repeat(9_000),
  '\ufeff<?xml version="1.0"?>' + '<a>Zoë \ud800 王</a>'.repeat(40),
];

/** Valid and malformed sequences: overlong, encoded surrogates, beyond U+10FFFF, truncated, stray continuation bytes. */
const BYTES: number[][] = [
  [0x41, 0xc3, 0xa9, 0x42],
  [0xc0, 0x80, 0x41],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80, 0x41],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x8e],
  [0x80, 0xbf, 0x41],
  [0xe2, 0x82, 0x41, 0xe2, 0x82, 0xac],
  [0xff, 0xfe, 0x41],
  Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? 0xc3 : i % 7 === 1 ? 0xa9 : 0x61)),
  // A run of continuation bytes longer than a chunk: no place to cut inside it.
  [0x41, ...new Array(20_000).fill(0x80), 0xc3, 0xa9],
];

function randomBytes(seed: number, n: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out.push(a >>> 24);
  }
  return out;
}
for (let seed = 1; seed <= 40; seed++) BYTES.push(randomBytes(seed, 64));

test('Node: the fast paths equal the code-point reference', () => {
  for (const text of TEXTS) assert.equal([...utf8Encode(text)], [...utf8EncodeByCodePoint(text)], JSON.stringify(text.slice(0, 40)));
  for (const bytes of BYTES) assert.is(utf8Decode(new Uint8Array(bytes)), utf8DecodeByCodePoint(new Uint8Array(bytes)), JSON.stringify(bytes.slice(0, 12)));
  for (const text of TEXTS) assert.is(utf8Decode(utf8Encode(text)), utf8DecodeByCodePoint(utf8EncodeByCodePoint(text)));
});

test('the host codec (HAL text) equals the reference, and the firmware uses it for long texts', () => {
  for (const text of TEXTS) assert.equal([...nativeTextCodec.encode(text)], [...utf8EncodeByCodePoint(text)], JSON.stringify(text.slice(0, 40)));
  for (const bytes of BYTES) assert.is(nativeTextCodec.decode(new Uint8Array(bytes)), utf8DecodeByCodePoint(new Uint8Array(bytes)), JSON.stringify(bytes.slice(0, 12)));
  let calls = 0;
  installTextCodec({ encode: (t) => { calls++; return nativeTextCodec.encode(t); }, decode: (b) => { calls++; return nativeTextCodec.decode(b); } });
  try {
    for (const text of TEXTS) assert.equal([...utf8Encode(text)], [...utf8EncodeByCodePoint(text)]);
    for (const bytes of BYTES) assert.is(utf8Decode(new Uint8Array(bytes)), utf8DecodeByCodePoint(new Uint8Array(bytes)));
    assert.ok(calls >= 3, `${calls} texts went to the host`);
  } finally {
    installTextCodec(null);
  }
});

test('bytes biased toward ASCII, with lead and continuation bytes mixed in, decode as the reference does, across chunk boundaries', () => {
  const byte = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) });
  fc.assert(fc.property(fc.array(byte, { minLength: 0, maxLength: 20_000 }), (xs) => {
    const bytes = new Uint8Array(xs);
    assert.is(utf8Decode(bytes), utf8DecodeByCodePoint(bytes));
  }), { numRuns: 150 });
});

test('a multi-byte character straddling a chunk boundary stays whole', () => {
  for (let pad = 8185; pad <= 8195; pad++) {
    const text = 'a'.repeat(pad) + 'é€😀' + 'b'.repeat(pad) + 'ü';
    assert.is(utf8Decode(utf8Encode(text)), text, `pad ${pad}`);
  }
});

test('QuickJS: the fast paths equal the code-point reference', async () => {
  const built = await esbuild.build({
    entryPoints: [path.join(__dirname, '../../firmware/kernel/text-codec.ts')],
    bundle: true, format: 'iife', globalName: 'Codec', target: 'es2020', platform: 'neutral', write: false, logLevel: 'silent',
  });
  const vm = (await getQuickJS()).newContext();
  try {
    const run = (code: string): unknown => {
      const result = vm.evalCode(code);
      if (result.error) {
        const error = vm.dump(result.error);
        result.error.dispose();
        throw new Error(JSON.stringify(error));
      }
      const value = vm.dump(result.value);
      result.value.dispose();
      return value;
    };
    run(built.outputFiles[0].text);
    const mismatches = run(`(function () {
      var texts = ${JSON.stringify(TEXTS)}, byteLists = ${JSON.stringify(BYTES)}, bad = [];
      function same(a, b) { if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }
      texts.forEach(function (t, i) { if (!same(Codec.utf8Encode(t), Codec.utf8EncodeByCodePoint(t))) bad.push('encode text ' + i); });
      byteLists.forEach(function (b, i) { var u = new Uint8Array(b); if (Codec.utf8Decode(u) !== Codec.utf8DecodeByCodePoint(u)) bad.push('decode bytes ' + i); });
      return bad;
    })()`);
    assert.equal(mismatches, []);
  } finally {
    vm.dispose();
  }
});

test('QuickJS: decoding a long non-ASCII text holds little more than its bytes and the text', async () => {
  const built = await esbuild.build({
    entryPoints: [path.join(__dirname, '../../firmware/kernel/text-codec.ts')],
    bundle: true, format: 'iife', globalName: 'Codec', target: 'es2020', platform: 'neutral', write: false, logLevel: 'silent',
  });
  const module = await newBytecodeQuickJSModule();
  const peak = newPeakRuntime(module);
  const vm = peak.runtime.newContext();
  try {
    vm.unwrapResult(vm.evalCode(built.outputFiles[0].text)).dispose();
    // 640 KB of UTF-8 with non-ASCII characters, one beyond Latin-1, and the bytes it came from.
    vm.unwrapResult(vm.evalCode("var bytes = Codec.utf8Encode('Zoë Ångström ' + 'x'.repeat(640 * 1024 - 40) + ' 王');")).dispose();
    const before = mallocBytes(module, peak.runtime);
    peak.resetPeak();
    vm.unwrapResult(vm.evalCode('var text = Codec.utf8Decode(bytes); text.length')).dispose();
    const held = mallocBytes(module, peak.runtime) - before;
    const transient = peak.peak() - before - held;
    assert.ok(held >= 640 * 1024, `the text is held (${held} bytes)`);
    // Decoded whole, its Latin-1 form and that form escaped were held beside it (~1.3 MB more).
    assert.ok(transient < 200_000, `${transient} bytes held at once beyond the text`);
  } finally {
    vm.dispose();
    peak.runtime.dispose();
    peak.release();
  }
});

test.run();
