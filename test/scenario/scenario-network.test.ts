/** A scenario with several phones on one SIP network: `"phones": ["A", "B"]`, `onPhone` steps, A calls B. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ScenarioFileError, loadScenarioFile } from '../../sim/scenario/loader';
import { runScenario } from '../../sim/scenario/runner';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-network-test-'));

function scenarioFile(name: string, scenario: object): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(scenario, null, 2));
  return file;
}

test('phone A calls phone B by extension; B answers; both show Connected; B hangs up', async () => {
  const file = scenarioFile('a-calls-b.json', {
    name: 'A calls B', phones: ['A', 'B'],
    steps: [
      { boot: {} }, { onPhone: 'B' }, { boot: {} },
      { onPhone: 'A' }, { press: '1 0 0 2 soft1' },
      { onPhone: 'B' }, { expectScreen: { id: 'incoming', contains: '1001' } }, { press: 'soft1' }, { expectScreen: { title: 'Connected' } },
      { onPhone: 'A' }, { expectScreen: { title: 'Connected' } },
      { onPhone: 'B' }, { press: 'soft4' },
      { onPhone: 'A' }, { expectScreen: { id: 'idle' } },
    ],
  });
  const result = await runScenario(loadScenarioFile(file), { artifactsDir: path.join(tmp, 'artifacts') });
  assert.ok(result.passed, JSON.stringify(result.steps.filter((s) => s.status !== 'passed'), null, 1));
  assert.is(result.steps[1].label, 'on phone B');
});

test('an unknown phone fails its step naming the phones; a bad list is refused at load time', async () => {
  const file = scenarioFile('unknown-phone.json', { name: 'unknown phone', phones: ['A', 'B'], steps: [{ boot: {} }, { onPhone: 'C' }] });
  const result = await runScenario(loadScenarioFile(file), { artifactsDir: path.join(tmp, 'artifacts') });
  assert.not.ok(result.passed);
  assert.match(result.steps[1].error ?? '', /no phone "C" \(phones: A, B\)/);
  const bad = scenarioFile('bad-list.json', { name: 'bad', phones: ['A', 'A'], steps: [{ boot: {} }] });
  try {
    loadScenarioFile(bad);
    assert.unreachable('a repeated name must be refused');
  } catch (e) {
    assert.instance(e, ScenarioFileError);
    assert.match((e as Error).message, /different phones on one SIP network/);
  }
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
