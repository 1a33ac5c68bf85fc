/**
 * Remote syslog against a real rsyslog on 127.0.0.1 (test/servers/rsyslog.ts):
 * the real image in the QuickJS simulator, configured by its provisioning
 * folder (`device.syslog.*`), sends RFC 5424 messages over UDP and TLS;
 * party data is redacted as in the local log.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { bootPhone } from '../helpers/sim';
import { guardedBefore } from '../helpers/guarded-setup';
import { RsyslogServer } from '../servers/rsyslog';

const MAC = '0004f2a1b2c3';
/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG` */
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) (\S+) - (\S+) - (.*)$/;

let server: RsyslogServer;
guardedBefore(test, async () => {
  server = await RsyslogServer.start();
});
test.after(async () => {
  await server?.stop();
});

async function phoneLoggingTo(attributes: Record<string, string>, deviceSettings: Record<string, string> = {}): Promise<Phone> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syslog-prov-'));
  fs.cpSync(path.join(__dirname, '..', '..', 'sim', 'provisioning', 'folder'), dir, { recursive: true });
  // device.* values apply with their .set companions (Polycom).
  const withSet = Object.entries(attributes).flatMap(([k, v]) => (k.startsWith('device.') ? [[k, v], [`${k}.set`, '1']] : [[k, v]]));
  const attrs = withSet.map(([k, v]) => `${k}="${v}"`).join(' ');
  fs.writeFileSync(path.join(dir, 'site.cfg'), `<?xml version="1.0"?>\n<polycomConfig ${attrs}/>\n`);
  const phone = await bootPhone({ provisioningDir: dir, deviceSettings: { 'device.prov.serverName': 'sim://prov/', ...deviceSettings } });
  phone.onDispose(() => fs.rmSync(dir, { recursive: true, force: true }));
  await phone.advance(1000);
  await phone.settle();
  return phone;
}

/** Let the phone's sends reach the server (real I/O under virtual time). */
async function pump(phone: Phone, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await phone.advance(100);
    await phone.settle();
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('UDP: RFC 5424 messages with PRI from facility and level, UTC time, MAC as HOSTNAME, component as MSGID; the redacted text, no party data', async () => {
  const phone = await phoneLoggingTo({
    // No redaction setting: party data is redacted by default in every component, the syslog copy included.
    'device.syslog.serverName': `127.0.0.1:${server.udpPort}`, 'device.syslog.transport': 'UDPOnly',
    'device.syslog.facility': '16', 'device.syslog.renderLevel': '1', 'device.syslog.prependMac': '0',
  });
  try {
    const id = phone.farEnd.ring('+15551234567', 'Carol Jones');
    await pump(phone);
    phone.farEnd.hangup(id);
    await pump(phone);
    const mine = await server.waitFor(new RegExp(` ${MAC} DESK500 - prov - provisioned from`));
    const [, pri, stamp, host, app, msgid, msg] = RFC5424.exec(mine)!;
    assert.is(Number(pri), 16 * 8 + 5, 'local0.notice');
    assert.is(host, MAC);
    assert.is(app, 'DESK500');
    assert.is(msgid, 'prov');
    assert.ok(Math.abs(Date.parse(stamp) - Date.parse(phone.log().find((l) => l.includes('|prov|2|') && l.includes('provisioned from'))!.split('|')[0])) === 0, 'the local log line\'s GMT time');
    assert.match(msg, /^provisioned from 000000000000\.cfg \(boot\)/);
    const received = server.messages().filter((m) => m.includes(` ${MAC} `));
    assert.ok(received.every((m) => RFC5424.test(m)), received.find((m) => !RFC5424.test(m)));
    const all = received.join('\n');
    for (const party of ['5551234567', 'Carol', 'Jones']) assert.not.ok(all.includes(party), `${party} sent to syslog`);
    const local = phone.log().find((l) => /\|calls\|1\|\d+\|call from \[num:[0-9a-f]{8}\] ended/.test(l));
    assert.ok(local, 'the local log holds a token for the caller');
    const text = local!.split('|').slice(4).join('|');
    assert.ok(received.some((m) => RFC5424.exec(m)![5] === 'calls' && RFC5424.exec(m)![6] === text), `the server got the local line's text: ${text}`);
  } finally {
    phone.dispose();
  }
});

test('TLS: messages reach rsyslog over TLS with the server certificate checked against device.sec.TLS.customCaCert1; renderLevel filters', async () => {
  const phone = await phoneLoggingTo({
    'device.syslog.serverName': `127.0.0.1:${server.tlsPort}`, 'device.syslog.transport': 'TLS',
    'device.syslog.facility': '4', 'device.syslog.renderLevel': '2', 'device.syslog.prependMac': '1',
  }, { 'device.sec.TLS.customCaCert1': server.caPem });
  try {
    await pump(phone);
    const mine = await server.waitFor(new RegExp(` ${MAC} DESK500 - prov - ${MAC}: provisioned from`));
    assert.is(Number(RFC5424.exec(mine)![1]), 4 * 8 + 5, 'auth.notice, MAC prepended to the text');
    // renderLevel 2: notice and above only (this phone's messages are the ones with the MAC prepended).
    const sent = server.messages().filter((m) => m.includes(` - ${MAC}: `));
    assert.ok(sent.length >= 1);
    assert.ok(sent.every((m) => Number(RFC5424.exec(m)![1]) % 8 <= 5), sent.join('\n'));
    assert.ok(phone.log().some((l) => /\|1\|\d+\|/.test(l)), 'info lines were logged locally');
  } finally {
    phone.dispose();
  }
});

test('TLS to a server whose certificate the phone does not trust: nothing sent, one warning, the phone runs on', async () => {
  const before = server.messages().length;
  const phone = await phoneLoggingTo({
    'device.syslog.serverName': `127.0.0.1:${server.tlsPort}`, 'device.syslog.transport': 'TLS', 'device.syslog.renderLevel': '1',
  });
  try {
    await pump(phone);
    assert.is(server.messages().slice(before).filter((m) => m.includes(MAC)).length, 0);
    const warnings = phone.log().filter((l) => /\|logs\|3\|.*syslog server 127\.0\.0\.1:\d+ \(TLS\) unreachable \(tls:/.test(l));
    assert.is(warnings.length, 1, phone.log().slice(-10).join('\n'));
    assert.is(phone.state, 'running');
  } finally {
    phone.dispose();
  }
});

test('TCPOnly: octet-counted frames reach rsyslog over plain TCP', async () => {
  const phone = await phoneLoggingTo({
    'device.syslog.serverName': `127.0.0.1:${server.tcpPort}`, 'device.syslog.transport': 'TCPOnly', 'device.syslog.renderLevel': '1', 'device.syslog.prependMac': '0',
    'device.syslog.facility': '17',
  });
  try {
    await pump(phone);
    const mine = await server.waitFor(new RegExp(`^<${17 * 8 + 5}>1 \\S+ ${MAC} DESK500 - prov - provisioned from`));
    assert.ok(RFC5424.test(mine));
  } finally {
    phone.dispose();
  }
});

test.run();
