/**
 * The call screens on the real bundle (QuickJS and Node engines): dialing
 * from idle, the incoming and active call screens, the Missed / Received /
 * Placed lists with redial, delete and clear.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { ENGINES, withPhone } from '../helpers/sim';

for (const engine of ENGINES) {
  test(`${engine}: dial from idle, far end answers, hang up; the placed list shows it and redials`, async () => {
    await withPhone({ engine }, async (phone) => {
      assert.equal(phone.screen().softKeys.slice(1, 3), ['Calls', 'Missed']);
      phone.farEnd.script([{ target: '*', action: 'answer', afterMs: 2000 }]);
      await phone.pressAll(['1', '0', '0', '1'] as KeyName[]);
      assert.is(phone.screen().id, 'dial');
      assert.equal(phone.screen().lines, ['1001']);
      await phone.press('soft2');
      await phone.press('1');
      await phone.press('soft1');
      assert.is(phone.screen().id, 'call');
      await phone.advance(2000);
      assert.is(phone.screen().title, 'Connected');
      assert.equal(phone.screen().softKeys, ['Hold', 'Transfer', 'New', 'End']);
      await phone.advance(7000);
      assert.ok(phone.screen().lines.some((l) => l.includes('0:07')), phone.screen().lines.join('|'));
      await phone.press('soft1');
      assert.is(phone.screen().title, 'On hold');
      await phone.press('soft1');
      await phone.press('soft4');
      assert.is(phone.screen().id, 'idle');
      await phone.press('soft2');
      assert.is(phone.screen().id, 'calllists');
      assert.equal(phone.screen().lines, ['1. Missed Calls (0)', '2. Received Calls (0)', '3. Placed Calls (1)']);
      await phone.press('3');
      assert.is(phone.screen().id, 'calllist-placed');
      assert.match(phone.screen().lines[0], /^01-01 09:00 1001$/);
      await phone.press('soft1');
      assert.is(phone.screen().id, 'call');
      assert.equal(phone.farEnd.calls().map((c) => c.remote), ['1001', '1001']);
      await phone.advance(2000);
      await phone.press('hook');
      assert.is(phone.screen().id, 'idle');
    });
  });
}

test('incoming call: the screen rings with the caller, Answer connects, the far end hangs up, back to idle; Reject and Forward', async () => {
  await withPhone({}, async (phone) => {
    const id = phone.farEnd.ring('sip:ann@example.com', 'Ann Example');
    await phone.settle();
    assert.is(phone.screen().id, 'incoming');
    assert.equal(phone.screen().lines.slice(0, 2), ['Ann Example', 'sip:ann@example.com']);
    assert.equal(phone.screen().softKeys, ['Answer', 'Reject', 'Forward', '']);
    await phone.press('soft1');
    assert.is(phone.screen().title, 'Connected');
    phone.farEnd.hangup(id);
    await phone.settle();
    assert.is(phone.screen().id, 'idle');

    phone.farEnd.ring('2002', 'Bob');
    await phone.settle();
    await phone.press('soft2');
    assert.is(phone.screen().id, 'idle');

    phone.farEnd.ring('2003', '');
    await phone.settle();
    await phone.press('soft3');
    assert.is(phone.screen().id, 'target');
    await phone.pressAll(['4', '0', '0', '0'] as KeyName[]);
    await phone.press('soft1');
    assert.is(phone.screen().id, 'idle');
    assert.ok(phone.farEnd.sent().some((e) => e.type === 'forwarded' && e.target === '4000'));

    await phone.press('soft2');
    assert.equal(phone.screen().lines, ['1. Missed Calls (2)', '2. Received Calls (1)', '3. Placed Calls (0)']);
  });
});

test('missed list: a caller who gives up twice shows once with (2); Delete removes an entry, Clear empties the list after Yes', async () => {
  await withPhone({}, async (phone) => {
    for (const from of ['2001', '2001', '2009']) {
      const id = phone.farEnd.ring(from, from === '2001' ? 'Zoe' : '');
      await phone.advance(4000);
      phone.farEnd.hangup(id);
      await phone.settle();
    }
    await phone.press('soft3');
    assert.is(phone.screen().id, 'calllist-missed');
    assert.equal(phone.screen().lines, ['01-01 09:00 2009', '01-01 09:00 Zoe (2)']);
    assert.equal(phone.screen().softKeys, ['Dial', 'Delete', 'Clear', 'Back']);
    await phone.press('soft2');
    assert.equal(phone.screen().lines, ['01-01 09:00 Zoe (2)']);
    await phone.press('soft3');
    assert.is(phone.screen().id, 'calllist-clear');
    await phone.press('soft4');
    assert.equal(phone.screen().lines, ['01-01 09:00 Zoe (2)']);
    await phone.press('soft3');
    await phone.press('soft1');
    assert.equal(phone.screen().lines, ['(no calls)']);
    // Durable: after a power cycle the list is still empty.
    phone.cutPower();
    await phone.powerOn();
    await phone.press('soft3');
    assert.equal(phone.screen().lines, ['(no calls)']);
  });
});

test.run();
