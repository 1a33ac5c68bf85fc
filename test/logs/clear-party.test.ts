/**
 * The redaction key and the clear-party window on the phone
 * (firmware/logs/redaction-key.ts, firmware/logs/clear-party-window.ts):
 * erasing the logs class (what the resets that erase logs do) destroys the
 * key, so later tokens differ; `log.clearParty.hours` opens a window that 0
 * closes at once and that a value left in place does not reopen at boot.
 * The QuickJS end-to-end run is party-forensics.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { party } from '../../firmware/kernel/party';
import { CLEAR_PARTY_PATH } from '../../firmware/logs/clear-party-window';
import { REDACTION_KEY_PATH } from '../../firmware/logs/redaction-key';
import { bootLogPhone, type LogPhone } from './log-phone';

function lastLine(p: LogPhone, text: string): string {
  p.booted.kernel.log.component('calls').info(text);
  return p.log().slice(-1)[0];
}

function set(p: LogPhone, value: string): void {
  const r = p.booted.config.setOverride('local', 'log.clearParty.hours', value);
  assert.ok(r.ok && r.rejected.length === 0, JSON.stringify(r));
}

test('eraseClass(logs) destroys the redaction key: tokens after it differ, a new key is made', async () => {
  const p = await bootLogPhone({ site: {} });
  const before = /\[num:[0-9a-f]{8}\]/.exec(lastLine(p, `call from ${party('+4930123456', 'address')} ended`))![0];
  const user = /\[user:[0-9a-f]{8}\]/.exec(lastLine(p, `${party('jdoe', 'user')} logged in`))![0];
  const oldKey = p.booted.fs.read(REDACTION_KEY_PATH);
  assert.ok(oldKey && oldKey.length === 32, 'the key is in the logs class');
  p.booted.fs.eraseClass('logs');
  assert.not.ok(p.booted.fs.exists(REDACTION_KEY_PATH), 'the key went with the logs class');
  const after = /\[num:[0-9a-f]{8}\]/.exec(lastLine(p, `call from ${party('+4930123456', 'address')} ended`))![0];
  assert.is.not(after, before, 'a token after the erase cannot be tied to one before it');
  assert.is.not(/\[user:[0-9a-f]{8}\]/.exec(lastLine(p, `${party('jdoe', 'user')} logged in`))![0], user);
  const newKey = p.booted.fs.read(REDACTION_KEY_PATH);
  assert.ok(newKey && newKey.length === 32 && Buffer.compare(Buffer.from(newKey), Buffer.from(oldKey!)) !== 0, 'a new key');
});

test('the window: opens on a change, 0 closes it at once; after it ended, a value left at N does not reopen it at boot', async () => {
  const p = await bootLogPhone({ site: {} });
  assert.is(p.booted.kernel.log.partyInClearUntil(), null);
  set(p, '3');
  const until = p.booted.kernel.log.partyInClearUntil();
  assert.is(until, p.devices.clock.now() + 3 * 3_600_000);
  assert.ok(lastLine(p, `call from ${party('+4930123456', 'address')} ended`).endsWith('call from +4930123456 ended'));
  assert.ok(p.booted.fs.exists(CLEAR_PARTY_PATH), 'the end is kept on flash');
  set(p, '0');
  assert.is(p.booted.kernel.log.partyInClearUntil(), null);
  assert.not.ok(p.booted.fs.exists(CLEAR_PARTY_PATH));
  assert.ok(p.log().some((l) => l.endsWith('party data redacted again in the logs (log.clearParty.hours=0)')));
  assert.match(lastLine(p, `call from ${party('+4930123456', 'address')} ended`), /call from \[num:[0-9a-f]{8}\] ended$/);

  set(p, '1');
  await p.advance(3_600_000);
  assert.is(p.booted.kernel.log.partyInClearUntil(), null, 'closed by itself');
  p.booted.logs.flush();
  const again = await bootLogPhone({ site: {}, flash: p.flash, keystore: p.keystore, provDir: p.provDir! });
  assert.is(again.booted.config.get('log.clearParty.hours'), '1', 'the value is still there');
  assert.is(again.booted.kernel.log.partyInClearUntil(), null, 'but the window stays closed');
  assert.match(lastLine(again, `call from ${party('+4930123456', 'address')} ended`), /\[num:/);
});

test('before the redaction filter exists, a marked value is withheld, never shown', async () => {
  const { Logger } = await import('../../firmware/kernel/logger');
  const lines: string[] = [];
  const logger = new Logger(() => 0);
  logger.addSink((l) => lines.push(l));
  logger.component('store').notice(`erasing class calls of user ${party('jdoe', 'user')}`);
  assert.ok(lines[0].endsWith('erasing class calls of user [withheld]'), lines[0]);
});

test.run();
