/** A JSON scenario names its own provisioning folder, relative to the scenario file; the phone gets a copy of it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ScenarioFileError, loadScenarioFile } from '../../sim/scenario/loader';
import { summary } from '../../sim/scenario/report';
import { runScenario } from '../../sim/scenario/runner';
import { BUILT_IN_FOLDER } from '../../sim/provisioning/staging';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-prov-test-'));

function scenarioFile(name: string, scenario: object): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(scenario));
  return file;
}

test('the phone is provisioned from the folder the scenario names, and nothing lands in it', async () => {
  const prov = path.join(tmp, 'my-prov');
  fs.mkdirSync(prov);
  const master = fs.readFileSync(path.join(BUILT_IN_FOLDER, '000000000000.cfg'), 'utf8').replace('CONFIG_FILES="site.cfg"', 'CONFIG_FILES="scenario-site.cfg"');
  fs.writeFileSync(path.join(prov, '000000000000.cfg'), master);
  fs.copyFileSync(path.join(BUILT_IN_FOLDER, 'site.cfg'), path.join(prov, 'scenario-site.cfg'));
  const file = scenarioFile('own-prov.json', {
    name: 'own provisioning folder', provisioning: 'my-prov',
    steps: [{ boot: {} }, { advance: '10s' }, { expectLog: { contains: 'scenario-site.cfg' } }],
  });
  const loaded = loadScenarioFile(file);
  assert.is(loaded.provisioningDir, prov);
  const r = await runScenario(loaded, { artifactsDir: path.join(tmp, 'artifacts') });
  assert.ok(r.passed, summary([r]));
  assert.equal(fs.readdirSync(prov).sort(), ['000000000000.cfg', 'scenario-site.cfg']);
});

test('a provisioning folder that does not exist, or is not a path, is refused at load time', () => {
  assert.throws(() => loadScenarioFile(scenarioFile('missing.json', { name: 'x', provisioning: 'nope', steps: [{ boot: {} }] })), (e: Error) =>
    e instanceof ScenarioFileError && /"provisioning" folder .*nope does not exist/.test(e.message));
  assert.throws(() => loadScenarioFile(scenarioFile('number.json', { name: 'x', provisioning: 7, steps: [{ boot: {} }] })), /"provisioning" must be a folder path/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
