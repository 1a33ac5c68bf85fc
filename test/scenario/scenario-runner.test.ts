/** The QA scenario runner: example scenarios pass, failures are caught and reported, JUnit XML is written, bad files refused. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenarioFile, prepareScenario } from '../../sim/scenario/loader';
import { summary, writeJUnit } from '../../sim/scenario/report';
import { runScenario } from '../../sim/scenario/runner';

const ROOT = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-test-'));

test('the shipped example scenarios pass on the real image', async () => {
  for (const file of fs.readdirSync(path.join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json'))) {
    const result = await runScenario(loadScenarioFile(path.join(ROOT, 'scenarios', file)), { artifactsDir: tmp });
    assert.ok(result.passed, `${file} failed:\n${summary([result])}`);
    assert.ok(result.steps.every((s) => s.status === 'passed'));
  }
  const png = fs.readFileSync(path.join(tmp, 'admin-menu', 'advanced-menu.png'));
  assert.equal([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
});

test('a failing expectation fails its step, stops the scenario and names what was on screen', async () => {
  const s = { file: path.join(tmp, 'x.json'), ...prepareScenario({
    name: 'wrong title', steps: [{ boot: {} }, { press: 'soft4' }, { expectScreen: { title: 'Nope' } }, { press: '1' }],
  }) };
  const r = await runScenario(s, { artifactsDir: tmp });
  assert.not.ok(r.passed);
  assert.equal(r.steps.map((x) => x.status), ['passed', 'passed', 'failed', 'not-run']);
  assert.match(r.steps[2].error!, /title is "Menu", expected "Nope"/);
  assert.ok(r.logTail.length > 0, 'log tail is kept for the report');
});

test('a TS scenario with a code step, and scanFlash finding planted text in UTF-16', async () => {
  const r = await runScenario(loadScenarioFile(path.join(ROOT, 'test/fixtures/scenarios/finds-planted-text.ts')), { artifactsDir: tmp });
  assert.equal(r.steps.map((x) => x.status), ['passed', 'passed', 'passed', 'failed']);
  assert.match(r.steps[3].error!, /PLANTED-Ünïcode-7741" found/);
});

test('JUnit XML has one testsuite per scenario and marks failures and steps not run', async () => {
  const s = { file: path.join(tmp, 'y.json'), ...prepareScenario({ name: 'two', steps: [{ boot: {} }, { expectBootReason: 'reboot' }, { advance: '1s' }] }) };
  const r = await runScenario(s, { artifactsDir: tmp });
  const xml = path.join(tmp, 'report.xml');
  writeJUnit([r], xml);
  const text = fs.readFileSync(xml, 'utf8');
  assert.match(text, /<testsuite name="two" tests="3" failures="1"/);
  assert.match(text, /last boot reason is power-on, expected reboot/);
  assert.match(text, /<skipped\/>/);
});

test('malformed scenarios are refused at load time with the step and the reason', () => {
  const bad: [unknown, RegExp][] = [
    [{ steps: [{ boot: {} }] }, /"name"/],
    [{ name: 'x', steps: [] }, /non-empty list/],
    [{ name: 'x', board: 'desk-1000', steps: [{ boot: {} }] }, /unknown board "desk-1000"/],
    [{ name: 'x', board: 'constructor', steps: [{ boot: {} }] }, /unknown board "constructor"/],
    [{ name: 'x', steps: [{ boot: {} }, { pres: '1' }] }, /step 2: unknown step "pres"/],
    [{ name: 'x', steps: [{ boot: {}, press: '1' }] }, /step 1: a step has exactly one key/],
    [{ name: 'x', steps: [{ advance: 'soon' }] }, /step 1: advance: expected a duration/],
    [{ name: 'x', steps: [{ expectScreen: { titel: 'A' } }] }, /unknown field titel/],
    [{ name: 'x', steps: [{ cutPower: { afterOps: -1 } }] }, /whole number/],
    [{ name: 'x', steps: [{ run: 'code' }] }, /takes a function/],
  ];
  for (const [raw, message] of bad) assert.throws(() => prepareScenario(raw), message);
  const notJson = path.join(tmp, 'broken.json');
  fs.writeFileSync(notJson, '{ "name": "x", ');
  assert.throws(() => loadScenarioFile(notJson), /broken\.json:\d+:\d+: cannot load scenario/);
});

test('phone scenario run: exit codes 0 / 1 / 2, summary and JUnit file', () => {
  const cli = path.join(ROOT, 'bin', 'phone.js');
  const junit = path.join(tmp, 'cli.xml');
  const ok = execFileSync('node', [cli, 'scenario', 'run', path.join(ROOT, 'scenarios/admin-menu.json'), '--junit', junit, '--artifacts', tmp], { encoding: 'utf8' });
  assert.match(ok, /1 passed, 0 failed/);
  assert.ok(fs.existsSync(junit));
  const failing = path.join(tmp, 'failing.json');
  fs.writeFileSync(failing, JSON.stringify({ name: 'fails', steps: [{ boot: {} }, { expectScreen: { id: 'menu' } }] }));
  const r1 = spawnSync('node', [cli, 'scenario', 'run', failing, '--junit', junit, '--artifacts', tmp], { encoding: 'utf8' });
  assert.is(r1.status, 1);
  assert.match(r1.stdout, /FAIL fails/);
  const malformed = path.join(tmp, 'malformed.json');
  fs.writeFileSync(malformed, JSON.stringify({ name: 'bad', steps: [{ jump: {} }] }));
  const r2 = spawnSync('node', [cli, 'scenario', 'run', malformed], { encoding: 'utf8' });
  assert.is(r2.status, 2);
  assert.match(r2.stderr, /unknown step "jump"/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
