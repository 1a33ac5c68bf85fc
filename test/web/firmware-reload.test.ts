/**
 * `phone sim --watch`: a new factory image reboots the phone on it with its
 * flash kept, the build it runs is named (version, hash, build time), and the
 * watcher turns a burst of saves into one build and survives a failed one.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFirmware } from '../../build/bundle';
import { describeFirmware } from '../../sim/host/firmware-build-info';
import { loadFirmwareImage, type LoadedImage } from '../../sim/host/firmware-image-cache';
import { FirmwareReloader } from '../../sim/host/firmware-reloader';
import { DEFAULT_IMAGE } from '../../sim/phone';
import { phoneSnapshot } from '../../sim/web/phone-snapshot';
import { bootPhone } from '../helpers/sim';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const reload = suite('firmware reload');

reload('the build info names the version from the image banner and a hash of the code', () => {
  const image = loadFirmwareImage(DEFAULT_IMAGE);
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  assert.is(image.build?.version, pkg.version);
  assert.match(image.build!.hash, /^[0-9a-f]{12}$/);
  assert.ok(image.build!.builtAt > 0);
  assert.is(describeFirmware('var x=1', 0).version, '', 'no banner: no version');
});

reload('a new image reboots the phone on it with its flash kept, and the snapshot names the new build', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reload-image-'));
  const phone = await bootPhone({ board: 'desk-500' });
  try {
    const before = phone.build!;
    const bootCount = phone.devices.power.bootCount();
    const flashOps = phone.devices.flash.operationCount();
    const dumpBefore = phone.dumpFlash();
    const out = path.join(dir, 'firmware.js');
    await buildFirmware(out, undefined, '9.9.9-reload');
    await phone.reloadImage(loadFirmwareImage(out));
    assert.is(phone.state, 'running');
    assert.is(phone.lastBootReason(), 'reboot');
    assert.is(phone.devices.power.bootCount(), bootCount + 1);
    assert.is(phone.build!.version, '9.9.9-reload');
    assert.is.not(phone.build!.hash, before.hash);
    assert.is(phoneSnapshot(phone).build?.version, '9.9.9-reload');
    // Same flash: the counters go on and the nvram written before stays (the staged settings keep the wizard away).
    assert.ok(phone.devices.flash.operationCount() >= flashOps);
    assert.ok(dumpBefore.length > 0 && phone.dumpFlash().subarray(0, 4096).equals(dumpBefore.subarray(0, 4096)) || phone.devices.flash.operationCount() > flashOps, "the flash is the one written before");
    await phone.advance(2000);
    assert.is(phone.screen().id, 'idle', 'the new image reaches the idle screen without the out-of-box wizard');
    assert.is(phone.faults.length, 0);
  } finally {
    phone.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

reload('the watcher makes one build for a burst of saves, reports a failed build and builds again on the next save', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reload-watch-'));
  fs.mkdirSync(path.join(dir, 'ui'));
  let builds = 0;
  let fail = false;
  const images: LoadedImage[] = [];
  const errors: string[] = [];
  const reloader = new FirmwareReloader({
    folders: [dir],
    debounceMs: 30,
    rebuild: async () => {
      builds++;
      if (fail) throw new Error('syntax error in ui/a.ts');
      return { code: `build ${builds}`, sourceMap: undefined as never, resources: null };
    },
    onImage: (image) => { images.push(image); },
    onError: (e) => errors.push(e.message),
  });
  try {
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(dir, 'ui', 'a.ts'), `export const a = ${i};`);
    await sleep(400);
    assert.is(builds, 1, 'one build for the burst');
    assert.is(images.length, 1);
    fs.writeFileSync(path.join(dir, 'ui', '.a.ts.swp'), 'x');
    await sleep(200);
    assert.is(builds, 1, 'an editor swap file is not a source');
    fail = true;
    fs.writeFileSync(path.join(dir, 'ui', 'a.ts'), 'export const a = ;');
    await sleep(300);
    assert.equal(errors, ['syntax error in ui/a.ts']);
    fail = false;
    fs.writeFileSync(path.join(dir, 'ui', 'a.ts'), 'export const a = 4;');
    await sleep(300);
    assert.is(images.length, 2, 'the next save builds again');
  } finally {
    reloader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

reload.run();
