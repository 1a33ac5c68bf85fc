/**
 * QuickJS phones read the image as bytecode compiled once per process
 * (sim/host/image-bytecode-cache.ts) instead of parsing its text at every
 * boot: they boot to the same screen, hold less heap (the functions' source
 * text is stripped), and an image that does not compile still fails its
 * boot with the parser's error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPhone, DEFAULT_IMAGE, type Phone } from '../../sim/phone';
import { loadImageAsBytecode, quickJsModule } from '../../sim/host/quickjs-engine';
import { imageBytecode } from '../../sim/host/image-bytecode-cache';

const KIB = 1024;

async function idlePhone(): Promise<Phone> {
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs' });
  await phone.boot();
  assert.is(phone.screen().id, 'idle');
  assert.equal(phone.faults, []);
  return phone;
}

test.after.each(() => loadImageAsBytecode(true));

test('a phone booted from bytecode shows what a phone that parsed the text shows, holding at least 400 KiB less heap', async () => {
  loadImageAsBytecode(false);
  const parsed = await idlePhone();
  const parsedScreen = parsed.screen();
  const parsedHeap = parsed.memoryUsage();
  parsed.dispose();
  loadImageAsBytecode(true);
  const read = await idlePhone();
  try {
    assert.equal(read.screen(), parsedScreen);
    assert.ok(read.memoryUsage() < parsedHeap - 400 * KIB, `bytecode ${read.memoryUsage()} bytes, text ${parsedHeap} bytes`);
  } finally {
    read.dispose();
  }
});

test('the image is compiled once per process: every phone reads the same bytecode', async () => {
  const module = await quickJsModule();
  const code = fs.readFileSync(DEFAULT_IMAGE, 'utf8');
  const first = imageBytecode(module, code, 'firmware.js');
  assert.ok(first && first.length > 100 * KIB, 'bytecode made');
  assert.is(imageBytecode(module, code, 'firmware.js'), first);
  // A second copy of the same text (another read of the file) finds it too.
  assert.is(imageBytecode(module, fs.readFileSync(DEFAULT_IMAGE, 'utf8'), 'firmware.js'), first);
});

test('an image that does not compile fails its boot with the parser\'s error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-image-'));
  const image = path.join(dir, 'firmware.js');
  fs.writeFileSync(image, 'var PhoneFirmware = (function () {\n  return { boot: function ( {} };\n})();\n');
  const phone = await createPhone({ board: 'desk-500', engine: 'quickjs', image });
  try {
    await phone.boot();
    assert.is(phone.state, 'crashed');
    assert.is(phone.faults.length, 1);
    assert.match(phone.faults[0].message, /SyntaxError|expecting|unexpected/i);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
