/**
 * Lines registered to a real registrar: kamailio (digest authentication from
 * db_text) on 127.0.0.1, each phone the firmware (this process) driving its
 * own baresip through the Linux line adapter (ctrl_tcp `uanew` / `uadel`),
 * its lines given by configuration (`reg.1.*`, `voIpProt.server.1.*`).
 * A line registers; a wrong password shows "registration failed" and retries
 * with backoff; two phones call each other through kamailio and both call
 * lists record it; the registrar going away and coming back.
 *
 * The firmware runs on a virtual clock: its retry timers fire when the test
 * advances that clock; SIP itself runs in real time.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guardedBefore } from '../helpers/guarded-setup';
import { describeHit, findRawStrings } from '../../sim/forensics/scan';
import { KamailioServer } from '../servers/kamailio';
import { bootOnBaresip, startBaresip, until, type PhoneOnBaresip, type RunningBaresip } from './baresip-harness';

let kamailio: KamailioServer;
const started: { baresip: RunningBaresip; phone: PhoneOnBaresip }[] = [];

guardedBefore(test, async () => {
  kamailio = await KamailioServer.start([{ user: '1001', password: 'alice-pw' }, { user: '1002', password: 'bob-pw' }]);
});

test.after(async () => {
  for (const s of started) {
    s.phone.line.close();
    s.baresip.stop();
  }
  await kamailio?.stop();
});

function siteCfg(params: Record<string, string>): string {
  const attrs = Object.entries(params).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<polycomConfig ${attrs}/>\n`;
}

/** A phone on its own baresip (no account of its own), line 1 configured for `user` through the local override file. */
async function phoneFor(user: string, password: string, label: string, extra: Record<string, string> = {}): Promise<PhoneOnBaresip> {
  const baresip = await startBaresip({ account: '', quitAfterS: 240 });
  let phone: PhoneOnBaresip;
  try {
    phone = await bootOnBaresip(baresip.ctrlPort);
  } catch (e) {
    baresip.stop();
    throw new Error(`${(e as Error).message}\nbaresip said: ${baresip.output().slice(-1500)}`);
  }
  started.push({ baresip, phone });
  const result = phone.booted.config.applyOverrideFile('local', siteCfg({
    'voIpProt.server.1.address': '127.0.0.1',
    'voIpProt.server.1.port': String(kamailio.port),
    'voIpProt.server.1.transport': 'UDPOnly',
    'voIpProt.server.1.expires': '60',
    'reg.1.address': user,
    'reg.1.label': label,
    'reg.1.displayName': label,
    'reg.1.auth.password': password,
    ...extra,
  }));
  assert.ok(result.ok && result.rejected.length === 0, JSON.stringify(result));
  return phone;
}

const idle = (p: PhoneOnBaresip) => p.booted.ui.manager.current()!.lines;
const lineState = (p: PhoneOnBaresip) => p.booted.lines.status()[0].state;
const sipLog = (p: PhoneOnBaresip) => p.log().filter((l) => l.includes('|sip|') || l.startsWith('line:')).join('\n');

test('a line registers to kamailio with digest authentication: label and "registered" at idle, LED on', async () => {
  const phone = await phoneFor('1001', 'alice-pw', 'Alice');
  await until('line 1 registered', () => lineState(phone) === 'registered', 15000).catch((e) => { throw new Error(`${e.message}\n${sipLog(phone)}\n${kamailio.log().slice(-1500)}`); });
  assert.ok(idle(phone).includes('Alice: registered'), idle(phone).join(' | '));
  assert.is(phone.devices.leds.state.line1, 'on');
  assert.ok(!phone.log().some((l) => l.includes('alice-pw')), 'the password is not logged');
  assert.equal(findRawStrings(phone.devices.flash.image(), ['alice-pw']).map(describeHit), [], 'the override file holding it is sealed on flash');
});

