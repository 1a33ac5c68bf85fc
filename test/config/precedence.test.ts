import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigBench, cfg, master } from './config-bench';

test('defaults follow the declarations and the Base Profile', () => {
  const b = new ConfigBench();
  const c = b.config;
  assert.is(c.get('callLists.collapseDuplicates'), '1');
  assert.is(c.get('feature.exchangeCallLog.enabled'), '0');
  assert.is(c.get('prov.login.localPassword'), '123');
  assert.is(c.getInteger('sec.pwd.length.user'), 2);
  assert.is(c.explain('callLists.collapseDuplicates').layer, 'default');
  assert.match(c.explain('callLists.collapseDuplicates').source!, /Generic/);
  b.provision([['site.cfg', cfg({ 'device.baseProfile': 'SkypeForBusiness', 'device.baseProfile.set': '1' })]]);
  assert.is(c.get('callLists.collapseDuplicates'), '0');
  assert.is(c.get('feature.exchangeCallLog.enabled'), '1');
  assert.is(c.get('callLists.logConsultationCalls'), '1');
  assert.match(c.explain('feature.exchangeCallLog.enabled').source!, /Skype for Business/);
});

test('dir.local.contacts.maxNum defaults to the board limit', () => {
  assert.is(new ConfigBench('desk-500').config.get('dir.local.contacts.maxNum'), '500');
  assert.is(new ConfigBench('desk-99').config.get('dir.local.contacts.maxNum'), '99');
});

test('CONFIG_FILES: the FIRST file that sets a parameter wins, whatever the download order', () => {
  const b = new ConfigBench();
  b.config.applyMaster(master('first.cfg, second.cfg'));
  b.config.applyConfigFile('second.cfg', cfg({ 'prov.login.automaticLogout': '20', 'dir.search.field': '1' }));
  b.config.applyConfigFile('first.cfg', cfg({ 'prov.login.automaticLogout': '10' }));
  const e = b.config.explain('prov.login.automaticLogout');
  assert.is(e.value, '10');
  assert.is(e.layer, 'files');
  assert.is(e.source, 'first.cfg');
  assert.equal(e.candidates.map((x) => [x.source, x.value]), [['first.cfg', '10'], ['second.cfg', '20'], ['default', '0']]);
  assert.is(b.config.explain('dir.search.field').source, 'second.cfg');
});

test('a file dropped from CONFIG_FILES stops contributing, and a file not listed is refused', () => {
  const b = new ConfigBench();
  b.provision([['a.cfg', cfg({ 'prov.login.automaticLogout': '10' })], ['b.cfg', cfg({ 'prov.login.automaticLogout': '20' })]]);
  b.config.applyMaster(master('b.cfg'));
  assert.is(b.config.get('prov.login.automaticLogout'), '20');
  const r = b.config.applyConfigFile('a.cfg', cfg({ 'prov.login.automaticLogout': '10' }));
  assert.is(r.ok, false);
  assert.is(b.config.get('prov.login.automaticLogout'), '20');
  assert.ok(b.logged(/a\.cfg: rejected, not listed in CONFIG_FILES/).length === 1);
});

test('precedence across all layers: user > local > web > cloud > files > default', () => {
  const b = new ConfigBench();
  const c = b.config;
  const name = 'prov.login.automaticLogout';
  b.provision([['site.cfg', cfg({ [name]: '1' })]]);
  c.applyOverrideFile('cloud', cfg({ [name]: '2' }));
  c.setOverride('web', name, '3');
  c.setOverride('local', name, '4');
  assert.ok(c.setUser('alice'));
  c.setOverride('user', name, '5');
  const layers = () => c.explain(name).candidates.map((x) => `${x.layer}:${x.value}`);
  assert.equal(layers(), ['user:5', 'local:4', 'web:3', 'cloud:2', 'files:1', 'default:0']);
  const expect: [string, string, string][] = [['5', 'user', 'alice-phone.cfg'], ['4', 'local', `${b.mac}-phone.cfg`], ['3', 'web', `${b.mac}-web.cfg`], ['2', 'cloud', 'cloud configuration'], ['1', 'files', 'site.cfg'], ['0', 'default', 'default']];
  const peel = [() => c.removeOverride('user', name), () => c.removeOverride('local', name), () => c.clearLayer('web'), () => c.clearLayer('cloud'), () => c.applyMaster(master(''))];
  for (let i = 0; i < expect.length; i++) {
    const e = c.explain(name);
    assert.equal([e.value, e.layer, e.source], expect[i], `step ${i}`);
    assert.is(c.get(name), expect[i][0]);
    peel[i]?.();
  }
});

