import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decideBootReason, WDIOF_CARDRESET, type BootRecord } from '../../hal/linux/boot-record';
import { LinuxPower } from '../../hal/linux/linux-power';

const record = (over: Partial<BootRecord> = {}): BootRecord => ({ bootCount: 3, reason: 'power-on', message: '', running: false, bootId: 'A', ...over });
const kernel = (bootId: string, watchdogBootstatus = 0, boardReason?: string) => ({ bootId, watchdogBootstatus, ...(boardReason ? { boardReason } : {}) });

test('power-on: first boot ever, or the previous run stopped cleanly (same or new kernel boot)', () => {
  assert.is(decideBootReason(null, kernel('A')).reason, 'power-on');
  assert.is(decideBootReason(record(), kernel('A')).reason, 'power-on');
  assert.is(decideBootReason(record(), kernel('B')).reason, 'power-on');
});

test('reboot: the previous run asked for one, with its message, whatever the kernel says', () => {
  assert.equal(decideBootReason(record({ rebootRequested: 'reset: Reset to Factory' }), kernel('B', WDIOF_CARDRESET)), { reason: 'reboot', message: 'reset: Reset to Factory' });
  assert.is(decideBootReason(record({ rebootRequested: 'check-sync' }), kernel('A')).reason, 'reboot');
});

test('watchdog: a new kernel boot and the watchdog bootstatus has CARDRESET, or the board says so', () => {
  assert.is(decideBootReason(record({ running: true }), kernel('B', WDIOF_CARDRESET)).reason, 'watchdog');
  assert.is(decideBootReason(null, kernel('B', WDIOF_CARDRESET | 0x1)).reason, 'watchdog');
  assert.is(decideBootReason(record({ running: true }), kernel('B', 0, 'watchdog')).reason, 'watchdog');
  // Other bootstatus bits (e.g. WDIOF_OVERHEAT 0x1) are not a watchdog reset.
  assert.is(decideBootReason(record(), kernel('B', 0x1)).reason, 'power-on');
});

test('watchdog status is not believed within the same kernel boot (the flag stays set for the whole boot)', () => {
  assert.is(decideBootReason(record({ running: true }), kernel('A', WDIOF_CARDRESET)).reason, 'crash');
  assert.is(decideBootReason(record({ running: false }), kernel('A', WDIOF_CARDRESET)).reason, 'power-on');
});

test('power-cut: the previous run never stopped and the kernel booted again', () => {
  assert.is(decideBootReason(record({ running: true }), kernel('B')).reason, 'power-cut');
  assert.is(decideBootReason(record({ running: false }), kernel('B', 0, 'power-cut')).reason, 'power-cut');
});

test('crash: the previous run never stopped within the same kernel boot (systemd restarted the process)', () => {
  assert.is(decideBootReason(record({ running: true }), kernel('A')).reason, 'crash');
});

test('an unknown board reason is ignored', () => {
  assert.is(decideBootReason(record({ running: true }), kernel('B', 0, 'brownout')).reason, 'power-cut');
});

test('LinuxPower keeps the count and reason in the state directory across runs; a torn record starts the count again, logged', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'power-'));
  try {
    const bootId = path.join(dir, 'boot_id');
    fs.writeFileSync(bootId, 'A\n');
    const paths = { stateDir: dir, bootIdFile: bootId, watchdogBootstatusFile: path.join(dir, 'none') };
    const log: string[] = [];
    const first = new LinuxPower(paths, (l) => log.push(l));
    assert.equal([first.bootCount(), first.lastBootReason()], [1, 'power-on']);
    // Killed: same kernel → crash.
    const second = new LinuxPower(paths, (l) => log.push(l));
    assert.equal([second.bootCount(), second.lastBootReason()], [2, 'crash']);
    second.recordReboot('user asked');
    fs.writeFileSync(bootId, 'B\n');
    const third = new LinuxPower(paths, (l) => log.push(l));
    assert.equal([third.bootCount(), third.lastBootReason(), third.lastRebootMessage()], [3, 'reboot', 'user asked']);
    third.recordCleanStop();
    const fourth = new LinuxPower(paths, (l) => log.push(l));
    assert.equal([fourth.bootCount(), fourth.lastBootReason()], [4, 'power-on']);
    fs.writeFileSync(path.join(dir, 'boot.json'), '{"bootCount":');
    const fifth = new LinuxPower(paths, (l) => log.push(l));
    assert.equal([fifth.bootCount(), fifth.lastBootReason()], [1, 'power-on']);
    assert.ok(log.some((l) => /boot.json is not JSON/.test(l)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
