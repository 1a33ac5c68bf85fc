/** Scenario steps for user profiles: bad arguments fail at load time with a clear message. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareScenario } from '../../sim/scenario/loader';

test('login, logout, expectUser and userProfiles arguments are checked when the scenario loads', () => {
  const bad: [unknown, RegExp][] = [
    [{ login: { user: 'alice', password: '1' } }, /login: user and password are typed on the keypad here: digits only/],
    [{ login: { user: '1', password: '1', expect: 'maybe' } }, /login\.expect: "ok" or "refused"/],
    [{ login: { user: '1' } }, /login\.password: expected a string/],
    [{ logout: { now: true } }, /unknown field now/],
    [{ expectUser: 7 }, /expectUser: expected a string/],
    [{ userProfiles: { users: { '1001': { 'prov.login.localPassword': 1 } } } }, /userProfiles\.users\.1001\.prov\.login\.localPassword: expected a string/],
  ];
  for (const [step, message] of bad) assert.throws(() => prepareScenario({ name: 'x', steps: [step] }), message, JSON.stringify(step));
  const ok = prepareScenario({ name: 'x', steps: [{ userProfiles: { users: { '1001': {} } } }, { login: { user: '1001', password: '2468' } }, { expectUser: '' }] });
  assert.is(ok.steps.length, 3);
});

test.run();
