/**
 * A power cut at any flash operation while a call is recorded (its Partial
 * entry at the ring, its fields appended when answered and when it ends)
 * never loses the call: after the reboot the entry is there, whole, as it
 * was before or after the cut operation's change.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootCalls, removeImage } from './calls-harness';

const CALLER = '+4930555';

test('power cut at each flash operation of a received call: the call is kept', async () => {
  const seen = new Set<string>();
  let ops = 1;
  for (; ; ops++) {
    const h = bootCalls();
    h.set('feature.uploadDir.enabled', '0');
    await h.tick(1000);
    let cut = false;
    h.phone.devices.flash.onPowerCut(() => { cut = true; });
    h.phone.devices.flash.cutPowerAfter(ops);
    const id = h.far.ring(CALLER, 'Caller');
    await h.tick(2000);
    h.phone.booted.calls.controller.answer(h.live());
    await h.tick(7000);
    h.far.hangup(id);
    await h.tick(3000);
    const file = `/tmp/call-in-progress-cut-${process.pid}-${ops}.bin`;
    h.phone.save(file);
    const after = bootCalls({ flashImage: file });
    const entries = [...after.list('missed'), ...after.list('received')];
    removeImage(file);
    if (!cut) break; // every operation of the call was cut once
    const ringWritten = entries.length > 0;
    if (!ringWritten) continue; // cut before the Partial entry committed: the call had not been recorded yet
    assert.is(entries.length, 1, `cut after ${ops} ops: one entry`);
    const [r] = entries;
    assert.is(r.source.address, CALLER, `cut after ${ops} ops: the caller is kept`);
    const state = `${after.list('received').length ? 'received' : 'missed'}/${r.disposition}/${r.duration}`;
    assert.ok(['missed/Partial/PT0S', 'received/Partial/PT0S', 'received/Normal/PT7S'].includes(state), `cut after ${ops} ops: ${state}`);
    seen.add(state);
  }
  assert.ok(ops > 3, 'the call programmed flash');
  assert.equal([...seen].sort(), ['missed/Partial/PT0S', 'received/Normal/PT7S', 'received/Partial/PT0S'], 'each stage of the call occurs across the cut points');
});

test('entries kept by older firmware (calls/<owner>/<list>/<slot>) are read, completed and dropped like pooled ones', async () => {
  const h = bootCalls();
  const legacy = { seq: 1, direction: 'In', disposition: 'Normal', line: 1, protocol: 'SIP', startTime: '2025-12-31T10:00:00', duration: 'PT0S', count: 1,
    destination: { address: '1000', name: '' }, source: { address: '2001', name: 'Old' }, connections: [] };
  h.phone.booted.fs.write('calls/phone/missed/0', new TextEncoder().encode(JSON.stringify(legacy)), { cls: 'callLists' });
  h.phone.booted.calls.recorder.reload();
  assert.equal(h.list('missed').map((r) => r.source.address), ['2001']);
  const id = h.far.ring('2002', 'New');
  await h.tick(3000);
  h.far.hangup(id);
  await h.tick();
  assert.equal(h.list('missed').map((r) => r.source.address), ['2002', '2001']);
  h.phone.booted.calls.recorder.deleteEntry('missed', 1);
  assert.equal(h.list('missed').map((r) => r.source.address), ['2002']);
  assert.is(h.phone.booted.fs.exists('calls/phone/missed/0'), false, 'the legacy file is gone');
});

test.run();
