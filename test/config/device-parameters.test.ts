/**
 * `device.*` parameters adopted into device settings (firmware/settings/
 * device-parameter-sync.ts) over the real config service: the `device.set`
 * master switch and each `.set`, once per value (not every boot, and a change
 * made at the phone stands until the files bring a new value), bad values
 * refused alone, secrets never in the log, a new server asks for one reboot.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeviceParameterSync, appliedKey } from '../../firmware/settings/device-parameter-sync';
import { provisioningServerBindings } from '../../firmware/provisioning/server-from-configuration';
import { provisioningServer } from '../../firmware/provisioning/server-settings';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { ConfigBench, cfg } from './config-bench';

class MapSettings {
  readonly values = new Map<string, string>();
  get(name: string): string | undefined { return this.values.get(name); }
  set(name: string, value: string): void { this.values.set(name, value); }
}

function setup(settings = new MapSettings(), bench = new ConfigBench()) {
  const lines: string[] = [];
  const sync = new DeviceParameterSync({
    config: bench.config,
    settings,
    crypto: new NodeCryptoEngine(),
    log: { notice: (t) => lines.push(`notice|${t}`), warning: (t) => lines.push(`warning|${t}`), error: (t) => lines.push(`error|${t}`) },
  }, provisioningServerBindings(settings));
  sync.watch();
  return { bench, settings, sync, lines };
}

const SERVER = { 'device.set': '1', 'device.prov.serverName': 'https://prov.example.com/phones', 'device.prov.serverName.set': '1' };

test('device.prov.* apply only with device.set not 0 and their own .set=1', () => {
  const { bench, settings } = setup();
  bench.provision([['site.cfg', cfg({ 'device.prov.serverName': 'a.example.com', 'device.prov.user': 'u1' })]]);
  assert.is(settings.get('device.prov.serverName'), undefined, 'no .set: not applied');
  bench.provision([['site.cfg', cfg({ ...SERVER, 'device.set': '0', 'device.prov.user': 'u1', 'device.prov.user.set': '1' })]]);
  assert.is(settings.get('device.prov.serverName'), undefined, 'device.set=0 freezes them all');
  assert.is(settings.get('device.prov.user'), undefined);
  bench.provision([['site.cfg', cfg({ ...SERVER, 'device.prov.user': 'u1', 'device.prov.user.set': '1' })]]);
  assert.is(settings.get('device.prov.serverName'), 'https://prov.example.com/phones');
  assert.is(settings.get('device.prov.user'), 'u1');
});

test('a new server name asks for one reboot at the end of the cycle; the next boot with the same files neither applies nor reboots', () => {
  const { bench, settings, sync, lines } = setup();
  bench.provision([['site.cfg', cfg(SERVER)]]);
  assert.equal(bench.config.finishCycle(), { changed: [], rebooting: true });
  assert.match(bench.reboots[0], /device\.prov\.serverName/);
  assert.is(lines.filter((l) => /device\.prov\.serverName="https:\/\/prov\.example\.com\/phones" from site\.cfg applied to the device, needs reboot/.test(l)).length, 1);
  // Reboot: the cached configuration has the same value; it is not applied again.
  const c = bench.reboot();
  const again = setup(settings, bench);
  again.sync.applyPending();
  bench.provision([['site.cfg', cfg(SERVER)]]);
  assert.equal(c.finishCycle(), { changed: [], rebooting: false });
  assert.is(bench.reboots.length, 1);
  assert.equal(again.lines, [], 'nothing applied or logged on the boots after');
  void sync;
});

test('a server changed at the phone stands until the files bring a NEW value', () => {
  const { bench, settings, sync } = setup();
  bench.provision([['site.cfg', cfg(SERVER)]]);
  settings.set('device.prov.serverName', 'http://typed-at-the-phone/');
  sync.applyPending();
  bench.provision([['site.cfg', cfg(SERVER)]]);
  assert.is(settings.get('device.prov.serverName'), 'http://typed-at-the-phone/', 'same configuration value: not applied again');
  bench.provision([['site.cfg', cfg({ ...SERVER, 'device.prov.serverName': 'http://new.example.com' })]]);
  assert.is(settings.get('device.prov.serverName'), 'http://new.example.com');
});

test('bad values are refused alone with a log line and the stored ones stay; FTP, TFTP, FTPS are refused', () => {
  const { bench, settings, lines } = setup();
  settings.set('device.prov.serverName', 'http://old.example.com/');
  bench.provision([['site.cfg', cfg({
    'device.set': '1',
    'device.prov.serverName': 'ftp://files.example.com', 'device.prov.serverName.set': '1',
    'device.prov.serverType': 'FTP', 'device.prov.serverType.set': '1',
    'device.prov.user': 'u2', 'device.prov.user.set': '1',
  })]]);
  assert.is(settings.get('device.prov.serverName'), 'http://old.example.com/');
  assert.is(settings.get('device.prov.serverType'), undefined);
  assert.is(settings.get('device.prov.user'), 'u2', 'the good value next to them applies');
  assert.ok(lines.some((l) => /^warning\|device\.prov\.serverType="FTP" from site\.cfg refused: FTP is not supported: this phone provisions over HTTP or HTTPS only/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^warning\|device\.prov\.serverName="ftp:\/\/files\.example\.com" from site\.cfg refused: Scheme "ftp" not supported/.test(l)), lines.join('\n'));
  assert.equal(bench.config.finishCycle(), { changed: [], rebooting: false }, 'nothing changed: no reboot');
});

test('serverType HTTPS makes a bare server name HTTPS; a scheme in the name wins', () => {
  const { bench, settings } = setup();
  bench.provision([['site.cfg', cfg({ ...SERVER, 'device.prov.serverName': 'prov.example.com/p', 'device.prov.serverType': 'https', 'device.prov.serverType.set': '1' })]]);
  assert.is(settings.get('device.prov.serverType'), 'HTTPS');
  assert.is(provisioningServer(settings)?.baseUrl, 'https://prov.example.com/p/');
  settings.set('device.prov.serverName', 'http://plain.example.com');
  assert.is(provisioningServer(settings)?.baseUrl, 'http://plain.example.com/');
});

test('the password is stored, and neither its value nor inline URL credentials reach the log; fingerprints hold no value', () => {
  const { bench, settings, lines } = setup();
  bench.provision([['site.cfg', cfg({
    ...SERVER, 'device.prov.serverName': 'http://admin:UrlPw-77@prov.example.com',
    'device.prov.password': 'PwCanary-42', 'device.prov.password.set': '1',
  })]]);
  assert.is(settings.get('device.prov.password'), 'PwCanary-42');
  assert.ok(lines.some((l) => /device\.prov\.password=<11 characters hidden> from site\.cfg applied/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /device\.prov\.serverName="http:\/\/prov\.example\.com" from site\.cfg applied/.test(l)), lines.join('\n'));
  assert.ok(bench.lines.some((l) => l.includes("device.prov.serverName: \"\" -> \"http://<credentials hidden>@prov.example.com\"")), bench.lines.join("\n"));
  assert.not.ok([...lines, ...bench.lines].some((l) => /PwCanary-42|UrlPw-77/.test(l)), 'no secret in any log line');
  const fingerprint = settings.get(appliedKey('device.prov.password'))!;
  assert.match(fingerprint, /^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
  assert.not.ok(fingerprint.includes('PwCanary'));
});

test('a device setting asking for a reboot together with a reboot-flagged parameter reboots once', () => {
  const { bench } = setup();
  bench.provision([['site.cfg', cfg({ ...SERVER, 'sec.pwd.length.admin': '8' })]]);
  const r = bench.config.finishCycle();
  assert.is(r.rebooting, true);
  assert.is(bench.reboots.length, 1);
  assert.match(bench.reboots[0], /sec\.pwd\.length\.admin, device\.prov\.serverName changed/);
});

test.run();
