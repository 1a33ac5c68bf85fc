import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { buildFirmware, formatReport, GLOBAL_NAME, type BuildReport } from '../../build/bundle';
import { ResourcePack } from '../../sim/host/resource-pack';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
const fixture = (name: string) => path.resolve(__dirname, '..', 'fixtures', 'faulty-firmware', 'node-builtin', name);
let report: BuildReport;
let code = '';

test.before(async () => {
  report = await buildFirmware(path.join(dir, 'firmware.js'));
  code = fs.readFileSync(report.outFile, 'utf8');
});
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the image is one IIFE that defines only its global, with no imports or requires', () => {
  // After the one-line comment that names the build (build/image-banner.ts).
  assert.match(code, new RegExp(`^/\\* [^\\n]* \\*/\\n("use strict";\\s*)?var ${GLOBAL_NAME}\\s*=\\s*\\(\\(\\)\\s*=>\\s*\\{`), code.slice(0, 90));
  assert.match(code.trimEnd(), /\}\)\(\);?\s*\/\/# sourceMappingURL=\S+$/, 'the IIFE closes at the end');
  assert.not.match(code, /\brequire\(["'`]|__require/, 'no CommonJS require of a module');
  assert.not.match(code, /^\s*(import|export)\s/m);
});

test('the image runs in a bare ES context (no Node globals) and exposes boot(hal) and version', () => {
  const sandbox: Record<string, unknown> = {};
  vm.createContext(sandbox);
  const image = vm.runInContext(`${code}\n;${GLOBAL_NAME}`, sandbox) as { boot: unknown; version: unknown; createGuestHal: unknown };
  assert.type(image.boot, 'function');
  assert.type(image.createGuestHal, 'function');
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  assert.is(image.version, pkg.version);
  assert.is(Object.keys(sandbox).join(','), GLOBAL_NAME, 'nothing but the image global leaks');
});

test('the image is ES2020: esbuild lowers nothing newer (no ??=, no class fields, no top-level await)', () => {
  assert.not.match(code, /\?\?=|\|\|=|&&=/);
  assert.not.match(code, /^\s+#\w+\s*[;=]/m);
  // Parses as a classic script, which ES2020 engines (QuickJS) accept.
  assert.not.throws(() => new vm.Script(code));
});

test('a source map sits next to the image and maps back to firmware/*.ts', () => {
  assert.match(code.trimEnd(), /\/\/# sourceMappingURL=firmware\.js\.map$/);
  const map = JSON.parse(fs.readFileSync(report.mapFile, 'utf8'));
  assert.is(map.version, 3);
  const sources = (map.sources as string[]).map((s) => path.relative(path.resolve(__dirname, '..', '..'), path.resolve(dir, s)));
  assert.ok(sources.includes('firmware/main.ts'), sources.join(' '));
  assert.ok(sources.includes('hal/quickjs/guest.ts'));
  assert.ok(map.mappings.length > 1000);
});

test('the size report counts the bytes, the gzipped bytes and each input', () => {
  assert.is(report.bytes, fs.statSync(report.outFile).size);
  assert.ok(report.gzipBytes > 0 && report.gzipBytes < report.bytes);
  assert.ok(report.inputs.some((i) => i.path === 'firmware/main.ts' && i.bytes > 0));
  const sum = report.inputs.reduce((n, i) => n + i.bytes, 0);
  assert.ok(sum <= report.bytes && sum > report.bytes * 0.5, `inputs ${sum} of ${report.bytes}`);
  for (let i = 1; i < report.inputs.length; i++) assert.ok(report.inputs[i - 1].bytes >= report.inputs[i].bytes, 'largest first');
  const text = formatReport(report, 3);
  assert.match(text, /firmware\.js: \d+\.\d KiB \(\d+\.\d KiB gzipped\), map /);
  assert.match(text, /… \d+ more inputs/);
});

async function buildError(entry: string): Promise<string> {
  try {
    await buildFirmware(path.join(dir, 'bad.js'), entry);
  } catch (e) {
    const errors = (e as { errors?: { text: string }[] }).errors;
    return errors ? errors.map((m) => m.text).join('\n') : String(e);
  }
  return 'build succeeded';
}

test('the font\'s glyphs are in the resource pack beside the image, not in the bundle (the heap never holds them)', () => {
  assert.ok(report.resourceFile && fs.existsSync(report.resourceFile), 'firmware.res beside firmware.js');
  assert.is(path.basename(report.resourceFile!), 'firmware.res');
  const pack = new ResourcePack(fs.readFileSync(report.resourceFile!));
  assert.ok(pack.size('unifont') > 1_000_000, `unifont resource of ${pack.size('unifont')} bytes`);
  assert.ok(report.bytes < 600 * 1024, `bundle of ${report.bytes} bytes holds no font blob`);
  assert.not.match(code, /unifont-glyphs|narrowBits|wideBits/);
});

test('a firmware entry that imports a Node built-in fails the build, naming the built-in and the importer', async () => {
  const msg = await buildError(fixture('entry.ts'));
  assert.match(msg, /firmware must not use the Node built-in "fs"/);
  assert.match(msg, /imported by test\/fixtures\/faulty-firmware\/node-builtin\/reads-config\.ts/);
  assert.not.ok(fs.existsSync(path.join(dir, 'bad.js')), 'no image written');
});

test('a node:-prefixed built-in fails the build too', async () => {
  const msg = await buildError(fixture('prefixed.ts'));
  assert.match(msg, /Node built-in "node:crypto".*prefixed\.ts/);
});

test.run();
