/**
 * The Linux line adapter against real baresip (ctrl_tcp) with sipp as the
 * far end, all on 127.0.0.1: an incoming call answered by the firmware and
 * hung up by the caller, an outgoing call hung up by the phone, and a busy
 * callee (custom sipp scenario); each ends as the right call-list entry.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guardedBefore } from '../helpers/guarded-setup';
import { bootOnBaresip, freePort, runSipp, scenarioFile, startBaresip, until, type PhoneOnBaresip, type RunningBaresip } from './baresip-harness';

let baresip: RunningBaresip;
let phone: PhoneOnBaresip;

guardedBefore(test, async () => {
  baresip = await startBaresip();
  phone = await bootOnBaresip(baresip.ctrlPort);
});

test.after(() => {
  phone?.line.close();
  baresip?.stop();
});

const BUSY_UAS = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="busy callee">
  <recv request="INVITE" />
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
Content-Length: 0

  ]]></send>
  <recv request="ACK" />
</scenario>
`;

test('incoming call from sipp: ringing screen, the firmware answers, sipp hangs up: a Received entry, Normal', async () => {
  const calls = phone.booted.calls;
  const sippPort = await freePort();
  const uac = runSipp(['-sn', 'uac', `127.0.0.1:${baresip.sipPort}`, '-s', 'phone', '-m', '1', '-i', '127.0.0.1', '-p', String(sippPort), '-d', '1500']);
  try {
    await until('the incoming call', () => calls.controller.calls().some((c) => c.state === 'incoming'));
    assert.is(phone.booted.ui.manager.current()?.id, 'incoming');
    const call = calls.controller.calls()[0];
    assert.is(call.remote.address, `sip:sipp@127.0.0.1:${sippPort}`);
    calls.controller.answer(call);
    await until('connected', () => call.state === 'connected');
    phone.devices.clock.advance(1000);
    await until('the caller hanging up', () => calls.controller.calls().length === 0);
    const { code, output } = await uac.done;
    assert.is(code, 0, output.slice(-800));
  } finally {
    uac.stop();
  }
  const [r] = calls.recorder.list('received');
  assert.ok(r, phone.log().slice(-20).join('\n'));
  assert.is(r.direction, 'In');
  assert.is(r.disposition, 'Normal');
  assert.is(r.duration, 'PT1S');
  assert.equal(r.source, { address: `sip:sipp@127.0.0.1:${sippPort}`, name: 'sipp' });
  assert.is(r.destination.address, baresip.account);
  assert.is(r.connections.length, 1);
  assert.is(calls.recorder.list('missed').length, 0);
});

test('outgoing call to sipp uas: dialled by the firmware, answered, hung up by the phone: a Placed entry, Normal', async () => {
  const calls = phone.booted.calls;
  const sippPort = await freePort();
  const uas = runSipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', String(sippPort), '-m', '1']);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const target = `sip:service@127.0.0.1:${sippPort}`;
    const call = calls.controller.dial(target)!;
    await until('connected', () => call.state === 'connected');
    assert.ok(call.callId, 'the line gave the call its baresip id');
    phone.devices.clock.advance(2000);
    calls.controller.hangup(call);
    await until('the call to end', () => calls.controller.calls().length === 0);
    const { code, output } = await uas.done;
    assert.is(code, 0, output.slice(-800));
    const [r] = calls.recorder.list('placed');
    assert.is(r.direction, 'Out');
    assert.is(r.disposition, 'Normal');
    assert.is(r.duration, 'PT2S');
    assert.is(r.destination.address, target);
    assert.equal(r.connections.map((c) => c.address), [target]);
  } finally {
    uas.stop();
  }
});

test('outgoing call to a busy callee (custom sipp scenario answering 486): a Placed entry, Busy', async () => {
  const calls = phone.booted.calls;
  const sippPort = await freePort();
  const scenario = scenarioFile('busy-uas.xml', BUSY_UAS);
  const uas = runSipp(['-sf', scenario.file, '-i', '127.0.0.1', '-p', String(sippPort), '-m', '1']);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const call = calls.controller.dial(`sip:busy@127.0.0.1:${sippPort}`)!;
    await until('the call to end', () => !calls.controller.calls().includes(call));
    const { code, output } = await uas.done;
    assert.is(code, 0, output.slice(-800));
    const [r] = calls.recorder.list('placed');
    assert.is(r.destination.address, `sip:busy@127.0.0.1:${sippPort}`);
    assert.is(r.disposition, 'Busy', phone.log().filter((l) => l.includes('calls') || l.includes('line')).slice(-5).join('\n'));
    assert.is(r.duration, 'PT0S');
  } finally {
    uas.stop();
    scenario.remove();
  }
});

test.run();
