/**
 * How a boot resolves every parameter's value: by the precedence rule that
 * `explain` lists (user > local > web > cloud > files > default, `device.*`
 * gated by `device.set` and their `.set` companion, defaults by Base
 * Profile), without making each parameter's list of candidates or
 * searching the registry for the Base Profile once per parameter — in
 * QuickJS that was most of the configuration's start; the cache's
 * manifest and master file read together; the case-insensitive name index
 * made only when a name is not found as written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigService } from '../../firmware/config/config-service';
import { ParameterRegistry } from '../../firmware/config/parameter-registry';
import { ConfigBench, cfg, declaredModules } from './config-bench';

/** Every value in force is the first applied candidate `explain` lists. */
function assertValuesAreExplained(b: ConfigBench): void {
  const c = b.config;
  for (let i = 0; i < c.registry.size; i++) {
    const name = c.registry.at(i).name;
    const e = c.explain(name);
    assert.is(c.get(name), e.value, `${name}: ${JSON.stringify(e.candidates)}`);
  }
}

function layered(b: ConfigBench, deviceSet: string): void {
  b.provision([
    ['site.cfg', cfg({
      'device.baseProfile': 'SkypeForBusiness', 'device.baseProfile.set': '1',
      'device.set': deviceSet,
      'device.prov.serverName': 'files.example.com', 'device.prov.serverName.set': '1',
      'device.prov.user': 'from-file',
      'prov.login.automaticLogout': '10', 'dir.search.field': '1',
    })],
    ['second.cfg', cfg({ 'prov.login.automaticLogout': '20', 'callLists.collapseDuplicates': '1', 'device.prov.user': 'second', 'device.prov.user.set': '1' })],
  ]);
  b.config.applyOverrideFile('cloud', cfg({ 'device.prov.serverName': 'cloud.example.com', 'prov.polling.period': '7200' }));
  b.config.setOverride('web', 'prov.login.automaticLogout', '30');
  b.config.setOverride('local', 'dir.search.field', '0');
}

for (const deviceSet of ['1', '0']) {
  test(`every value in force is the one explain gives (device.set=${deviceSet}), after provisioning and after a reboot`, () => {
    const b = new ConfigBench();
    assertValuesAreExplained(b);
    layered(b, deviceSet);
    assertValuesAreExplained(b);
    assert.is(b.config.get('callLists.collapseDuplicates'), '1', 'a file beats the Skype for Business default');
    // device.baseProfile is gated too: device.set=0 keeps the Generic defaults.
    assert.is(b.config.get('feature.exchangeCallLog.enabled'), deviceSet === '1' ? '1' : '0', 'Base Profile default');
    assert.is(b.config.get('device.prov.serverName'), deviceSet === '1' ? 'cloud.example.com' : '');
    // The first file that sets it wins; its .set companion may come from another file.
    assert.is(b.config.get('device.prov.user'), deviceSet === '1' ? 'from-file' : '');
    b.reboot();
    assertValuesAreExplained(b);
    assert.is(b.config.get('prov.login.automaticLogout'), '30');
    assert.is(b.config.get('device.prov.serverName'), deviceSet === '1' ? 'cloud.example.com' : '');
  });
}

test('a boot resolves the values without a registry search per parameter', () => {
  const b = new ConfigBench();
  layered(b, '1');
  const config = b.reboot();
  let searches = 0;
  const position = config.registry.position.bind(config.registry);
  config.registry.position = (name: string, exact?: boolean) => {
    searches++;
    return position(name, exact);
  };
  config.load();
  // Those left: each cached file's parameters checked against the registry, the gated values' `.set`
  // companions, the Base Profile of the few profile-dependent defaults, and the log lines that explain the values set.
  assert.ok(searches < config.registry.size / 2, `${searches} registry searches for ${config.registry.size} parameters`);
});

test('a boot reads the cache manifest and the master file together, the master once', () => {
  const b = new ConfigBench();
  layered(b, '1');
  b.reboot();
  const reads: string[][] = [];
  const readEach = b.store.readEach.bind(b.store);
  b.store.readEach = (paths: string[]) => {
    reads.push(paths);
    return readEach(paths);
  };
  const config = new ConfigService({
    registry: b.config.registry, store: b.store, phone: { mac: b.mac, model: b.profile.model },
    log: { info: () => {}, notice: () => {}, warning: () => {}, error: () => {} },
  });
  config.load();
  assert.equal(reads[0], ['cfg/manifest.json', 'cfg/master.cfg']);
  assert.is(reads.filter((r) => r.includes('cfg/master.cfg')).length, 1, JSON.stringify(reads));
  assert.equal(config.masterConfig()?.configFiles, ['site.cfg', 'second.cfg']);
  assert.is(config.get('prov.login.automaticLogout'), '30');
});

test('the case-insensitive name index is made at the first name not found as written', () => {
  const registry = new ParameterRegistry(declaredModules());
  const lowerIndex = () => (registry as unknown as { lowerNames: Uint16Array | null }).lowerNames;
  for (let i = 0; i < registry.size; i++) assert.is(registry.lookup(registry.at(i).name), registry.at(i));
  assert.is(lowerIndex(), null, 'exact names only: not made');
  assert.is(registry.lookup('DIR.LOCAL.UIENABLED')?.name, 'dir.local.UIenabled');
  assert.ok(lowerIndex());
});

test.run();
