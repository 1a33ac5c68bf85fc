/**
 * Strings from the line are bounded by the firmware itself, the last line of
 * defence behind the hosts' cuts (firmware/calls/party-bounds.ts,
 * docs/logging.md "Strings from the line"): a 300,000-character caller ID
 * becomes a bounded call-list entry and a bounded log line, the cut logged;
 * 50 calls with 200 KB caller IDs leave the fs partition with room and every
 * call recorded (they once filled the 1 MiB partition in 4 calls).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PARTY_ADDRESS_MAX, PARTY_NAME_MAX } from '../../hal/contract';
import { boardProfile } from '../../hal/boards';
import { logTextFromFlash } from '../../sim/logs/log-package-from-flash';
import { withPhone } from '../helpers/sim';
import { bootCalls } from './calls-harness';

const HUGE_ADDRESS = `sip:${'7'.repeat(300_000)}@example.com`;
const HUGE_NAME = `\u001b[31m${'N'.repeat(300_000)}`;

test('a 300,000-character caller ID: the entry keeps 128/256 characters, the cut is logged, no log line is long', async () => {
  const h = bootCalls();
  const id = h.far.ring(HUGE_ADDRESS, HUGE_NAME);
  await h.tick();
  h.far.hangup(id);
  await h.tick();
  const [m] = h.list('missed');
  assert.is(m.source.address.length, PARTY_ADDRESS_MAX);
  assert.is(m.source.name.length, PARTY_NAME_MAX);
  assert.ok(HUGE_ADDRESS.startsWith(m.source.address) && HUGE_NAME.startsWith(m.source.name), 'a cut, not a rewrite');
  const log = h.phone.log();
  assert.ok(log.some((l) => /\|calls\|3\|\d+\|line: incoming call call-\d+: address of 300016 characters cut to 256$/.test(l)), log.slice(-6).join('\n'));
  assert.ok(log.some((l) => /\|calls\|3\|\d+\|line: incoming call call-\d+: display name of 300005 characters cut to 128$/.test(l)));
  const longest = Math.max(...log.map((l) => l.length));
  assert.ok(longest < 1000, `longest log line ${longest} characters`);
});

test('50 calls with 200 KB caller IDs: the fs partition keeps room and every call is recorded', async () => {
  const h = bootCalls();
  const freeBefore = h.phone.booted.fs.stats().freeBlocks;
  for (let i = 0; i < 50; i++) {
    const tag = String(i).padStart(2, '0');
    const id = h.far.ring(`sip:${tag}${'5'.repeat(200_000)}@example.com`, `${tag}${'C'.repeat(200_000)}`);
    await h.tick();
    if (i % 2 === 1) h.phone.booted.calls.controller.answer(h.live());
    await h.tick(1000);
    h.far.hangup(id);
    await h.tick();
  }
  await h.tick(10_000);
  const missed = h.list('missed');
  const received = h.list('received');
  assert.is(missed.length, 25);
  assert.is(received.length, 25);
  const tags = [...missed, ...received].map((r) => r.source.name.slice(0, 2)).sort();
  assert.equal(tags, Array.from({ length: 50 }, (_, i) => String(i).padStart(2, '0')), 'each call has its own entry');
  assert.ok([...missed, ...received].every((r) => r.source.name.length === PARTY_NAME_MAX && r.source.address.length === PARTY_ADDRESS_MAX));
  const stats = h.phone.booted.fs.stats();
  // Measured: 40 of 256 blocks taken (15 with short caller IDs), 69 KB live; unbounded, 4 calls filled the partition.
  assert.ok(stats.freeBlocks > stats.blocks * 0.75, `fs free blocks ${freeBefore} -> ${stats.freeBlocks} of ${stats.blocks}`);
  assert.ok(stats.liveBytes < 128 * 1024, `${stats.liveBytes} live bytes`);
  const errors = h.phone.log().filter((l) => /\|[45]\|/.test(l) || /full|not written|made room/i.test(l));
  assert.equal(errors, [], 'no storage error, no log made room for');
});

test('QuickJS phone: the flash log holds the cut line, bounded, for a 300,000-character caller ID', async () => {
  await withPhone({}, async (phone) => {
    const id = phone.farEnd.ring(HUGE_ADDRESS, HUGE_NAME);
    await phone.settle();
    phone.farEnd.hangup(id);
    await phone.advance(130_000);
    const o = { image: phone.dumpFlash(), profile: boardProfile('desk-500'), crypto: phone.devices.crypto };
    const text = `${logTextFromFlash(o, 'boot')}\n${logTextFromFlash(o, 'app')}`;
    assert.ok(/line: incoming call call-\d+: display name of 300005 characters cut to 128/.test(text), text.slice(-800));
    assert.ok(Math.max(...text.split('\n').map((l) => l.length)) < 1000);
    assert.ok(text.length < 64 * 1024, `logs of ${text.length} characters`);
  });
});

test.run();
