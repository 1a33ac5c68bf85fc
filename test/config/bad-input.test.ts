import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigBench, cfg, master } from './config-bench';

const bad: [kind: string, name: string, value: string, reason: RegExp][] = [
  ['wrong type (boolean)', 'up.echoPasswordDigits', 'yes', /wrong type/],
  ['wrong type (integer)', 'prov.login.automaticLogout', '10 minutes', /wrong type/],
  ['out of range (above)', 'prov.login.automaticLogout', '46001', /out of range/],
  ['out of range (below)', 'sec.pwd.length.admin', '-1', /out of range/],
  ['out of range (sec.pwd.length.user > 32)', 'sec.pwd.length.user', '33', /out of range/],
  ['too long (deviceAnalytics.note > 512)', 'deviceAnalytics.note', 'n'.repeat(513), /too long/],
  ['too long (obitalk.accountCode > 256)', 'obitalk.accountCode', 'a'.repeat(257), /too long/],
  ['too long (device.auth.localAdminPassword > 32)', 'device.auth.localAdminPassword', 'p'.repeat(33), /too long/],
  ['too long (da.supported.services > 2048)', 'da.supported.services', Array(300).fill('cdr,log').join(','), /too long/],
  ['unknown enum value', 'device.system.recoveryType', 'Partial', /unknown value/],
  ['unknown enum value (dir.search.field)', 'dir.search.field', '2', /unknown value/],
  ['unknown list item', 'da.supported.services', 'cdr,telemetry', /unknown item "telemetry"/],
];

for (const [kind, name, value, reason] of bad) {
  test(`rejected one by one with a log line naming file, parameter and value: ${kind}`, () => {
    const b = new ConfigBench();
    const before = b.config.get(name);
    b.config.applyMaster(master('site.cfg'));
    const r = b.config.applyConfigFile('site.cfg', cfg({ 'dir.local.readonly': '1', [name]: value, 'prov.login.required': '1' }));
    assert.ok(r.ok, 'the file itself is accepted');
    assert.equal(r.rejected.map((x) => [x.file, x.name, x.value]), [['site.cfg', name, value]]);
    assert.match(r.rejected[0].reason, reason);
    assert.is(b.config.get(name), before, 'rejected value not applied');
    assert.is(b.config.get('dir.local.readonly'), '1', 'the rest of the file applies');
    assert.is(b.config.get('prov.login.required'), '1', 'the rest of the file applies');
    const line = b.logged(/^warning\|site\.cfg: rejected /);
    assert.is(line.length, 1);
    // Secrets (parameters declared `secret`: passwords, keys, account codes) are logged by length only.
    const secret = b.config.explain(name).secret;
    assert.is(secret, /Password$|accountCode$/.test(name), `${name} is declared secret`);
    const logged = value.slice(0, 120);
    assert.ok(line[0].includes(`${name}="${secret ? `<${logged.length} characters hidden>` : logged}"`), line[0]);
    if (secret) assert.not.ok(line[0].includes(value.slice(0, 20)), 'secret not logged');
  });
}

test('limits themselves are accepted: 0 and 46000 minutes, 32-character password, 2048-character list', () => {
  const b = new ConfigBench();
  const services = 'log,'.repeat(509) + 'core,pcap,ni';
  assert.is(services.length, 2048);
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '46000', 'sec.pwd.length.admin': '0', 'deviceAnalytics.note': 'n'.repeat(512), 'da.supported.services': services, 'device.auth.localAdminPassword': 'p'.repeat(32), 'device.auth.localAdminPassword.set': '1' })]]);
  assert.is(b.config.get('da.supported.services'), services);
  assert.is(b.config.get('device.auth.localAdminPassword'), 'p'.repeat(32));
  assert.is(b.config.get('prov.login.automaticLogout'), '46000');
  assert.is(b.config.get('sec.pwd.length.admin'), '0');
  assert.is(b.config.get('deviceAnalytics.note')!.length, 512);
});

test('the board limit bounds dir.local.contacts.maxNum', () => {
  const b99 = new ConfigBench('desk-99');
  b99.provision([['site.cfg', cfg({ 'dir.local.contacts.maxNum': '100' })]]);
  assert.is(b99.config.get('dir.local.contacts.maxNum'), '99');
  assert.is(b99.logged(/rejected dir\.local\.contacts\.maxNum="100": out of range/).length, 1);
  const b500 = new ConfigBench('desk-500');
  b500.provision([['site.cfg', cfg({ 'dir.local.contacts.maxNum': '250' })]]);
  assert.is(b500.config.get('dir.local.contacts.maxNum'), '250');
});

