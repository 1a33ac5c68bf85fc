/**
 * test/run-uvu.js (what `npm test` runs) on folders of small suites: a file
 * that throws while loading is named with its error, the other files still
 * run, and the run fails with a count that is a number ("NaN of NaN tests did
 * not pass" was all a fresh clone printed when one file could not load).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const RUN_UVU = path.resolve(__dirname, '..', 'run-uvu.js');
const dirs: string[] = [];

/** A folder of suites; they require uvu by absolute path since the folder is outside the repository. */
function suites(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-uvu-test-'));
  dirs.push(dir);
  const header = `const { test } = require(${JSON.stringify(require.resolve('uvu'))});\n`
    + `const assert = require(${JSON.stringify(require.resolve('uvu/assert'))});\n`;
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), header + body);
  return dir;
}

function runUvu(dir: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [RUN_UVU, dir, '\\.test\\.ts$'], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
  return { code: r.status, out: plain(r.stdout), err: plain(r.stderr) };
}

const PASSES = "test('passes', () => assert.ok(true));\ntest.run();\n";
const THROWS_AT_LOAD = "require('fs').readFileSync('/nonexistent/spec/guide.txt');\ntest('never runs', () => {});\ntest.run();\n";

test.after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

test('a file that throws at load is named with its error; the others still run; the run fails', () => {
  const dir = suites({ 'a-broken.test.ts': THROWS_AT_LOAD, 'b-fine.test.ts': PASSES });
  const r = runUvu(dir);
  assert.is(r.code, 1, r.out + r.err);
  assert.match(r.out, `could not load ${path.join(dir, 'a-broken.test.ts')}: ENOENT: no such file or directory, open '/nonexistent/spec/guide.txt'`);
  assert.match(r.out, /b-fine\.test\.ts\n.*\(1 \/ 1\)/);
  assert.match(r.out, /^1 passed, 1 failed, 1 file could not load$/m);
  assert.match(r.err, /test run failed:\n\s+could not load .*a-broken\.test\.ts: ENOENT/);
  assert.not.match(r.out + r.err, /NaN/);
});

test('every file loads and passes: exit 0 and the plain count', () => {
  const r = runUvu(suites({ 'a.test.ts': PASSES, 'b.test.ts': PASSES }));
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /^2 passed, 0 failed$/m);
  assert.not.match(r.out, /could not load/);
});

test('a failing test still fails the run with its count', () => {
  const r = runUvu(suites({ 'a.test.ts': PASSES, 'b.test.ts': "test('fails', () => assert.is(1, 2));\ntest.run();\n" }));
  assert.is(r.code, 1, r.out + r.err);
  assert.match(r.out, /^1 passed, 1 failed$/m);
  assert.match(r.err, /1 of 2 tests did not pass/);
});

test('a folder with no test file fails instead of passing with nothing run', () => {
  const r = runUvu(suites({ 'not-a-suite.ts': PASSES }));
  assert.is(r.code, 1, r.out + r.err);
  assert.match(r.out, /no test files match/);
});

test.run();
