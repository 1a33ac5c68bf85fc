/**
 * Issue 15 point 4: the drivers' struct layouts and ioctl numbers hold on
 * 32-bit ARM. test/board/armhf-check.ts is bundled and run in the armv7l
 * Node build from npm under qemu-arm-static with Debian's armhf libc
 * (test/board/prepare-armhf.sh installs both), where koffi lays the structs
 * out with the ARM EABI; the same check runs in this machine's Node as well.
 * Under CI=true a missing prerequisite fails the run; elsewhere the armhf
 * test is left out with the reason printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EVIOCGKEY, EVIOCGNAME, EVIOCGRAB, MEMERASE, MEMGETINFO, inputEventLayout } from '../../hal/linux/kernel-abi';

const ROOT = path.resolve(__dirname, '../..');
const ARM_NODE = path.join(ROOT, '.cache/armhf/node/bin/node');
const ARM_LOADER = '/lib/ld-linux-armhf.so.3';

interface CheckResult {
  arch: string;
  koffi: { long: number; input_event: unknown; mtd_info_user: unknown; erase_info_user: unknown; ioctl: Record<string, number> };
  abi: CheckResult['koffi'];
  ioctlErrno: Record<string, string>;
}

let bundleDir: string | null = null;

/** armhf-check.ts as one CommonJS file (koffi left to NODE_PATH: its prebuilt binaries stay in node_modules). */
function bundle(): string {
  if (!bundleDir) {
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armhf-check-'));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({
      entryPoints: [path.join(__dirname, 'armhf-check.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      external: ['koffi'], outfile: path.join(bundleDir, 'check.js'), logLevel: 'error',
    });
  }
  return path.join(bundleDir, 'check.js');
}

function runCheck(command: string, args: string[]): CheckResult {
  const out = execFileSync(command, [...args, bundle()], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, encoding: 'utf8', timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as CheckResult;
}

function assertAgrees(result: CheckResult, arch: string, underQemu: boolean): void {
  assert.is(result.arch, arch);
  assert.equal(result.abi, result.koffi, `kernel-abi.ts and koffi's ${arch} C layout agree`);
  assert.equal(result.abi.input_event, inputEventLayout(arch), `what the host computes for ${arch} is what ${arch} computes`);
  assert.equal(result.koffi.ioctl, { MEMGETINFO: 0x80204d01, MEMERASE: 0x40084d02, EVIOCGRAB: 0x40044590, EVIOCGKEY96: EVIOCGKEY(96), EVIOCGNAME256: EVIOCGNAME(256) });
  assert.equal([MEMGETINFO, MEMERASE, EVIOCGRAB], [0x80204d01, 0x40084d02, 0x40044590]);
  assert.is(result.ioctlErrno.TCGETS, 'ENOTTY', 'libc ioctl through koffi reports the errno by name');
  // qemu-user answers ENOSYS for ioctls missing from its translation table (the MTD and evdev ones are): still an errno, by name.
  const driverErrno = underQemu ? /^(ENOTTY|ENOSYS)$/ : /^ENOTTY$/;
  assert.match(result.ioctlErrno.MEMGETINFO, driverErrno);
  assert.match(result.ioctlErrno.EVIOCGRAB, driverErrno);
}

test(`this machine's Node (${process.arch}): kernel-abi layouts equal koffi's`, () => {
  const result = runCheck(process.execPath, []);
  assertAgrees(result, process.arch, false);
  if (process.arch === 'x64' || process.arch === 'arm64') assert.is(result.koffi.input_event && (result.koffi.input_event as { size: number }).size, 24);
});

/** Why the armhf check cannot run here, or null. */
function missingArmhf(): string | null {
  const qemu = spawnSync('qemu-arm-static', ['--version'], { encoding: 'utf8' });
  if (qemu.error || qemu.status !== 0) return 'qemu-arm-static is not installed (apt-get install qemu-user-static)';
  if (!fs.existsSync(ARM_LOADER)) return `${ARM_LOADER} is missing (armhf libc: run test/board/prepare-armhf.sh)`;
  if (!fs.existsSync(ARM_NODE)) return `${path.relative(ROOT, ARM_NODE)} is missing (armv7l Node: run test/board/prepare-armhf.sh)`;
  if (!fs.existsSync(path.join(ROOT, 'node_modules/koffi/build/koffi/linux_armhf/koffi.node'))) return 'koffi has no linux_armhf prebuild in node_modules';
  return null;
}

const missing = missingArmhf();
if (missing === null || process.env.CI === 'true') {
  test('armv7l Node under qemu-arm-static: input_event is 16 bytes and every layout and ioctl number equals koffi\'s ARM EABI', () => {
    assert.is(missing, null, `CI=true: the armhf check must run, but ${missing}`);
    // Debian multiarch: the loader and libraries sit at their armhf paths on this root, so no -L / QEMU_LD_PREFIX.
    const result = runCheck('qemu-arm-static', [ARM_NODE]);
    assertAgrees(result, 'arm', true);
    assert.is(result.koffi.long, 4);
    assert.equal(result.koffi.input_event, { size: 16, offsets: { sec: 0, usec: 4, type: 8, code: 10, value: 12 } });
    assert.is((result.koffi.mtd_info_user as { size: number }).size, 32);
  });
} else {
  console.log(`armhf-layout: the armhf check is left out here: ${missing} (under CI=true this fails)`);
}

test.after(() => {
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

test.run();
