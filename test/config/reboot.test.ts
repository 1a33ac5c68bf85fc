import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigBench, cfg } from './config-bench';

test('a cycle that changes only parameters without the reboot flag does not reboot', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'dir.search.field': '1', 'up.echoPasswordDigits': '0' })]]);
  assert.equal(b.config.finishCycle(), { changed: [], rebooting: false });
  assert.equal(b.reboots, []);
});

test('a reboot-flagged change reboots once, and not again on the next boot when nothing changed', () => {
  const b = new ConfigBench();
  const files: [string, string][] = [['site.cfg', cfg({ 'sec.pwd.length.admin': '8', 'feature.da.enabled': '1', 'dir.search.field': '1' })]];
  b.provision(files);
  const first = b.config.finishCycle();
  assert.equal(first.changed.sort(), ['feature.da.enabled', 'sec.pwd.length.admin']);
  assert.is(first.rebooting, true);
  assert.is(b.reboots.length, 1);
  assert.match(b.reboots[0], /sec\.pwd\.length\.admin/);
  // The phone comes back with the new values in force; the same files arrive again.
  const c = b.reboot();
  assert.is(c.get('sec.pwd.length.admin'), '8');
  b.provision(files);
  assert.equal(c.finishCycle(), { changed: [], rebooting: false });
  assert.is(b.reboots.length, 1);
  // A later, different change reboots again, once.
  b.provision([['site.cfg', cfg({ 'sec.pwd.length.admin': '10' })]]);
  assert.is(c.finishCycle().rebooting, true);
  assert.is(b.reboots.length, 2);
});

test('a change made on the phone to a reboot parameter also asks for the reboot at the end of the cycle', () => {
  const b = new ConfigBench();
  b.config.setOverride('local', 'up.regOnPhone', '1');
  assert.equal(b.config.finishCycle(), { changed: ['up.regOnPhone'], rebooting: true });
});

test('no reboot loop: if the change is still not in force after rebooting for it, the phone does not reboot again', () => {
  const b = new ConfigBench();
  const files: [string, string][] = [['site.cfg', cfg({ 'sec.pwd.length.user': '6' })]];
  b.provision(files);
  assert.is(b.config.finishCycle().rebooting, true);
  // The cache lost the file (e.g. the flash was full): the phone boots with the old value.
  b.store.delete('cfg/manifest.json');
  const c = b.reboot();
  assert.is(c.get('sec.pwd.length.user'), '2');
  b.provision(files);
  assert.is(c.finishCycle().rebooting, false);
  assert.is(b.reboots.length, 1);
  assert.is(b.logged(/^error\|reboot-required change of sec\.pwd\.length\.user still not in force/).length, 1);
});

test.run();
