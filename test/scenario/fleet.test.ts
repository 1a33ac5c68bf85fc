/**
 * `phone fleet run`: shards are a deterministic partition by scenario name
 * (every phone in exactly one of N shards, the same on every machine), a
 * scenario with "phones": N stands for N named phones, and a run over worker
 * threads gives one result per phone for one merged JUnit report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jobsOf } from '../../sim/fleet/fleet-job';
import { runFleet } from '../../sim/fleet/fleet-runner';
import { inShard, parseShard, shardOf } from '../../sim/fleet/shard';
import { loadScenarioFile } from '../../sim/scenario/loader';
import { writeJUnit } from '../../sim/scenario/report';

const ROOT = path.join(__dirname, '..', '..');

function names(): string[] {
  const out = fs.readdirSync(path.join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json'))
    .flatMap((f) => jobsOf(loadScenarioFile(path.join(ROOT, 'scenarios', f))).map((j) => j.name));
  for (let i = 0; i < 300; i++) out.push(`generated scenario ${i}`);
  return out;
}

test('--shard I/N: parsed 1-based; nonsense refused with the expected form', () => {
  assert.equal(parseShard('2/4'), { index: 2, count: 4 });
  assert.equal(parseShard(' 1 / 1 '), { index: 1, count: 1 });
  for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '-1/3']) assert.throws(() => parseShard(bad), /expected I\/N|I must be 1\.\.N/);
});

test('every scenario in exactly one shard, for N = 1..8; the same answer every time and on every machine (pinned)', () => {
  const all = names();
  assert.ok(all.length > 400, 'the office day alone stands for 100 phones');
  for (let count = 1; count <= 8; count++) {
    const taken = new Map<string, number>();
    for (let index = 1; index <= count; index++) for (const n of all) if (inShard(n, { index, count })) taken.set(n, (taken.get(n) ?? 0) + 1);
    assert.is(taken.size, all.length, `N=${count}: every scenario in a shard`);
    assert.ok([...taken.values()].every((c) => c === 1), `N=${count}: none in two shards`);
    if (count === 4) {
      const sizes = [1, 2, 3, 4].map((index) => all.filter((n) => inShard(n, { index, count })).length);
      assert.ok(Math.min(...sizes) > all.length / 8, `shards roughly even: ${sizes}`);
    }
  }
  // Pinned: a change of hash would move phones between machines of a running fleet.
  assert.equal(['office day #001', 'office day #002', 'generated scenario 0', 'Calls'].map((n) => shardOf(n, 4)), [2, 1, 1, 3]);
});

test('"phones": N stands for N phones named #001…; scenario run files without it are one phone', () => {
  const office = jobsOf(loadScenarioFile(path.join(ROOT, 'scenarios', 'office-day.json')));
  assert.is(office.length, 100);
  assert.is(office[0].name.endsWith(' #001'), true);
  assert.is(office[99].name.endsWith(' #100'), true);
  assert.is(jobsOf(loadScenarioFile(path.join(ROOT, 'scenarios', 'admin-menu.json'))).length, 1);
});

test('a fleet of 3 phones on 2 worker threads: one result per phone, in order, in one JUnit report', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  try {
    const file = path.join(dir, 'tiny.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'tiny', engine: 'node', phones: 3, steps: [{ boot: {} }, { advance: '1m' }, { expectScreen: { id: 'idle' } }] }));
    const jobs = jobsOf(loadScenarioFile(file));
    const seen: string[] = [];
    const results = await runFleet(jobs, { workers: 2, artifactsDir: path.join(dir, 'artifacts'), onResult: (r) => seen.push(r.name) });
    assert.equal(results.map((r) => r.name), ['tiny #1', 'tiny #2', 'tiny #3']);
    assert.ok(results.every((r) => r.passed), JSON.stringify(results.map((r) => r.steps)));
    assert.equal([...seen].sort(), ['tiny #1', 'tiny #2', 'tiny #3']);
    const junit = path.join(dir, 'fleet.xml');
    writeJUnit(results, junit);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.is((xml.match(/<testsuite /g) ?? []).length, 3);
    assert.ok(xml.includes('name="tiny #2"'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
