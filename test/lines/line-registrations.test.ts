/**
 * The lines module's parts without a phone: accounts from configuration
 * (line server vs default server, transports), the baresip account line
 * (refusing characters baresip cannot carry), and the registration state
 * machine: re-register only on a real change, unregister a removed line,
 * backoff 30 s doubling to a 30 min cap, reset by a success.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SipAccount } from '../../hal/contract';
import { baresipAccountLine } from '../../hal/linux/baresip-account';
import { LineRegistrations } from '../../firmware/lines/line-registrations';
import { accountOf, lineLabel } from '../../firmware/lines/sip-accounts';
import { linesDeclaration } from '../../firmware/lines/declaration';
import { Timers } from '../../firmware/kernel/timers';
import { VirtualClock } from '../../sim/devices/clock';

function config(values: Record<string, string>) {
  const defaults = new Map(linesDeclaration.parameters.map((p) => [p.name, String(p.default)]));
  return { get: (n: string) => values[n] ?? defaults.get(n) };
}

test('declared like Polycom: reg.1..4 and voIpProt.server.1..2, the password a secret, transports and expiry defaults', () => {
  const byName = new Map(linesDeclaration.parameters.map((p) => [p.name, p]));
  for (let x = 1; x <= 4; x++) for (const f of ['address', 'displayName', 'label', 'auth.userId', 'auth.password', 'server.1.address', 'server.1.port', 'server.1.transport', 'server.1.expires']) assert.ok(byName.has(`reg.${x}.${f}`), `reg.${x}.${f}`);
  assert.is(byName.get('reg.1.auth.password')!.secret, true);
  assert.is(byName.get('reg.2.auth.userId')!.secret, undefined);
  assert.equal(byName.get('voIpProt.server.1.transport')!.values, ['DNSnaptr', 'TCPpreferred', 'UDPOnly', 'TLS', 'TCPOnly']);
  assert.is(byName.get('voIpProt.server.1.transport')!.default, 'DNSnaptr');
  assert.is(byName.get('reg.3.server.1.expires')!.default, 3600);
  assert.equal([byName.get('voIpProt.server.1.port')!.min, byName.get('voIpProt.server.1.port')!.max, byName.get('voIpProt.server.1.port')!.default], [0, 65535, 0]);
});

test('an account: the default server for a line without its own, the line\'s server fields when it has one; no address: no account', () => {
  const c = config({
    'voIpProt.server.1.address': 'pbx.example.com', 'voIpProt.server.1.port': '5070', 'voIpProt.server.1.transport': 'TCPOnly', 'voIpProt.server.1.expires': '600',
    'reg.1.address': '1001', 'reg.1.auth.password': 'pw1', 'reg.1.displayName': 'Alice',
    'reg.2.address': '1002@other.example.com', 'reg.2.auth.userId': 'auth2', 'reg.2.server.1.address': 'sbc.example.com', 'reg.2.server.1.transport': 'TLS',
  });
  assert.equal(accountOf(c, 1), { line: 1, address: '1001', displayName: 'Alice', authUserId: '', password: 'pw1', server: { address: 'pbx.example.com', port: 5070, transport: 'TCP', expires: 600 } });
  assert.equal(accountOf(c, 2)!.server, { address: 'sbc.example.com', port: 0, transport: 'TLS', expires: 3600 });
  assert.is(accountOf(c, 3), null);
  assert.is(lineLabel(c, 1), '1001');
  assert.is(lineLabel(c, 2), '1002');
  assert.is(lineLabel(config({ 'reg.1.address': '1001', 'reg.1.label': 'Front desk' }), 1), 'Front desk');
  assert.is(accountOf(config({ 'reg.1.address': '1001' }), 1)!.server.transport, 'UDP', 'DNSnaptr: UDP (no NAPTR look-up)');
});

const ACCOUNT: SipAccount = { line: 1, address: '1001', displayName: 'Alice', authUserId: '', password: 'pw', server: { address: '127.0.0.1', port: 5070, transport: 'UDP', expires: 60 } };

test('baresip account line: AOR on the server\'s domain, auth, outbound proxy, regint; characters baresip cannot carry are refused', () => {
  assert.equal(baresipAccountLine(ACCOUNT), { aor: 'sip:1001@127.0.0.1', line: '"Alice" <sip:1001@127.0.0.1>;auth_user=1001;auth_pass=pw;outbound="sip:127.0.0.1:5070;transport=udp";regint=60;answermode=manual' });
  assert.is(baresipAccountLine({ ...ACCOUNT, address: '1001@pbx.example.com', server: { ...ACCOUNT.server, transport: 'TLS', port: 0 } }).line, '"Alice" <sip:1001@pbx.example.com>;auth_user=1001;auth_pass=pw;outbound="sip:127.0.0.1:5061;transport=tls";regint=60;answermode=manual');
  assert.throws(() => baresipAccountLine({ ...ACCOUNT, password: 'a;b' }), /password holds a character baresip accounts cannot carry/);
  assert.throws(() => baresipAccountLine({ ...ACCOUNT, server: { ...ACCOUNT.server, address: '' } }), /no server address/);
});

function harness() {
  const clock = new VirtualClock(0);
  const timers = new Timers(clock, (_label, fn) => fn);
  const calls: string[] = [];
  const logs: string[] = [];
  const log = { info: (t: string) => logs.push(t), notice: (t: string) => logs.push(t), warning: (t: string) => logs.push(t), error: (t: string) => logs.push(t) };
  const regs = new LineRegistrations({
    line: {
      register: async (a) => { calls.push(`register ${a.line} ${a.password}`); },
      unregister: async (n) => { calls.push(`unregister ${n}`); },
    },
    timers, monotonic: () => clock.monotonic(), log, changed: () => {}, jitterSeed: 0,
  }, 2);
  return { clock, regs, calls, logs };
}

test('re-registers only when the account changes; a removed line is unregistered', () => {
  const { regs, calls } = harness();
  regs.configure([ACCOUNT, null], ['Alice', 'Line 2']);
  assert.equal(calls, ['register 1 pw']);
  regs.configure([{ ...ACCOUNT }, null], ['Alice (desk)', 'Line 2']);
  assert.equal(calls, ['register 1 pw'], 'a label change needs no registration');
  assert.is(regs.status()[0].label, 'Alice (desk)');
  regs.configure([{ ...ACCOUNT, password: 'new' }, null], ['Alice', 'Line 2']);
  assert.equal(calls, ['register 1 pw', 'register 1 new']);
  regs.configure([null, null], ['Line 1', 'Line 2']);
  assert.equal(calls, ['register 1 pw', 'register 1 new', 'unregister 1']);
  assert.is(regs.status()[0].state, 'unconfigured');
});

test('backoff: 30 s, 60 s, ... capped at 30 min; a success resets it', async () => {
  const { clock, regs, calls, logs } = harness();
  regs.configure([ACCOUNT, null], ['Alice', 'Line 2']);
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    regs.onRegistration(1, 'failed', '403 Forbidden');
    assert.is(regs.status()[0].state, 'failed');
    const s = regs.status()[0];
    delays.push((s.retryAt! - clock.monotonic()) / 1000);
    const before = calls.length;
    clock.advance(s.retryAt! - clock.monotonic());
    await Promise.resolve();
    assert.is(calls.length, before + 1, 'retried when due');
  }
  assert.equal(delays, [30, 60, 120, 240, 480, 960, 1800, 1800]);
  regs.onRegistration(1, 'registered');
  assert.is(regs.status()[0].state, 'registered');
  regs.onRegistration(1, 'failed', '408 Request Timeout');
  assert.is((regs.status()[0].retryAt! - clock.monotonic()) / 1000, 30, 'reset by the success');
  assert.ok(logs.includes('line 1: registration failed (408 Request Timeout); retry 1 in 30 s'), logs.join('\n'));
});

test('a host that cannot send the registration counts as a failure (retried with backoff)', async () => {
  const clock = new VirtualClock(0);
  const regs = new LineRegistrations({
    line: { register: async () => { throw new Error('io: baresip connection closed'); }, unregister: async () => {} },
    timers: new Timers(clock, (_l, fn) => fn), monotonic: () => clock.monotonic(), log: { info() {}, notice() {}, warning() {}, error() {} }, changed: () => {}, jitterSeed: 0,
  }, 1);
  regs.configure([ACCOUNT], ['Alice']);
  await new Promise((r) => setTimeout(r, 0));
  assert.is(regs.status()[0].state, 'failed');
  assert.is(regs.status()[0].reason, 'io: baresip connection closed');
});

test.run();
