/**
 * The scenario runner as a daily tool: steps that work on every board, every
 * validation problem of a file at once (line, column, "did you mean"),
 * durations in human units, progress per step, and artifacts saved on failure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boardProfile } from '../../hal/boards';
import { loadScenarioFile, prepareScenario } from '../../sim/scenario/loader';
import { summary } from '../../sim/scenario/report';
import { runScenario, type StepProgress } from '../../sim/scenario/runner';

const ROOT = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-tools-'));

function writeText(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

test('directory, call-list and login steps run on the desk-99, which has no Home key', async () => {
  for (const name of ['directory-calls.json', 'user-login.json', 'calls.json']) {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'scenarios', name), 'utf8'));
    const r = await runScenario({ file: path.join(tmp, name), ...prepareScenario({ ...raw, board: 'desk-99' }) }, { artifactsDir: tmp });
    assert.ok(r.passed, `${name} on desk-99:\n${summary([r])}`);
  }
});

test('every problem of a file is reported at once, each with its line, column and a "did you mean"', () => {
  const file = writeText('many-problems.json', [
    '{',
    '  "name": "many problems",',
    '  "bord": "desk-99",',
    '  "board": "desk-99",',
    '  "steps": [',
    '    { "boot": {} },',
    '    { "pres": "1" },',
    '    { "expectScreen": { "titel": "A" } },',
    '    { "press": "home" },',
    '    { "advance": "soon" }',
    '  ]',
    '}',
  ].join('\n'));
  let message = '';
  try {
    loadScenarioFile(file);
  } catch (e) {
    message = (e as Error).message;
  }
  const lines = message.split('\n');
  assert.is(lines.length, 5, message);
  assert.match(lines[0], `many-problems.json:3:3: scenario: unknown field "bord"; did you mean "board"?`);
  assert.match(lines[1], `many-problems.json:7:7: step 2: unknown step "pres"; did you mean "press"?`);
  assert.match(lines[2], `many-problems.json:8:7: step 3: expectScreen: unknown field titel; did you mean "title"?`);
  assert.match(lines[3], `many-problems.json:9:7: step 4: press: board desk-99 has no key "home"`);
  assert.match(lines[3], 'use the goIdle step');
  assert.match(lines[4], `many-problems.json:10:7: step 5: advance: expected a duration`);
});

test('a JSON syntax error names its line and column; the CLI prints every problem of every file and exits 2', () => {
  const broken = writeText('broken.json', '{\n  "name": "x",\n  "steps": [ { "boot": {} }, ]\n}\n');
  assert.throws(() => loadScenarioFile(broken), /broken\.json:3:\d+: cannot load scenario/);
  const typo = writeText('typo.json', JSON.stringify({ name: 'y', steps: [{ bot: {} }, { advance: '7d' }, { farEndScript: [{ target: '*', action: 'answr' }] }] }, null, 2));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/phone.js'), 'scenario', 'run', broken, typo], { encoding: 'utf8' });
  assert.is(r.status, 2);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('scenario file error:'));
  assert.is(errors.length, 3, r.stderr);
  assert.match(r.stderr, /typo\.json:5:\d+: step 1: unknown step "bot"; did you mean "boot"\?/);
  assert.match(r.stderr, /typo\.json:\d+:\d+: step 3: farEndScript\[0\]\.action: "answr" is not one of .*; did you mean "answer"\?/);
});

test('durations in human units: advance "7d", far-end delays "2s" / "1min"; labels read in the same units', () => {
  const s = prepareScenario({ name: 'd', steps: [{ advance: '7d' }, { farEndScript: [{ target: '*', action: 'answer', afterMs: '2s', hangupAfterMs: '1min' }] }] });
  assert.is(s.steps[0].argument, 7 * 86_400_000);
  assert.is(s.steps[0].label, 'advance 7d');
  assert.equal(s.steps[1].argument, [{ target: '*', action: 'answer', afterMs: 2000, forwardTo: undefined, hangupAfterMs: 60_000 }]);
});

test('progress per step while it runs; on failure screenshot, text model, flash dump and log are saved under a short folder', async () => {
  const file = writeText('short-name.json', JSON.stringify({
    name: 'A scenario whose title is a whole sentence and would make a long folder name',
    board: 'desk-99',
    steps: [{ boot: {} }, { advance: '1min' }, { expectScreen: { id: 'menu' } }, { press: '1' }],
  }));
  const events: string[] = [];
  const r = await runScenario(loadScenarioFile(file), { artifactsDir: tmp, onStep: (p: StepProgress) => events.push(`${p.phase} ${p.step.index + 1}/${p.total} ${p.step.status}`) });
  assert.not.ok(r.passed);
  assert.equal(events, ['start 1/4 not-run', 'end 1/4 passed', 'start 2/4 not-run', 'end 2/4 passed', 'start 3/4 not-run', 'end 3/4 failed']);
  const dir = path.join(tmp, 'short-name', 'failed-step-3');
  assert.equal(r.failureArtifacts.map((f) => path.relative(dir, f)).sort(), ['flash.img', 'log.txt', 'screen.png', 'screen.txt']);
  assert.is(fs.readFileSync(path.join(dir, 'screen.png')).subarray(1, 4).toString(), 'PNG');
  assert.match(fs.readFileSync(path.join(dir, 'screen.txt'), 'utf8'), '── screen idle');
  assert.is(fs.statSync(path.join(dir, 'flash.img')).size, boardProfile('desk-99').flash.partitions.reduce((sum, p) => sum + p.size, 0), 'the whole desk-99 flash');
  assert.match(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8'), 'boot: firmware');
  assert.match(summary([r]), /saved for the failure:\n.*short-name\/failed-step-3\//);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
