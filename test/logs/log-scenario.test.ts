/**
 * The `logPackage` scenario step (sim/scenario/steps/logs.ts): QA gets the
 * log package as an artifact and checks what it holds and what it must not.
 */
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareScenario } from '../../sim/scenario/loader';
import { runScenario } from '../../sim/scenario/runner';
import { tempDir } from './log-phone';

test('logPackage: writes the .tgz artifact and checks present / absent strings', async () => {
  const dir = tempDir('logs-scenario-');
  const s = { file: path.join(dir, 'x.json'), ...prepareScenario({
    name: 'log package',
    steps: [{ boot: {} }, { advance: 10000 }, { logPackage: { file: 'logs.tgz', present: ['boot: firmware', 'boot phase over'], absent: ['MARK-NOT-LOGGED'] } }, { logPackage: { file: 'again.tgz', present: ['MARK-NOT-LOGGED'] } }],
  }) };
  const r = await runScenario(s, { artifactsDir: dir });
  assert.equal(r.steps.map((x) => x.status), ['passed', 'passed', 'passed', 'failed']);
  assert.match(r.steps[3].error!, /"MARK-NOT-LOGGED" not in the package/);
  const artifact = fs.readdirSync(dir, { recursive: true }).map(String).find((f) => f.endsWith('logs.tgz'));
  assert.ok(artifact, 'the package is an artifact');
  assert.throws(() => prepareScenario({ name: 'bad', steps: [{ logPackage: { present: 5 } }] }), /logPackage\.present/);
});

test.run();
