/**
 * `phone sim` in terminal mode (no --web), driven through the stdin of a
 * spawned CLI as a developer types: commands run in order, `quit` prints the
 * final screen, call ids are printed, `--quiet` prints only answers, `--mac`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { phoneSim } from './phone-sim-process';

test('commands run in order: press then screen shows the new screen; quit prints the final screen', async () => {
  const r = await phoneSim(['--quiet'], ['screen', 'press soft4', 'screen', 'press down', 'quit']);
  assert.is(r.code, 0, r.stderr);
  const screens = r.stdout.split('\n').filter((l) => l.startsWith('── screen'));
  assert.is(screens.length, 3, r.stdout);
  assert.match(screens[0], /screen idle/);
  assert.match(screens[1], /screen menu · Menu/, 'the screen after the press, not before');
  assert.match(screens[2], /screen menu/, 'quit prints the final screen');
  assert.ok(r.stdout.indexOf(screens[2]) < r.stdout.indexOf('stopped (quit)'));
  // Quiet: no log lines, no screen printed on its own.
  assert.not.match(r.stdout, /\|sys\|\d\|/);
});

test('ring prints the call id; calls, answer by id, hangup, advance, notify check-sync, state', async () => {
  const r = await phoneSim(['--quiet', '--time', '2026-01-01T09:00:00Z', '--mac', '00:04:F2:00:00:01'], [
    'ring 1234 Bob', 'calls', 'press soft1', 'calls', 'answer nope', 'hangup call-1', 'calls',
    'advance 30s', 'notify check-sync', 'notify check-sync broken', 'state', 'quit',
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'phone sim: call call-1 incoming from 1234');
  const callLines = r.stdout.split('\n').filter((l) => l.startsWith('call call-1'));
  assert.equal(callLines, ['call call-1 incoming from 1234: ringing', 'call call-1 incoming from 1234: connected', 'call call-1 incoming from 1234: ended']);
  assert.match(r.stderr, 'no call "nope" (calls: call-1)');
  assert.match(r.stdout, /phone sim: advanced 30s; phone time 2026-01-01T09:00:3\d\S* \(running ×1\)/);
  assert.match(r.stdout, 'phone sim: NOTIFY check-sync sent');
  assert.match(r.stderr, 'notify: parameter "broken" is not NAME=VALUE');
  assert.match(r.stdout, 'board: desk-500 (quickjs), MAC 0004f2000001');
  assert.match(r.stdout, 'power: running');
});

test('without --quiet the log and every screen change are printed, and calls the phone places show their id', async () => {
  const r = await phoneSim(['--board', 'desk-99'], ['press 1 2', 'press soft1', 'quit']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\|sys\|\d\|\d\|boot: firmware .* mac 0004f2d4e5f6/, 'log lines');
  assert.match(r.stdout, /── screen dial/, 'a screen change printed on its own');
  assert.match(r.stdout, /phone sim: call (\S+) outgoing to \S*12\S*: ringing/);
});

test('time: --time sets the start; pause holds the clock, advance moves it exactly, speed 100 runs it fast', async () => {
  const r = await phoneSim(['--quiet', '--time', '2026-06-15T08:00:00Z'], ['pause', 'time', 'advance 2h', 'speed 100', 'run', 'speed 7000', 'time', 'quit']);
  assert.is(r.code, 0, r.stderr);
  const times = [...r.stdout.matchAll(/phone time (\S+) \((paused|running ×\d+)\)/g)].map((m) => [m[1], m[2]]);
  const [paused, shown, advanced, fast, run, final] = times;
  assert.match(paused[0], /^2026-06-15T08:00:0\d/);
  assert.equal([paused[1], shown[1], advanced[1], fast[1], run[1], final[1]], ['paused', 'paused', 'paused', 'paused', 'running ×100', 'running ×100'], 'speed while paused stays paused');
  assert.is(shown[0], paused[0], 'a paused clock does not move');
  assert.is(Date.parse(advanced[0]) - Date.parse(shown[0]), 7_200_000);
  assert.match(r.stderr, 'speed must be more than 0 and at most 1000, got 7000');
});

test('without --time the phone starts at the host\'s time', async () => {
  const before = Date.now();
  const r = await phoneSim(['--quiet'], ['pause', 'quit']);
  const at = Date.parse(/phone time (\S+)/.exec(r.stdout)![1]);
  assert.ok(at >= Math.floor(before / 1000) * 1000 - 1000 && at <= Date.now() + 1000, `${new Date(at).toISOString()} is not now`);
});

test('a bad --mac is refused before the phone starts', async () => {
  const r = await phoneSim(['--mac', '00:04:f2'], []);
  assert.is(r.code, 1);
  assert.match(r.stderr, '--mac "00:04:f2" is not a MAC address');
});

test.run();
