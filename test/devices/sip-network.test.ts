/**
 * Phones on one virtual SIP network (real firmware, QuickJS): A dials B's
 * extension and B rings, answer, hold both ways, hang up; a blind transfer
 * from the phone's Transfer key rings C and connects A to C; an attended
 * transfer connects the two parties; a conference on A keeps both calls; a
 * target no phone has stays with the scripted far end.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import type { VirtualSipNetwork } from '../../sim/devices/sip-network';
import { createNetworkedPhones, nthMac, type NetworkedPhone } from '../../sim/phone-network';
import type { Phone } from '../../sim/phone';

interface Ctx { network: VirtualSipNetwork; phones: NetworkedPhone[]; A: Phone; B: Phone; C: Phone }
const test = suite<Ctx>('virtual SIP network');

test.before.each(async (ctx) => {
  const made = await createNetworkedPhones(['A', 'B', 'C'], { board: 'desk-500', engine: 'quickjs' });
  ctx.network = made.network;
  ctx.phones = made.phones;
  [ctx.A, ctx.B, ctx.C] = made.phones.map((p) => p.phone);
  for (const p of made.phones) await p.phone.boot();
});
test.after.each((ctx) => {
  for (const p of ctx.phones) p.phone.dispose();
});

async function dial(ctx: Ctx, phone: Phone, number: string): Promise<void> {
  await phone.pressAll(number.split('') as KeyName[]);
  await phone.press('soft1');
  await ctx.network.settle();
}
async function press(ctx: Ctx, phone: Phone, key: KeyName): Promise<void> {
  await phone.press(key);
  await ctx.network.settle();
}
const live = (p: Phone) => p.farEnd.calls().filter((c) => c.state !== 'ended');

test('phones get extensions 1001… and MACs counting up from the board\'s', ({ phones }) => {
  assert.equal(phones.map((p) => `${p.name}=${p.extension}`), ['A=1001', 'B=1002', 'C=1003']);
  assert.is(phones[1].phone.mac, nthMac(phones[0].phone.mac, 1));
  assert.is(nthMac('0004f2a1b2ff', 1), '0004f2a1b300');
});

test('A calls B: B rings with A\'s extension, answers, holds; A hangs up and B is idle', async (ctx) => {
  const { A, B } = ctx;
  await dial(ctx, A, '1002');
  assert.is(B.screen().id, 'incoming', 'B rings');
  assert.ok(B.screen().lines.some((l) => l.includes('1001')), B.screen().lines.join('|'));
  await press(ctx, B, 'soft1');
  assert.is(A.screen().title, 'Connected');
  assert.is(B.screen().title, 'Connected');
  await press(ctx, B, 'soft1');
  assert.is(B.screen().title, 'On hold');
  assert.ok(A.farEnd.sent().some((e) => e.type === 'held' && e.byRemote), 'A hears the hold');
  await press(ctx, B, 'soft1');
  assert.ok(A.farEnd.sent().some((e) => e.type === 'resumed' && e.byRemote));
  await press(ctx, A, 'soft4');
  assert.is(A.screen().id, 'idle');
  assert.is(B.screen().id, 'idle', 'B hears the hang-up');
  assert.is(live(B).length, 0);
});

test('B rejects: A hears busy; a target no phone has goes to the scripted far end', async (ctx) => {
  const { A, B } = ctx;
  await dial(ctx, A, '1002');
  await press(ctx, B, 'soft2');
  assert.ok(A.farEnd.sent().some((e) => e.type === 'ended' && e.cause === 'busy'), JSON.stringify(A.farEnd.sent().slice(-3)));
  await A.advance(5000);
  A.farEnd.script([{ target: '*', action: 'answer', afterMs: 1000 }]);
  await dial(ctx, A, '5555');
  await A.advance(1000);
  assert.is(A.screen().title, 'Connected');
  assert.equal(live(A).map((c) => c.remote), ['5555']);
  assert.is(B.screen().id, 'idle');
});

test('a phone that reboots mid-call hangs up: the other phone is idle again', async (ctx) => {
  const { A, B } = ctx;
  await dial(ctx, A, '1002');
  await press(ctx, B, 'soft1');
  assert.is(A.screen().title, 'Connected');
  await B.reboot('test');
  await ctx.network.settle();
  assert.is(A.screen().id, 'idle');
  assert.is(live(A).length, 0);
});

test('blind transfer: B transfers A to C with its Transfer key; C rings, answers, and A talks to C', async (ctx) => {
  const { A, B, C } = ctx;
  await dial(ctx, A, '1002');
  await press(ctx, B, 'soft1');
  await press(ctx, B, 'soft2');
  assert.is(B.screen().id, 'target', B.screen().id);
  await B.pressAll(['1', '0', '0', '3']);
  await press(ctx, B, 'soft1');
  assert.is(B.screen().id, 'idle', 'B is out of the call');
  assert.is(C.screen().id, 'incoming', 'C rings');
  await press(ctx, C, 'soft1');
  assert.equal(live(A).map((c) => `${c.remote}:${c.state}`), ['1003:connected']);
  assert.equal(live(C).map((c) => `${c.remote}:${c.state}`), ['1001:connected']);
  assert.ok(A.farEnd.sent().some((e) => e.type === 'transferred' && e.target === '1003'));
});

test('attended transfer and conference: A holds B, consults C, transfers (B talks to C); a conference keeps both calls', async (ctx) => {
  const { A, B, C } = ctx;
  const lineA = A.devices.line;
  // Attended transfer through the line (the firmware's consultation flow ends in line.attendedTransfer).
  const toB = await lineA.dial('1002');
  await ctx.network.settle();
  await press(ctx, B, 'soft1');
  const toC = await lineA.dial('1003');
  await ctx.network.settle();
  await press(ctx, C, 'soft1');
  await lineA.attendedTransfer(toB, toC);
  await ctx.network.settle();
  assert.is(live(A).length, 0, 'A is out');
  assert.equal(live(B).map((c) => `${c.remote}:${c.state}`), ['1003:connected']);
  assert.equal(live(C).map((c) => `${c.remote}:${c.state}`), ['1002:connected']);
  await press(ctx, B, 'soft4');
  assert.is(live(C).length, 0, 'C hears B hang up');

  // Conference with the phone's keys: A calls B, New call to C, Conference joins them.
  await dial(ctx, A, '1002');
  await press(ctx, B, 'soft1');
  await press(ctx, A, 'soft3');
  await dial(ctx, A, '1003');
  await press(ctx, C, 'soft1');
  await press(ctx, A, 'conference');
  assert.equal(live(A).map((c) => c.state).sort(), ['connected', 'connected'], JSON.stringify(live(A)));
  assert.is(B.screen().title, 'Connected');
  assert.is(C.screen().title, 'Connected');
  await press(ctx, A, 'soft4');
  await ctx.network.settle();
  assert.is(live(B).length + live(C).length, 0, 'ending the conference ends both');
});

test.run();