test('malformed XML rejects that file and keeps its last good copy, also across a reboot', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'prov.login.automaticLogout': '30' })]]);
  const r = b.config.applyConfigFile('site.cfg', '<polycomConfig><ALL prov.login.automaticLogout="45"></polycomConfig>');
  assert.is(r.ok, false);
  assert.is(b.config.get('prov.login.automaticLogout'), '30');
  assert.is(b.logged(/^error\|site\.cfg: rejected, malformed XML/).length, 1);
  assert.is(b.reboot().get('prov.login.automaticLogout'), '30');
  assert.is(b.config.explain('prov.login.automaticLogout').source, 'site.cfg');
});

test('a CONFIG_FILES entry named like an Object property ("constructor") is kept in flash and applies after a reboot', () => {
  const b = new ConfigBench();
  b.provision([['constructor', cfg({ 'prov.login.automaticLogout': '30' })]]);
  assert.is(b.config.get('prov.login.automaticLogout'), '30');
  assert.is(b.logged(/cannot keep a copy in flash/).length, 0, 'cached without error');
  assert.is(b.reboot().get('prov.login.automaticLogout'), '30');
});

test('a malformed master file keeps the last good master', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'dir.search.field': '1' })]]);
  const r = b.config.applyMaster('<APPLICATION CONFIG_FILES="other.cfg"');
  assert.is(r.ok, false);
  assert.equal(b.config.masterConfig()?.configFiles, ['site.cfg']);
  assert.is(b.config.get('dir.search.field'), '1');
  assert.is(b.logged(/^error\|000000000000\.cfg: rejected, .*keeping last good 000000000000\.cfg/).length, 1);
  assert.equal(b.reboot().masterConfig()?.configFiles, ['site.cfg']);
});

test('a malformed override file keeps the previous override layer', () => {
  const b = new ConfigBench();
  b.config.applyOverrideFile('local', '<PHONE_CONFIG><OVERRIDES dir.search.field="1"/></PHONE_CONFIG>');
  const r = b.config.applyOverrideFile('local', '<PHONE_CONFIG><OVERRIDES dir.search.field="0"/>');
  assert.is(r.ok, false);
  assert.is(b.config.get('dir.search.field'), '1');
});

test('a bare & in a value is read as a literal &', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', '<polycomConfig deviceAnalytics.note="R&D lab, 3rd floor" dir.corp.password="p&amp;ss"/>']]);
  assert.is(b.config.get('deviceAnalytics.note'), 'R&D lab, 3rd floor');
  assert.is(b.config.get('dir.corp.password'), 'p&ss');
});

test('unknown parameters are ignored (counted in one log line), empty values mean "not set"', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', cfg({ 'voIpProt.server.1.address': 'pbx', 'reg.1.address': '100', 'prov.login.automaticLogout': '', 'dir.corp.password': '' })]]);
  assert.is(b.logged(/site\.cfg: 2 unknown parameters ignored/).length, 1);
  assert.is(b.config.explain('prov.login.automaticLogout').layer, 'default');
  assert.is(b.config.explain('dir.corp.password').layer, 'files');
});

test('a real Polycom file\'s xmlns:xsi and xsi:noNamespaceSchemaLocation on the root are not reported as unknown parameters', () => {
  const b = new ConfigBench();
  b.provision([['site.cfg', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- Generated by the fleet\'s configuration tool -->\n<polycomConfig xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="polycomConfig.xsd">\n  <dir dir.local.readonly="1" reg.1.address="100"/>\n</polycomConfig>\n']]);
  assert.is(b.config.get('dir.local.readonly'), '1');
  const unknown = b.logged(/site\.cfg: \d+ unknown parameters? ignored/);
  assert.equal(unknown.length, 1);
  assert.match(unknown[0], /site\.cfg: 1 unknown parameters ignored \(reg\.1\.address\)/);
  assert.is(b.logged(/xmlns|xsi:/).length, 0);
});

test('setOverride validates like a file does', () => {
  const b = new ConfigBench();
  const r = b.config.setOverride('local', 'sec.pwd.length.admin', '99');
  assert.equal(r.rejected.map((x) => [x.file, x.name, x.value]), [[`${b.mac}-phone.cfg`, 'sec.pwd.length.admin', '99']]);
  assert.is(b.config.get('sec.pwd.length.admin'), '1');
  assert.is(b.config.setOverride('local', 'no.such.parameter', '1').ok, false);
});

test('a flash store that refuses writes (full) loses nothing just accepted: values stay in force, the error is logged', () => {
  const b = new ConfigBench();
  const store = b.store;
  const full = () => { throw new Error('store full'); };
  store.write = full;
  store.transaction = full;
  b.provision([['site.cfg', cfg({ 'dir.search.field': '1' })]]);
  b.config.setOverride('local', 'up.echoPasswordDigits', '0');
  assert.is(b.config.get('dir.search.field'), '1');
  assert.is(b.config.get('up.echoPasswordDigits'), '0');
  assert.ok(b.logged(/^error\|site\.cfg: cannot keep a copy in flash \(store full\)/).length >= 1);
  assert.ok(b.logged(/^error\|0004f2a1b2c3-phone\.cfg: cannot keep a copy in flash/).length === 1);
});

test.run();
