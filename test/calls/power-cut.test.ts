/**
 * A power cut while a call's entry is being completed leaves either the old
 * entry (Partial) or the new one (Normal, with its duration), never a torn
 * or lost one: cut after each of the first flash operations of the hang-up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootCalls, placeAnswered, removeImage } from './calls-harness';

test('power cut at each flash operation while recording the end of a call', async () => {
  const seen = new Set<string>();
  for (let ops = 1; ops <= 24; ops++) {
    const h = bootCalls();
    const id = await placeAnswered(h, '1001');
    await h.tick(5000);
    h.phone.devices.flash.cutPowerAfter(ops);
    h.far.hangup(id);
    await h.tick(3000);
    const file = `/tmp/calls-cut-${process.pid}-${ops}.bin`;
    h.phone.save(file);
    const after = bootCalls({ flashImage: file });
    const placed = after.list('placed');
    assert.is(placed.length, 1, `cut after ${ops} ops: the entry exists`);
    const [r] = placed;
    assert.ok(r.disposition === 'Partial' || r.disposition === 'Normal', `cut after ${ops}: ${r.disposition}`);
    if (r.disposition === 'Normal') {
      assert.is(r.duration, 'PT5S');
      assert.equal(r.connections.map((c) => c.address), ['1001']);
    } else assert.is(r.duration, 'PT0S');
    seen.add(r.disposition);
    removeImage(file);
  }
  assert.equal([...seen].sort(), ['Normal', 'Partial'], 'both outcomes occur across the cut points');
});

test.run();
