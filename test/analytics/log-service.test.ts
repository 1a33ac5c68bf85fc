/**
 * The `log` service against a real mosquitto: an error-level line goes out
 * under <prefix>/<MAC>/log with the user it names only as the log's token
 * (and no number), at most 10 per hour; the next hour sends again.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { MosquittoBroker } from '../servers/mosquitto';
import { loginAt } from '../login/login-fixture';
import { ACCOUNTS, MAC, analyticsParameters, bootProvisioned, provisioningFolder, realPause, run, runUntil } from './analytics-phone';

const test = suite('analytics log service');
let broker: MosquittoBroker;
/** A user ID that is also a phone number: neither form may reach the broker. */
const USER = '5551234';

test.before(async () => {
  broker = await MosquittoBroker.start(ACCOUNTS);
});
test.after(async () => {
  await broker?.stop();
});

test('an error line goes out redacted under <MAC>/log; 10 per hour at most, then again the next hour', async () => {
  const dir = provisioningFolder(analyticsParameters(broker, { 'prov.login.enabled': '1' }));
  // A malformed <user>.cfg: each login attempt logs one error line naming the user.
  fs.writeFileSync(path.join(dir, `${USER}.cfg`), '<polycomConfig prov.login.localPassword="2468"');
  const sub = await broker.subscribe(`phones/${MAC}/#`);
  const phone = await bootProvisioned(dir);
  try {
    await runUntil(phone, () => sub.messages.some((m) => m.topic.endsWith('/sdi')));
    const logMessages = () => sub.json().filter((m) => m.service === 'log');
    const before = logMessages().length;
    for (let i = 0; i < 12; i++) assert.is(await loginAt(phone, USER, '2468'), 'User profile unreadable');
    assert.is(phone.log().filter((l) => /\|login\|4\|.*login of /.test(l)).length, 12, 'twelve error lines logged');
    await run(phone, 30000);
    await runUntil(phone, () => logMessages().length >= 10);
    await run(phone, 30000);
    await realPause(phone, 200);
    const sent = logMessages();
    assert.is(sent.length, 10, `the cap: ${sent.length} log messages (${before} before the logins)`);
    const login = sent.find((m) => m.data.component === 'login');
    assert.ok(login, JSON.stringify(sent));
    assert.is(login.data.level, 4);
    assert.match(login.data.text, /^login of \[user:[0-9a-f]{8}\]: \[user:[0-9a-f]{8}\]\.cfg refused/);
    assert.ok(sub.messages.filter((m) => m.topic === `phones/${MAC}/log`).length === 10, 'under <prefix>/<MAC>/log');
    assert.not.match(JSON.stringify(sub.messages), /5551234|555-1234/, 'the user (a phone number) only as a token');

    await run(phone, 3600 * 1000, 60000);
    assert.is(await loginAt(phone, USER, '2468'), 'User profile unreadable');
    await runUntil(phone, () => logMessages().length === 11);
    assert.is(phone.faults.length, 0, JSON.stringify(phone.faults));
  } finally {
    sub.close();
    phone.dispose();
  }
});

test.run();
