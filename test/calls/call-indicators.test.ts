/**
 * LEDs and indicators through calls on the real bundle (QuickJS): the line
 * key LED (registered on, incoming blink, answered on, held blink), the mute
 * key and its LED, message waiting from a message-summary NOTIFY, the
 * ringing indicator in the status bar and the missed-call count on idle.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Phone } from '../../sim/phone';
import { withPhone } from '../helpers/sim';

const led = (phone: Phone, name: 'line1' | 'mute' | 'messageWaiting') => phone.devices.leds.state[name] ?? 'off';

test('line 1 LED through a call: ringing blinks, answered is on, held blinks, resumed on, ended back to registered; mute on and off', async () => {
  await withPhone({}, async (phone) => {
    assert.is(led(phone, 'line1'), 'on', 'registered');
    const id = phone.farEnd.ring('2001', 'Ada');
    await phone.settle();
    assert.is(led(phone, 'line1'), 'blink', 'ringing');
    await phone.press('soft1'); // Answer
    await phone.settle();
    assert.is(phone.screen().title, 'Connected');
    assert.is(led(phone, 'line1'), 'on', 'active');
    await phone.press('mute');
    assert.is(led(phone, 'mute'), 'on', 'muted');
    await phone.press('mute');
    assert.is(led(phone, 'mute'), 'off', 'unmuted');
    await phone.press('mute');
    await phone.press('soft1'); // Hold
    await phone.settle();
    assert.is(phone.screen().title, 'On hold');
    assert.is(led(phone, 'line1'), 'blink', 'held');
    await phone.press('soft1'); // Resume
    await phone.settle();
    assert.is(led(phone, 'line1'), 'on', 'resumed');
    phone.farEnd.hangup(id);
    await phone.settle();
    assert.is(led(phone, 'line1'), 'on', 'registered again');
    assert.is(led(phone, 'mute'), 'off', 'mute ends with the call');
    const line1 = phone.devices.leds.history.filter((c) => c.led === 'line1').map((c) => c.state);
    assert.ok(line1.join(',').endsWith('on,blink,on,blink,on'), line1.join(','));
  });
});

test('the mute key without a call does nothing', async () => {
  await withPhone({}, async (phone) => {
    await phone.press('mute');
    assert.is(led(phone, 'mute'), 'off');
  });
});

test('message waiting LED follows message-summary NOTIFYs; one without Messages-Waiting is logged and changes nothing', async () => {
  await withPhone({}, async (phone) => {
    phone.farEnd.notify('message-summary', { 'Messages-Waiting': 'yes' });
    await phone.settle();
    assert.is(led(phone, 'messageWaiting'), 'on');
    phone.farEnd.notify('message-summary', {});
    await phone.settle();
    assert.is(led(phone, 'messageWaiting'), 'on');
    assert.ok(phone.log().some((l) => l.includes('message-summary NOTIFY without Messages-Waiting')));
    phone.farEnd.notify('message-summary', { 'messages-waiting': 'no' });
    await phone.settle();
    assert.is(led(phone, 'messageWaiting'), 'off');
  });
});

test('"Ringing" in the status bar while a call rings in (also on the forward screen); idle counts the missed calls not yet seen, opening Missed clears the count', async () => {
  await withPhone({}, async (phone) => {
    assert.not.match(phone.screen().status ?? '', /Ringing/);
    const first = phone.farEnd.ring('2001', 'Ada');
    await phone.settle();
    assert.match(phone.screen().status ?? '', /^Ringing \d/);
    await phone.press('soft3'); // Forward: the target screen
    assert.is(phone.screen().id, 'target');
    assert.match(phone.screen().status ?? '', /^Ringing/);
    await phone.press('back');
    phone.farEnd.hangup(first);
    await phone.settle();
    const second = phone.farEnd.ring('2002', '');
    await phone.settle();
    phone.farEnd.hangup(second);
    await phone.settle();
    assert.is(phone.screen().id, 'idle');
    assert.not.match(phone.screen().status ?? '', /Ringing/);
    assert.ok(phone.screen().lines.includes('Missed calls: 2'), phone.screen().lines.join('|'));
    await phone.press('soft3'); // Missed
    assert.is(phone.screen().id, 'calllist-missed');
    await phone.press('home');
    assert.not.ok(phone.screen().lines.some((l) => l.startsWith('Missed calls')), phone.screen().lines.join('|'));
  });
});

test.run();
