/** dialplan.routing.emergency.* and dialplan.<line>.routing.emergency.* numbers callable while logged out; prov.login.localPassword clear and SHA-1 forms. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as crypto from 'crypto';
import { boardLineCount, emergencyNumbers, isEmergencyNumber } from '../../firmware/login/emergency-numbers';
import { localPasswordMatches, storedForm } from '../../firmware/login/local-password';
import { NodeCryptoEngine } from '../../sim/devices/crypto';

const config = (values: Record<string, string>) => ({ get: (n: string) => values[n] ?? (n === 'dialplan.routing.emergency.1.value' ? '911,112' : '') });

test('default emergency numbers 911 and 112; entries 1..5 comma-separated; separators and SIP URIs normalised', () => {
  assert.equal(emergencyNumbers(config({})), ['911', '112']);
  const c = config({ 'dialplan.routing.emergency.1.value': '911', 'dialplan.routing.emergency.3.value': ' 5555 , 0800-123 ' });
  assert.equal(emergencyNumbers(c), ['911', '5555', '0800-123']);
  assert.ok(isEmergencyNumber(c, '911'));
  assert.ok(isEmergencyNumber(c, 'sip:911@pbx.example'));
  assert.ok(isEmergencyNumber(c, '0800 123'));
  assert.not.ok(isEmergencyNumber(c, '112'));
  assert.not.ok(isEmergencyNumber(c, '9110'));
  assert.not.ok(isEmergencyNumber(c, ''));
});

test('per-dial-plan emergency numbers dialplan.<line>.routing.emergency.<n>.value: added for the board\'s lines only', () => {
  const c = config({
    'dialplan.2.routing.emergency.1.value': '5550199, 112',
    'dialplan.1.routing.emergency.5.value': '999',
    'dialplan.3.routing.emergency.1.value': '3333',
  });
  assert.equal(emergencyNumbers(c, 4), ['911', '112', '999', '5550199', '3333']);
  assert.equal(emergencyNumbers(c, 2), ['911', '112', '999', '5550199'], 'a 2-line board has no line 3 dial plan');
  assert.ok(isEmergencyNumber(c, '555-0199', 2));
  assert.not.ok(isEmergencyNumber(c, '3333', 2));
  assert.is(boardLineCount({ keys: ['1', 'line1', 'line2', 'home'] }), 2);
});

test('prov.login.localPassword: clear text, or .hash=1 SHA-1 hex (any case)', () => {
  const engine = new NodeCryptoEngine();
  assert.ok(localPasswordMatches(engine, { value: '2468', hashed: false }, '2468'));
  assert.not.ok(localPasswordMatches(engine, { value: '2468', hashed: false }, '24680'));
  const hex = crypto.createHash('sha1').update('2468').digest('hex');
  assert.ok(localPasswordMatches(engine, { value: hex.toUpperCase(), hashed: true }, '2468'));
  assert.not.ok(localPasswordMatches(engine, { value: hex, hashed: true }, hex), 'the hash itself is not the password');
  assert.is(storedForm(engine, '2468', true), hex);
  assert.is(storedForm(engine, '2468', false), '2468');
});

test.run();
