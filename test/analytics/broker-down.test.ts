/**
 * The broker is down for a virtual hour while calls end: every message waits
 * on flash and arrives once the broker is back (backoff retries meanwhile);
 * a power cut while it is down loses nothing either.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeHit, findRawStrings } from '../../sim/forensics/scan';
import { MosquittoBroker } from '../servers/mosquitto';
import { ACCOUNTS, MAC, analyticsParameters, answeredCall, bootProvisioned, liveRecordsOf, provisioningFolder, run, runUntil } from './analytics-phone';

const test = suite('analytics with the broker down');
let broker: MosquittoBroker;

test.before(async () => {
  broker = await MosquittoBroker.start(ACCOUNTS);
});
test.after(async () => {
  await broker?.stop();
});

test('broker down for a virtual hour, power cut in the middle: nothing lost, all delivered once it is back', async () => {
  await broker.pause();
  const phone = await bootProvisioned(provisioningFolder(analyticsParameters(broker)));
  try {
    for (let i = 1; i <= 3; i++) {
      await answeredCall(phone, `sip:10${i}@pbx.local`, `Caller ${i}`, 10 * i);
      await run(phone, 10 * 60000, 60000);
    }
    assert.ok(liveRecordsOf(phone, 'analytics').filter((p) => p.startsWith('analytics/q/')).length >= 5, 'sdi, restart and 3 CDRs wait on flash');
    assert.ok(phone.devices.socket.counters.connections >= 3, 'retried meanwhile');
    assert.equal(findRawStrings(phone.dumpFlash(), ['pbx.local', 'Caller 2', '"service"']).map(describeHit), [], 'queued messages and CDRs are sealed on flash');
    phone.cutPower();
    await phone.powerOn();
    await answeredCall(phone, 'sip:104@pbx.local', 'Caller 4', 40);
    await run(phone, 30 * 60000, 60000);
    await broker.resume();
    const sub = await broker.subscribe(`phones/${MAC}/#`);
    await runUntil(phone, () => sub.messages.filter((m) => m.topic.endsWith('/cdr')).length >= 4, 20 * 60000, 10000);
    await run(phone, 60000);
    const cdrs = sub.json().filter((m) => m.service === 'cdr').map((m) => m.data.durationSeconds).sort((a, b) => a - b);
    assert.equal(cdrs, [10, 20, 30, 40], 'each call once');
    assert.ok(sub.json().filter((m) => m.service === 'sdi').length >= 2, 'asset details of both boots');
    assert.equal(liveRecordsOf(phone, 'analytics').filter((p) => p.startsWith('analytics/q/')), [], 'queue empty once acknowledged');
    assert.is(phone.faults.length, 0);
    sub.close();
  } finally {
    phone.dispose();
  }
});

test.run();
