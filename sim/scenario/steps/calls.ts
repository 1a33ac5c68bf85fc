/**
 * Call steps for QA scenarios: far-end behaviour the basic far-end steps do
 * not cover (the far end transfers us, the network ends a call with a cause,
 * a caller who gives up), and a check of the call lists as the phone shows
 * them (idle → Calls → the list).
 */
import type { CallEndCause } from '../../../hal/contract';
import { asDuration, asString, asStringList, fields, optionalCount, optionalString } from '../argument';
import type { StepContext, StepKind } from '../scenario';
import { showsTextWithin } from '../../shown-text';
import { goIdle } from './navigation';
import { ringBounded } from './ring-bounded';

const CAUSES: CallEndCause[] = ['local-hangup', 'remote-hangup', 'busy', 'rejected', 'no-answer', 'cancelled', 'transferred', 'forwarded', 'preempted', 'answered-elsewhere', 'error'];
const LISTS = ['missed', 'received', 'placed'] as const;

/** A call named by an earlier step, or the newest live one. */
function liveCall(ctx: StepContext, name: string | undefined): string {
  if (name !== undefined) {
    const id = ctx.names.get(name);
    if (!id) throw new Error(`no call named "${name}"`);
    return id;
  }
  const live = ctx.phone.farEnd.calls().filter((c) => c.state !== 'ended');
  if (live.length === 0) throw new Error('no live call at the far end');
  return live[live.length - 1].callId;
}

export const farEndTransfer: StepKind<{ call?: string; to: string; name: string }> = {
  name: 'farEndTransfer',
  help: 'the far end transfers the connected call (the newest, or `call`) to another party; the phone is then connected to it',
  example: { to: '+4930999', name: 'Reception' },
  parse: (a) => {
    const o = fields(a, ['call', 'to', 'name'], 'farEndTransfer');
    return { call: optionalString(o.call, 'farEndTransfer.call'), to: asString(o.to, 'farEndTransfer.to'), name: optionalString(o.name, 'farEndTransfer.name') ?? '' };
  },
  run: async (ctx, a) => {
    ctx.phone.farEnd.transfer(liveCall(ctx, a.call), a.to, a.name);
    await ctx.phone.settle();
  },
};

export const farEndEnd: StepKind<{ call?: string; cause: CallEndCause; sipCode?: number }> = {
  name: 'farEndEnd',
  help: `the network ends a call with a cause: ${CAUSES.join(', ')}`,
  example: { cause: 'answered-elsewhere' },
  parse: (a) => {
    const o = fields(a, ['call', 'cause', 'sipCode'], 'farEndEnd');
    const cause = asString(o.cause, 'farEndEnd.cause') as CallEndCause;
    if (!CAUSES.includes(cause)) throw new Error(`farEndEnd.cause: "${cause}" is not one of ${CAUSES.join(', ')}`);
    return { call: optionalString(o.call, 'farEndEnd.call'), cause, sipCode: optionalCount(o.sipCode, 'farEndEnd.sipCode') };
  },
  run: async (ctx, a) => {
    ctx.phone.farEnd.end(liveCall(ctx, a.call), a.cause, a.sipCode);
    await ctx.phone.settle();
  },
};

export const missedCall: StepKind<{ from: string; name: string; ringFor: number }> = {
  name: 'missedCall',
  help: 'a caller rings the phone for `ringFor` (default 10s) and gives up',
  example: { from: '+4930123456', name: 'Alice Example', ringFor: '20s' },
  parse: (a) => {
    const o = typeof a === 'string' ? { from: a } : fields(a, ['from', 'name', 'ringFor'], 'missedCall');
    return { from: asString(o.from, 'missedCall.from'), name: optionalString(o.name, 'missedCall.name') ?? '', ringFor: o.ringFor === undefined ? 10000 : asDuration(o.ringFor, 'missedCall.ringFor') };
  },
  label: (m) => `missed call from ${m.from}`,
  run: async (ctx, m) => {
    const id = ringBounded(ctx, m.from, m.name);
    await ctx.phone.advance(m.ringFor);
    ctx.phone.farEnd.hangup(id);
    await ctx.phone.settle();
  },
};

interface ListExpectation { list: typeof LISTS[number]; entries?: string[]; count?: number }

export const expectCallList: StepKind<ListExpectation> = {
  name: 'expectCallList',
  help: 'open a call list from idle (Calls soft key) and check it: `count` entries, `entries` newest first (each a substring of its line); returns to idle',
  example: { list: 'missed', count: 1, entries: ['Alice Example (2)'] },
  parse: (a) => {
    const o = fields(a, ['list', 'entries', 'count'], 'expectCallList');
    const list = asString(o.list, 'expectCallList.list') as ListExpectation['list'];
    if (!LISTS.includes(list)) throw new Error(`expectCallList.list: "${list}" is not one of ${LISTS.join(', ')}`);
    return { list, entries: o.entries === undefined ? undefined : asStringList(o.entries, 'expectCallList.entries'), count: optionalCount(o.count, 'expectCallList.count') };
  },
  label: (e) => `${e.list} call list`,
  run: async ({ phone }, e) => {
    await goIdle(phone);
    await phone.press('soft2');
    const menu = phone.screen();
    const index = menu.lines.findIndex((l) => l.toLowerCase().includes(`${e.list} calls`));
    if (menu.id !== 'calllists' || index < 0) throw new Error(`no ${e.list} list offered (call lists disabled?) — screen: ${menu.title}: ${menu.lines.join(' | ')}`);
    await phone.press(String(index + 1) as '1');
    const lines = phone.screen().lines.filter((l) => l !== '(no calls)');
    await goIdle(phone);
    const problems: string[] = [];
    if (e.count !== undefined && lines.length !== e.count) problems.push(`${lines.length} entries, expected ${e.count}`);
    (e.entries ?? []).forEach((want, i) => {
      if (!showsTextWithin(lines[i] ?? '', want)) problems.push(`entry ${i + 1} is ${JSON.stringify(lines[i] ?? '(none)')}, expected it to contain ${JSON.stringify(want)}`);
    });
    if (problems.length) throw new Error(`${e.list} list: ${problems.join('; ')} — lines: ${lines.join(' | ') || '(empty)'}`);
  },
};

export const callSteps: StepKind[] = [farEndTransfer, farEndEnd, missedCall, expectCallList];
