/**
 * Issue 13 point 7 in CI: `phone reset-matrix` on both boards passes with
 * zero mismatches, prints the matrix, writes JUnit and JSON; a mismatch makes
 * it fail (checked on a result with one, through the same renderers).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESET_VARIANTS } from '../../firmware/reset/reset-variants';
import { renderMatrix, type MatrixResult } from '../../sim/reset/reset-matrix';
import { BOARDS } from '../helpers/sim';

const ROOT = path.resolve(__dirname, '..', '..');

for (const board of BOARDS) {
  test(`${board}: phone reset-matrix exits 0 with zero mismatches, JUnit and JSON written, every variant and every class covered`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reset-matrix-test-'));
    try {
      const junit = path.join(dir, 'matrix.xml');
      const json = path.join(dir, 'matrix.json');
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'phone.js'), 'reset-matrix', '--board', board, '--junit', junit, '--json', json, '--no-timing'], { cwd: ROOT, encoding: 'utf8', timeout: 240000 });
      assert.is(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /no mismatches/);
      const result = JSON.parse(fs.readFileSync(json, 'utf8')) as MatrixResult;
      assert.is(result.mismatches, 0);
      assert.equal(result.variants.map((v) => v.variant), RESET_VARIANTS.map((v) => v.id));
      const classes = new Set(result.variants[0].canaries.map((c) => c.cls));
      for (const cls of ['callLists', 'cdr', 'directory', 'userProfile', 'logs', 'analytics', 'config', 'deviceSettings', 'certificates', 'localOverrides', 'webOverrides', 'cloudOverrides']) assert.ok(classes.has(cls), cls);
      // Every variant really erased something it should (except the wizard), and every erased canary is gone from raw flash.
      for (const v of result.variants) {
        if (v.variant !== 'outOfBoxWizard') assert.ok(v.canaries.some((c) => c.expected === 'erased'), v.variant);
        for (const c of v.canaries) if (c.expected === 'erased') assert.equal(c.where, [], `${v.variant}: ${c.what}`);
      }
      const xml = fs.readFileSync(junit, 'utf8');
      assert.match(xml, /<testsuites/);
      assert.not.match(xml, /<failure/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a mismatch is printed with what was found where', () => {
  const result: MatrixResult = {
    board: 'desk-500', engine: 'quickjs', baseline: { bootMs: 1, bootFlashOps: 1 }, mismatches: 1,
    variants: [{
      variant: 'resetUserData', label: 'Reset User Data', resetProgramOps: 1, resetEraseOps: 1, bootFlashOps: 2, bootMs: 2, resetMs: 1, mismatches: 1,
      canaries: [{ what: 'callLists record', cls: 'callLists', owner: '', kind: 'record', expected: 'erased', found: true, where: ['raw fs block 3 (utf-8)'], ok: false }],
    }],
  };
  const text = renderMatrix(result);
  assert.match(text, /MISMATCH Reset User Data: callLists record expected erased, found: raw fs block 3/);
  assert.match(text, /1 mismatches/);
});

test.run();