test('user profiles: <user>.cfg is read before CONFIG_FILES; logout removes the user layers', () => {
  const b = new ConfigBench();
  const c = b.config;
  b.provision([['site.cfg', cfg({ 'dir.search.field': '0', 'up.echoPasswordDigits': '1' })]]);
  c.setOverride('local', 'up.echoPasswordDigits', '0');
  assert.is(c.applyUserConfig(cfg({ 'dir.search.field': '1' })).ok, false, 'nobody logged in');
  c.setUser('bob');
  c.applyUserConfig(cfg({ 'dir.search.field': '1' }));
  c.setOverride('user', 'up.echoPasswordDigits', '1');
  assert.is(c.explain('dir.search.field').source, 'bob.cfg');
  assert.is(c.explain('up.echoPasswordDigits').source, 'bob-phone.cfg');
  // A power cycle keeps the logged-in user's files (the login module re-selects the user).
  c.setOverride('user', 'dir.search.field', '1');
  const again = b.reboot();
  again.setUser('bob');
  assert.is(again.explain('up.echoPasswordDigits').source, 'bob-phone.cfg');
  assert.is(again.explain('dir.search.field').layer, 'user');
  again.setUser(null);
  assert.is(again.get('dir.search.field'), '0');
  assert.is(again.explain('up.echoPasswordDigits').source, `${b.mac}-phone.cfg`);
  again.setUser('bob');
  assert.is(again.explain('dir.search.field').source, 'site.cfg', 'logout cleared bob\'s files from the phone');
  assert.is(again.setUser('../etc'), false);
});

test('a user\'s files may not set parameters that need a reboot (spec: "only add parameters that don\'t cause the phone to restart")', () => {
  const b = new ConfigBench();
  const c = b.config;
  c.setUser('carol');
  const r = c.applyUserConfig(cfg({ 'sec.pwd.length.user': '6', 'dir.search.field': '1' }));
  assert.equal(r.rejected.map((x) => x.name), ['sec.pwd.length.user']);
  assert.is(c.get('sec.pwd.length.user'), '2');
  assert.is(c.get('dir.search.field'), '1');
  assert.equal(c.setOverride('user', 'up.regOnPhone', '1').rejected.map((x) => x.reason), ["needs a reboot: not accepted in a user's file"]);
  assert.is(c.get('up.regOnPhone'), '0');
  assert.is(c.finishCycle().rebooting, false);
  assert.is(b.logged(/^warning\|carol\.cfg: rejected sec\.pwd\.length\.user="6": needs a reboot/).length, 1);
});

test('device.* from files applies only with its .set="1" companion; device.set="0" holds all back', () => {
  const b = new ConfigBench();
  const c = b.config;
  const key = 'device.auth.localAdminPassword';
  b.provision([['site.cfg', cfg({ [key]: 'secret99' })]]);
  let e = c.explain(key);
  assert.is(e.value, '');
  assert.is(e.layer, 'default');
  assert.equal([e.candidates[0].applied, e.candidates[0].note], [false, `${key}.set is not 1`]);
  // The companion may come from another file of the list.
  b.provision([['site.cfg', cfg({ [key]: 'secret99' })], ['set.cfg', cfg({ [`${key}.set`]: '1' })]]);
  e = c.explain(key);
  assert.equal([e.value, e.source], ['secret99', 'site.cfg']);
  b.provision([['site.cfg', cfg({ [key]: 'secret99', [`${key}.set`]: '1', 'device.set': '0' })]]);
  assert.is(c.get(key), '');
  assert.match(c.explain(key).candidates[0].note!, /device\.set is 0/);
  // The spec's analytics example: device.da.enabled with its .set and no device.set.
  b.provision([['da.cfg', cfg({ 'feature.lens.enabled': '1', 'device.da.enabled.set': '1', 'device.da.enabled': '1', 'da.supported.services': 'all' })]]);
  assert.is(c.get('device.da.enabled'), '1');
  // Changes made on the phone are not gated.
  c.setOverride('local', 'device.system.recoveryType', 'PreserveAdmin');
  assert.is(c.get('device.system.recoveryType'), 'PreserveAdmin');
});

