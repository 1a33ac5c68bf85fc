import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkExitCode, formatTable, missedGoals, REQUIRED_IDS, toResults, type Figure } from '../../bench/figure-results';
import { ratiosOf } from '../../bench/figures/flash-per-call';

const allMet = (): Figure[] => REQUIRED_IDS.map((id) => ({ id, value: 1, unit: 'x', goal: { op: '<=', bound: 2 } }));

test('every goal met: --check passes, each line says met', () => {
  const results = toResults(allMet());
  assert.is(checkExitCode(results), 0);
  assert.ok(results.every((r) => r.met === true && r.goal === '<= 2'));
});

test('one missed goal makes --check fail and is named', () => {
  const figures = allMet();
  figures[2] = { ...figures[2], value: 2.5 };
  const results = toResults(figures);
  assert.is(checkExitCode(results), 1);
  assert.equal(missedGoals(results), [REQUIRED_IDS[2]]);
  assert.match(formatTable(results), /MISSED/);
});

test('an at-least goal, a figure without goal, an unmeasurable value', () => {
  const [phones, context, broken] = toResults([
    { id: 'phones', value: 999, unit: 'phones', goal: { op: '>=', bound: 1000 } },
    { id: 'node.ms', value: 12, unit: 'ms', goal: null },
    { id: 'x', value: NaN, unit: 'ms', goal: { op: '<=', bound: 50 } },
  ]);
  assert.is(phones.met, false);
  assert.is(context.met, null);
  assert.is(broken.met, false);
});

test('a figure whose run was incomplete misses its goal whatever its value', () => {
  const figures = allMet();
  figures[0] = { ...figures[0], incomplete: true };
  assert.is(checkExitCode(toResults(figures)), 1);
});

test('a required figure absent from the run counts as missed', () => {
  const results = toResults(allMet().slice(1));
  assert.is(checkExitCode(results), 1);
  assert.equal(missedGoals(results), [`${REQUIRED_IDS[0]} (not measured)`]);
});

test('checking a written results.json exits non-zero on a missed goal and names it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  try {
    const file = path.join(dir, 'results.json');
    const figures = allMet();
    figures[5] = { ...figures[5], value: 137.5 };
    fs.writeFileSync(file, JSON.stringify(toResults(figures)));
    const read = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(Object.keys(read[0]).sort(), ['goal', 'id', 'met', 'unit', 'value']);
    assert.is(checkExitCode(read), 1);
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '../../bench/check-results.ts'), file], {
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, encoding: 'utf8',
    });
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stdout, new RegExp(REQUIRED_IDS[5].replace(/\./g, '\\.')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per-call flash ratios are read from the shapes measureFlashPerCall() may return', () => {
  assert.equal(ratiosOf({ placed: 1.69, missed: 1.52, received: 1.91, withLogs: { placed: 2.1, missed: 2, received: 2.3 } }), { placed: 1.69, missed: 1.52, received: 1.91 });
  assert.equal(ratiosOf([{ kind: 'placed', ratio: 1.5 }, { disposition: 'missed', ratio: 2.5 }]), { placed: 1.5, missed: 2.5 });
  assert.equal(ratiosOf(1.8), { worst: 1.8 });
});

test.run();
