/**
 * The real bundle in QuickJS boots with configuration cached in its flash
 * store and puts it in force: values from CONFIG_FILES and overrides, bad
 * values refused with their log line, the board's contact limit. The flash
 * image is prepared by the firmware's own config service run in this process
 * (as a provisioning cycle would leave it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootInProcess } from '../../sim/host/in-process-firmware';
import { withPhone } from '../helpers/sim';
import { cfg, master } from './config-bench';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-boot-'));

function provisionedImage(board: string, file: string): string {
  const phone = bootInProcess({ board });
  const c = phone.booted.config;
  assert.ok(c.applyMaster(master('site.cfg')).ok);
  c.applyConfigFile('site.cfg', cfg({ 'prov.login.automaticLogout': '30', 'sec.pwd.length.admin': '99', 'dir.local.contacts.maxNum': '100', 'deviceAnalytics.note': 'R&D' }));
  c.setOverride('local', 'callLists.collapseDuplicates', '0');
  const image = path.join(tmp, file);
  phone.save(image);
  return image;
}

test('QuickJS: configuration cached in flash is in force at boot, with the layer that set each value', async () => {
  const image = provisionedImage('desk-500', 'desk-500.img');
  await withPhone({ board: 'desk-500', engine: 'quickjs', flashImage: image }, async (phone) => {
    const log = phone.log();
    const cfgLines = log.filter((l) => l.includes('|cfg|'));
    assert.ok(cfgLines.some((l) => /\|cfg\|1\|\d+\|loaded: master 000000000000\.cfg, 1 config files, overrides local 1/.test(l)), cfgLines.join('\n'));
    assert.ok(cfgLines.some((l) => l.endsWith('|prov.login.automaticLogout="30" from files (site.cfg)')), cfgLines.join('\n'));
    assert.ok(cfgLines.some((l) => l.endsWith('|callLists.collapseDuplicates="0" from local (0004f2a1b2c3-phone.cfg)')), cfgLines.join('\n'));
    assert.ok(cfgLines.some((l) => l.endsWith('|deviceAnalytics.note="R&D" from files (site.cfg)')), 'bare & read in QuickJS');
    assert.ok(cfgLines.some((l) => /\|cfg\|3\|\d+\|site\.cfg: rejected sec\.pwd\.length\.admin="99": out of range/.test(l)), 'rejected value logged');
    assert.ok(cfgLines.some((l) => l.endsWith('|dir.local.contacts.maxNum="100" from files (site.cfg)')), '100 is within the desk-500 limit');
    assert.equal(phone.faults, []);
    assert.is(phone.state, 'running');
  });
});

test('QuickJS: the desk-99 board refuses 100 contacts (model limit 99)', async () => {
  const image = provisionedImage('desk-99', 'desk-99.img');
  await withPhone({ board: 'desk-99', engine: 'quickjs', flashImage: image }, async (phone) => {
    const log = phone.log();
    assert.ok(log.some((l) => /\|cfg\|3\|\d+\|site\.cfg: rejected dir\.local\.contacts\.maxNum="100": out of range: allowed 1\.\.99/.test(l)), log.join('\n'));
    assert.ok(log.some((l) => l.endsWith('|prov.login.automaticLogout="30" from files (site.cfg)')));
    assert.equal(phone.faults, []);
  });
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