test('names match exactly first, then case-insensitively (the spec writes dir.local.readOnly too)', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'dir.local.readOnly': '1' })]]);
  assert.is(b.config.get('dir.local.readonly'), '1');
  assert.is(b.config.explain('dir.local.readOnly').name, 'dir.local.readonly');
});

test('onChange reports each effective change once, with the reboot flag', () => {
  const b = new ConfigBench();
  const seen: string[] = [];
  b.config.onChange((changes) => { for (const ch of changes) seen.push(`${ch.name}:${ch.from}->${ch.to}${ch.reboot ? ':R' : ''}`); });
  b.provision([['site.cfg', cfg({ 'dir.search.field': '1', 'sec.pwd.length.admin': '8' })]]);
  b.config.applyConfigFile('site.cfg', cfg({ 'dir.search.field': '1', 'sec.pwd.length.admin': '8' }));
  b.config.setOverride('local', 'dir.search.field', '1');
  assert.equal(seen.sort(), ['dir.search.field:0->1', 'sec.pwd.length.admin:1->8:R']);
});

test('onOverridesChanged fires for changes made on the phone, not for downloaded override files', () => {
  const b = new ConfigBench();
  const seen: string[] = [];
  b.config.onOverridesChanged((layer) => seen.push(layer));
  b.config.setOverride('local', 'dir.search.field', '1');
  b.config.setOverride('local', 'dir.search.field', '1');
  b.config.setOverride('web', 'dir.search.field', '0');
  b.config.removeOverride('web', 'dir.search.field');
  b.config.applyOverrideFile('local', '<PHONE_CONFIG><OVERRIDES dir.search.field="0"/></PHONE_CONFIG>');
  b.config.clearLayer('local');
  assert.equal(seen, ['local', 'web', 'web', 'local']);
});

test('everything survives a reboot from the flash cache; overrides are stored in OVERRIDES form', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '15' })]]);
  b.config.setOverride('local', 'up.echoPasswordDigits', '0');
  b.config.setOverride('web', 'dir.search.field', '1');
  b.config.applyOverrideFile('cloud', cfg({ 'log.render.file': '0' }));
  const c = b.reboot();
  assert.equal([c.get('prov.login.automaticLogout'), c.explain('prov.login.automaticLogout').source], ['15', 'site.cfg']);
  assert.equal([c.get('up.echoPasswordDigits'), c.explain('up.echoPasswordDigits').layer], ['0', 'local']);
  assert.equal([c.get('dir.search.field'), c.explain('dir.search.field').layer], ['1', 'web']);
  assert.equal([c.get('log.render.file'), c.explain('log.render.file').layer], ['0', 'cloud']);
  assert.equal(c.masterConfig()?.configFiles, ['site.cfg']);
  const stored = new TextDecoder().decode(b.store.read('cfg/local.cfg')!);
  assert.match(stored, /<PHONE_CONFIG>\s*<OVERRIDES\s+up\.echoPasswordDigits="0"\s*\/>\s*<\/PHONE_CONFIG>/);
  assert.is(c.overrideText('local'), stored);
  // A log line per non-default value says where it came from.
  assert.ok(b.logged(/info\|up\.echoPasswordDigits="0" from local \(0004f2a1b2c3-phone\.cfg\)/).length >= 1);
});

test('the same files again (a polling cycle without changes) write nothing to flash', () => {
  const b = new ConfigBench();
  const files: [string, string][] = [['site.cfg', cfg({ 'dir.search.field': '1' })], ['more.cfg', cfg({ 'up.echoPasswordDigits': '0' })]];
  b.provision(files);
  b.config.applyOverrideFile('local', '<PHONE_CONFIG><OVERRIDES dir.search.field="0"/></PHONE_CONFIG>');
  const before = b.store.stats().programOps;
  b.provision(files);
  b.config.applyOverrideFile('local', '<PHONE_CONFIG><OVERRIDES dir.search.field="0"/></PHONE_CONFIG>');
  assert.is(b.store.stats().programOps, before);
  b.provision([['site.cfg', cfg({ 'dir.search.field': '0' })], files[1]]);
  assert.ok(b.store.stats().programOps > before, 'a changed file is written');
});

test('Reset Local Configuration clears the local override file from flash', () => {
  const b = new ConfigBench();
  b.config.setOverride('local', 'dir.search.field', '1');
  b.config.clearLayer('local');
  assert.is(b.store.read('cfg/local.cfg'), null);
  assert.is(b.reboot().get('dir.search.field'), '0');
});

test.run();
