/**
 * Redaction of personal data in log lines (firmware/logs/log-redaction.ts,
 * docs/logging.md): phone numbers, SIP/tel URI user parts and display names
 * become keyed-hash tokens in every component (marked values by kind,
 * unmarked free text by pattern); the same party always gets the same token;
 * message bodies (conversation content) are not logged unless
 * log.render.messageBodies=1. The clear-party window and the phone-level
 * checks are in clear-party.test.ts and party-forensics.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utf8Encode } from '../../firmware/kernel/text-codec';
import { LogRedactor, type RedactionSettings } from '../../firmware/logs/log-redaction';
import { party } from '../../firmware/kernel/party';
import { NodeCryptoEngine } from '../../sim/devices/crypto';
import { bootLogPhone, siteCfg } from './log-phone';
import * as fs from 'fs';
import * as path from 'path';

const crypto = new NodeCryptoEngine();
function redactor(key = 'k'.repeat(32), settings: Partial<RedactionSettings> = {}) {
  const s: RedactionSettings = { clearParty: false, keepMessageBodies: false, ...settings };
  return new LogRedactor((d) => crypto.hmacSha256(utf8Encode(key), utf8Encode(d)), () => s);
}

const INVITE = [
  'INVITE sip:+4930123456@pbx.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.168.10.20:5060;branch=z9hG4bK776asdhds',
  'From: "Alice Smith" <sip:alice@example.com>;tag=1928301774',
  'To: Bob Jones <sip:+49-30-123456@example.com>',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@192.168.10.20>',
  'Content-Type: text/plain',
  'Content-Length: 24',
  '',
  'meet me at 5, call 0301234567',
].join('\r\n');

test('a SIP message dump: numbers, URI users and names become tokens; addresses, ids and counters stay', () => {
  const out = redactor().filter('sip', 0, INVITE);
  for (const secret of ['Alice', 'Smith', 'Bob Jones', 'alice@', '4930123456', '30-123456', '0301234567', 'meet me']) assert.not.ok(out.includes(secret), `${secret} in\n${out}`);
  assert.match(out, /^INVITE sip:\[num:[0-9a-f]{8}\]@pbx\.example\.com SIP\/2\.0/);
  assert.match(out, /From: "\[name:[0-9a-f]{8}\]" <sip:\[user:[0-9a-f]{8}\]@example\.com>;tag=1928301774/);
  assert.match(out, /To: \[name:[0-9a-f]{8}\] <sip:\[num:[0-9a-f]{8}\]@example\.com>/);
  for (const kept of ['192.168.10.20:5060', 'z9hG4bK776asdhds', 'a84b4c76e66710@pc33.example.com', 'CSeq: 314159 INVITE', 'Content-Length: 24']) assert.ok(out.includes(kept), kept);
  assert.match(out, /\[message body of \d+ characters not logged\]$/);
});

test('the same party gets the same token in every form; another key gives other tokens', () => {
  const r = redactor();
  const token = (s: string) => /\[num:[0-9a-f]{8}\]/.exec(r.filter('sip', 1, s))![0];
  const a = token('call from +49 30 123456');
  assert.is(token('sip:+4930123456@pbx.example.com rejected'), a);
  assert.is(token('tel:+49-30-123456 busy'), a);
  assert.is.not(token('call from +49 30 654321'), a);
  const n1 = r.filter('sip', 1, 'From: "Alice Smith" <sip:alice@example.com>');
  const n2 = r.filter('sip', 1, `name=${'"alice smith"'} ended`);
  assert.is(/\[name:[0-9a-f]{8}\]/.exec(n1)![0], /\[name:[0-9a-f]{8}\]/.exec(n2)![0], 'names compare case-insensitively');
  assert.is.not(/\[num:[0-9a-f]{8}\]/.exec(redactor('x'.repeat(32)).filter('sip', 1, 'call from +49 30 123456'))![0], a);
});

test('every component is redacted; party() marks become the token of their kind; clear-party shows them', () => {
  const r = redactor();
  assert.match(r.filter('calls', 1, 'missed call from +49 30 123456'), /^missed call from \[num:[0-9a-f]{8}\]$/);
  assert.match(r.filter('dir', 1, `contact ${party('Ann Lee', 'name')} saved`), /^contact \[name:[0-9a-f]{8}\] saved$/);
  assert.match(r.filter('login', 1, `${party('jdoe', 'user')} logged in`), /^\[user:[0-9a-f]{8}\] logged in$/);
  assert.match(r.filter('calls', 1, `call to ${party('sip:bob@pbx.example.com', 'address')} ended`), /^call to sip:\[user:[0-9a-f]{8}\]@pbx\.example\.com ended$/);
  assert.match(r.filter('calls', 1, `call to ${party('2001', 'address')} ended`), /^call to \[num:[0-9a-f]{8}\] ended$/, 'a short extension is still a number when marked');
  const clear = redactor(undefined, { clearParty: true });
  assert.is(clear.filter('dir', 1, `contact ${party('Ann Lee', 'name')} saved, from +49 30 123456`), 'contact Ann Lee saved, from +49 30 123456');
  // Dates, times, IPv4 addresses, short numbers and sizes are not phone numbers.
  const plain = '2026-01-01 10:12:14 from 10.0.0.1:5060 code 486 after 12 s, 1048576 bytes, 000000000000-directory.xml';
  assert.is(r.filter('sip', 1, plain), plain);
});

test('a user ID of this boot is redacted wherever it appears unmarked (file names, URLs)', () => {
  const r = redactor();
  r.rememberUser('jdoe');
  const out = r.filter('prov', 1, 'uploaded jdoe-calls.xml: 120 bytes to http://prov/calls/jdoe-calls.xml; jdoex kept');
  assert.not.ok(/jdoe[^x]/.test(out), out);
  assert.ok(out.includes('jdoex kept'), 'only whole IDs');
  assert.match(out, /^uploaded \[user:[0-9a-f]{8}\]-calls\.xml/);
});

test('message bodies: replaced by their size in every component unless log.render.messageBodies=1', () => {
  assert.match(redactor().filter('calls', 0, INVITE), /\[message body of \d+ characters not logged\]$/);
  assert.match(redactor(undefined, { keepMessageBodies: true, clearParty: true }).filter('sip', 0, INVITE), /meet me at 5/);
});

test('on the phone: every component redacted by default with a key kept across reboots', async () => {
  const p = await bootLogPhone({ site: {} });
  const sip = p.booted.kernel.log.component('sip');
  sip.info('incoming call from "Carol King" <sip:+15551234567@example.com>');
  p.booted.kernel.log.component('calls').info('ringing: +15551234567');
  const lines = p.log().slice(-2);
  assert.not.ok(lines[0].includes('Carol') || lines[0].includes('5551234567'), lines[0]);
  assert.not.ok(lines[1].includes('5551234567'), lines[1]);
  const token = /\[num:[0-9a-f]{8}\]/.exec(lines[0])![0];
  assert.ok(lines[1].includes(token), 'same party, same token in every component');
  p.booted.logs.flush();
  assert.not.ok(p.booted.logs.files.app.text().includes('Carol'), 'the flash log holds the redacted line');

  const again = await bootLogPhone({ site: {}, flash: p.flash, keystore: p.keystore, provDir: p.provDir! });
  again.booted.kernel.log.component('calls').info('ringing: +15551234567');
  assert.ok(again.log().slice(-1)[0].includes(token), 'same token after a reboot (key kept in the store)');
});

test.run();
