/**
 * Device analytics figures, measured in one run against a real mosquitto
 * (TLS, test/servers/mosquitto.ts) with the real image in QuickJS:
 * - bytes per call: MQTT bytes the phone wrote and read, and TCP bytes on the
 *   wire (TLS handshake and records included), from the end of a call until
 *   its CDR is acknowledged and the idle connection closed;
 * - bytes per idle day (analytics on, no call: the daily uptime and hardware
 *   messages), and with analytics off (must be 0);
 * - flash bytes programmed per queued message (enqueue) and per acknowledge,
 *   and live flash bytes a queued CDR message takes, on the real store.
 */
import { AnalyticsQueue } from '../firmware/analytics/analytics-queue';
import { cdrData } from '../firmware/analytics/analytics-messages';
import { FileStore } from '../firmware/storage/file-store';
import { Keystore, NodeCryptoEngine } from '../sim/devices/crypto';
import { VirtualFlash } from '../sim/devices/flash';
import { boardProfile } from '../hal/boards';
import type { Phone } from '../sim/phone';
import { MosquittoBroker } from '../test/servers/mosquitto';
import { ACCOUNTS, MAC, analyticsParameters, answeredCall, bootProvisioned, provisioningFolder, run, runUntil } from '../test/analytics/analytics-phone';

interface Traffic { mqttSent: number; mqttReceived: number; wireSent: number; wireReceived: number; connections: number }

function traffic(phone: Phone): Traffic {
  const c = phone.devices.socket.counters;
  const w = phone.devices.socket.wire();
  return { mqttSent: c.bytesSent, mqttReceived: c.bytesReceived, wireSent: w.bytesSent, wireReceived: w.bytesReceived, connections: c.connections };
}

function delta(a: Traffic, b: Traffic): Traffic {
  return { mqttSent: b.mqttSent - a.mqttSent, mqttReceived: b.mqttReceived - a.mqttReceived, wireSent: b.wireSent - a.wireSent, wireReceived: b.wireReceived - a.wireReceived, connections: b.connections - a.connections };
}

function show(label: string, t: Traffic, per = 1): void {
  const f = (n: number) => (n / per).toFixed(0).padStart(7);
  console.log(`${label.padEnd(34)} MQTT ${f(t.mqttSent)} B out ${f(t.mqttReceived)} B in · wire (TLS) ${f(t.wireSent)} B out ${f(t.wireReceived)} B in · ${(t.connections / per).toFixed(1)} connections`);
}

async function network(): Promise<void> {
  const broker = await MosquittoBroker.start(ACCOUNTS);
  try {
    const sub = await broker.subscribe(`phones/${MAC}/#`);
    const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker)));
    try {
      await runUntil(phone, () => sub.messages.length >= 2);
      await run(phone, 60000, 10000); // the idle connection closes
      const calls = 5;
      const before = traffic(phone);
      for (let i = 0; i < calls; i++) {
        await answeredCall(phone, `sip:55${i}@pbx.local`, 'Bench', 120);
        await run(phone, 60000, 10000);
      }
      show('per call (CDR, connect to close)', delta(before, traffic(phone)), calls);
      const days = 3;
      const idle = traffic(phone);
      await run(phone, days * 24 * 3600000, 3600000);
      show('per idle day (uptime + hardware)', delta(idle, traffic(phone)), days);
      console.log(`(messages received by the subscriber: ${sub.messages.length})`);
    } finally {
      sub.close();
      phone.dispose();
    }
    const off = await bootProvisioned(provisioningFolder(analyticsParameters(broker, { 'feature.da.enabled': '0' })));
    try {
      const t0 = traffic(off);
      await answeredCall(off, 'sip:560@pbx.local', 'Bench', 120);
      await run(off, 24 * 3600000, 3600000);
      show('analytics off: per day with a call', delta(t0, traffic(off)));
    } finally {
      off.dispose();
    }
  } finally {
    await broker.stop();
  }
}

function flash(): void {
  const profile = boardProfile('desk-500');
  const vf = new VirtualFlash(profile.flash);
  const store = FileStore.mount(vf.open('fs'), new NodeCryptoEngine(new Keystore()));
  const queue = new AnalyticsQueue(store, 400, () => {});
  const pseudonym = (id: string) => `h:${id.length.toString(16).padStart(24, '0')}`;
  const body = (i: number) => JSON.stringify({
    id: i.toString(16).padStart(16, '0'), service: 'cdr', mac: MAC, time: '2026-01-01T09:00:00.000Z', boot: 3,
    data: cdrData({ user: '', remoteParty: { address: `sip:100${i}@pbx.local`, name: '' }, direction: 'In', disconnect: { cause: 'remote-hangup' },
      startTime: '2026-01-01T09:00:00.000Z', durationSeconds: 120, protocol: 'SIP', callRate: 64, callId: `call-${i}-abcdef@pbx.local`, remoteTag: 'as5f3e', localTag: '9b2c1d' }, pseudonym, false),
  });
  const n = 100;
  const s0 = store.stats();
  for (let i = 0; i < n; i++) queue.enqueue('cdr', () => ({ id: String(i), body: body(i) }));
  const s1 = store.stats();
  for (let m = queue.oldest(); m; m = queue.oldest()) queue.acknowledge(m.seq);
  const s2 = store.stats();
  const bodyBytes = body(1).length;
  console.log(`flash per queued CDR message (${bodyBytes} B JSON): ${((s1.programBytes - s0.programBytes) / n).toFixed(0)} B programmed, ${((s1.liveBytes - s0.liveBytes) / n).toFixed(0)} B live; per acknowledge ${((s2.programBytes - s1.programBytes) / n).toFixed(0)} B programmed; erases over ${n} enqueue+ack: ${s2.eraseOps - s0.eraseOps}`);
}

export async function bench(): Promise<void> {
  flash();
  await network();
}