test('a wrong password: "registration failed" with the registrar\'s reason, retried after 30 s of backoff, then 60 s', async () => {
  const phone = await phoneFor('1002', 'not-bobs', 'Bob');
  await until('line 1 failed', () => lineState(phone) === 'failed', 20000).catch((e) => { throw new Error(`${e.message}\n${sipLog(phone)}`); });
  assert.ok(idle(phone).includes('Bob: registration failed'), idle(phone).join(' | '));
  assert.is(phone.devices.leds.state.line1, 'off');
  const status = phone.booted.lines.status()[0];
  assert.match(status.reason, /^403|^401/, status.reason);
  const failures = () => phone.log().filter((l) => /line 1: registration failed/.test(l)).length;
  assert.is(failures(), 1);
  // Nothing is retried before the backoff: no new REGISTER in real time either (baresip's user agent was deleted).
  await new Promise((r) => setTimeout(r, 1500));
  assert.is(failures(), 1);
  phone.devices.clock.advance(34_000);
  await until('the first retry to fail', () => failures() === 2, 20000);
  assert.ok(phone.log().some((l) => /line 1: registration failed \(.+\); retry 2 in 6\d s/.test(l)), sipLog(phone));
  assert.ok(idle(phone).includes('Bob: registration failed'));
});

test('two phones registered to kamailio call each other through it; both call lists record the call', async () => {
  const alice = await phoneFor('1001', 'alice-pw', 'Alice');
  const bob = await phoneFor('1002', 'bob-pw', 'Bob');
  await until('both registered', () => lineState(alice) === 'registered' && lineState(bob) === 'registered', 15000);
  const call = alice.booted.calls.controller.dial('1002')!;
  assert.ok(call, 'dialled');
  await until('bob ringing', () => bob.booted.calls.controller.calls().some((c) => c.state === 'incoming'), 15000).catch((e) => { throw new Error(`${e.message}\n${sipLog(alice)}\n${kamailio.log().slice(-1500)}`); });
  const incoming = bob.booted.calls.controller.calls()[0];
  assert.match(incoming.remote.address, /^sip:1001@127\.0\.0\.1/);
  bob.booted.calls.controller.answer(incoming);
  await until('connected both ends', () => call.state === 'connected' && incoming.state === 'connected', 15000).catch((e) => { throw new Error(`${e.message}: ${call.state}/${incoming.state}\n${alice.log().slice(-15).join('\n')}\n---\n${bob.log().slice(-15).join('\n')}\n${kamailio.log().split('\n').filter((l) => l.includes('request ')).join('\n')}`); });
  alice.devices.clock.advance(3000);
  bob.devices.clock.advance(3000);
  alice.booted.calls.controller.hangup(call);
  await until('the call to end at both', () => alice.booted.calls.controller.calls().length === 0 && bob.booted.calls.controller.calls().length === 0, 15000);
  const [placed] = alice.booted.calls.recorder.list('placed');
  assert.ok(placed, sipLog(alice));
  assert.is(placed.disposition, 'Normal');
  assert.is(placed.duration, 'PT3S');
  assert.match(placed.destination.address, /1002/);
  const [received] = bob.booted.calls.recorder.list('received');
  assert.ok(received, sipLog(bob));
  assert.is(received.disposition, 'Normal');
  assert.match(received.source.address, /^sip:1001@127\.0\.0\.1/);
  assert.is(received.source.name, 'Alice');
  assert.is(bob.booted.calls.recorder.list('missed').length, 0);
});

// Over TCP (the line's own server): a registrar gone is noticed at the next refresh, not after UDP's 32 s transaction timeout.
test('the registrar goes away: the line fails at its refresh; back again, the line registers at its next backoff retry', async () => {
  const phone = await phoneFor('1001', 'alice-pw', 'Alice', { 'reg.1.server.1.address': '127.0.0.1', 'reg.1.server.1.port': String(kamailio.port), 'reg.1.server.1.transport': 'TCPOnly', 'reg.1.server.1.expires': '10' });
  await until('registered', () => lineState(phone) === 'registered', 15000);
  await kamailio.pause();
  await until('the refresh to fail', () => lineState(phone) === 'failed', 60000).catch((e) => { throw new Error(`${e.message}\n${sipLog(phone)}`); });
  assert.ok(idle(phone).includes('Alice: registration failed'), idle(phone).join(' | '));
  assert.is(phone.devices.leds.state.line1, 'off');
  await kamailio.resume();
  phone.devices.clock.advance(34_000);
  await until('registered again', () => lineState(phone) === 'registered', 20000).catch((e) => { throw new Error(`${e.message}\n${sipLog(phone)}`); });
  assert.ok(idle(phone).includes('Alice: registered'));
  assert.is(phone.devices.leds.state.line1, 'on');
});

test.run();
