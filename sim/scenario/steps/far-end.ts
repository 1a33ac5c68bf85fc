/** Steps that play the far end of the SIP line: ring the phone, answer, hang up, script outgoing calls, send NOTIFY. */
import type { FarEndBehaviour } from '../../phone-api';
import { asDuration, asObject, asString, fields, optionalString } from '../argument';
import { didYouMean } from '../did-you-mean';
import type { StepContext, StepKind } from '../scenario';
import { ringBounded } from './ring-bounded';

/** The far-end call a step means: a name a `ring` step gave, or else the newest live call. */
function resolveCall(ctx: StepContext, name: string | undefined, direction?: 'incoming' | 'outgoing'): string {
  if (name !== undefined) {
    const id = ctx.names.get(name);
    if (!id) throw new Error(`no call named "${name}" (names so far: ${[...ctx.names.keys()].join(', ') || 'none'})`);
    return id;
  }
  const live = ctx.phone.farEnd.calls().filter((c) => c.state !== 'ended' && (!direction || c.direction === direction));
  if (live.length === 0) throw new Error(`no live ${direction ?? ''} call at the far end`.replace('  ', ' '));
  return live[live.length - 1].callId;
}

interface RingArgs { from: string; name: string; as?: string }

export const ring: StepKind<RingArgs> = {
  name: 'ring',
  help: 'ring the phone from the far end with a caller number/URI and display name; `as` names the call for later steps',
  example: { from: '+4930123456', name: 'Alice Example', as: 'alice' },
  parse: (a) => {
    const o = typeof a === 'string' ? { from: a } : fields(a, ['from', 'name', 'as'], 'ring');
    return { from: asString(o.from, 'ring.from'), name: optionalString(o.name, 'ring.name') ?? '', as: optionalString(o.as, 'ring.as') };
  },
  label: (r) => `ring from ${r.from}${r.name ? ` (${r.name})` : ''}`,
  run: async (ctx, r) => {
    const id = ringBounded(ctx, r.from, r.name);
    if (r.as) ctx.names.set(r.as, id);
    await ctx.phone.settle();
  },
};

export const farEndAnswer: StepKind<{ call?: string }> = {
  name: 'farEndAnswer',
  help: 'the far end answers the call the phone placed (the newest, or the one named by `call`)',
  example: {},
  parse: (a) => {
    const o = fields(a, ['call'], 'farEndAnswer');
    return { call: optionalString(o.call, 'farEndAnswer.call') };
  },
  run: async (ctx, a) => {
    ctx.phone.farEnd.answer(resolveCall(ctx, a.call, 'outgoing'));
    await ctx.phone.settle();
  },
};

export const farEndHangup: StepKind<{ call?: string }> = {
  name: 'farEndHangup',
  help: 'the far end hangs up (the newest live call, or the one named by `call`)',
  example: { call: 'alice' },
  parse: (a) => {
    const o = fields(a, ['call'], 'farEndHangup');
    return { call: optionalString(o.call, 'farEndHangup.call') };
  },
  run: async (ctx, a) => {
    ctx.phone.farEnd.hangup(resolveCall(ctx, a.call));
    await ctx.phone.settle();
  },
};

const ACTIONS: FarEndBehaviour['action'][] = ['answer', 'busy', 'no-answer', 'reject', 'forward'];

export const farEndScript: StepKind<FarEndBehaviour[]> = {
  name: 'farEndScript',
  help: 'how the far end treats calls the phone places: per target ("*" = any) answer/busy/no-answer/reject/forward after a delay',
  example: [{ target: '*', action: 'answer', afterMs: '3s', hangupAfterMs: '1min' }],
  parse: (a) => {
    const list = Array.isArray(a) ? a : [a];
    return list.map((item, i) => {
      const o = fields(item, ['target', 'action', 'afterMs', 'forwardTo', 'hangupAfterMs'], `farEndScript[${i}]`);
      const action = asString(o.action, `farEndScript[${i}].action`) as FarEndBehaviour['action'];
      if (!ACTIONS.includes(action)) throw new Error(`farEndScript[${i}].action: "${action}" is not one of ${ACTIONS.join(', ')}${didYouMean(action, ACTIONS)}`);
      return {
        target: asString(o.target ?? '*', `farEndScript[${i}].target`),
        action,
        afterMs: o.afterMs === undefined ? undefined : asDuration(o.afterMs, `farEndScript[${i}].afterMs`),
        forwardTo: optionalString(o.forwardTo, `farEndScript[${i}].forwardTo`),
        hangupAfterMs: o.hangupAfterMs === undefined ? undefined : asDuration(o.hangupAfterMs, `farEndScript[${i}].hangupAfterMs`),
      };
    });
  },
  run: async (ctx, behaviours) => {
    ctx.phone.farEnd.script(behaviours);
  },
};

export const notify: StepKind<{ event: string; params: Record<string, string> }> = {
  name: 'notify',
  help: 'send a SIP NOTIFY to the phone (e.g. event "check-sync" with params { "profileLogout": "remote" })',
  example: { event: 'check-sync', params: { profileLogout: 'remote' } },
  parse: (a) => {
    const o = fields(a, ['event', 'params'], 'notify');
    const params = asObject(o.params ?? {}, 'notify.params');
    for (const [k, v] of Object.entries(params)) asString(v, `notify.params.${k}`);
    return { event: asString(o.event, 'notify.event'), params: params as Record<string, string> };
  },
  run: async (ctx, n) => {
    ctx.phone.farEnd.notify(n.event, n.params);
    await ctx.phone.settle();
  },
};

const REGISTRAR_ACTIONS = ['accept', 'reject', 'goAway', 'comeBack', 'users'] as const;
type RegistrarAction = typeof REGISTRAR_ACTIONS[number];

interface RegistrarArgs { action: RegistrarAction; status?: string; users?: Record<string, string> | null }

export const registrar: StepKind<RegistrarArgs> = {
  name: 'registrar',
  help: 'script the virtual SIP registrar: accept / reject (with `status`) every REGISTER, goAway / comeBack, or `users` (user → password; null: accept all)',
  example: { action: 'reject', status: '403 Forbidden' },
  parse: (a) => {
    const o = typeof a === 'string' ? { action: a } : fields(a, ['action', 'status', 'users'], 'registrar');
    const action = asString(o.action, 'registrar.action') as RegistrarAction;
    if (!REGISTRAR_ACTIONS.includes(action)) throw new Error(`registrar.action: "${action}" is not one of ${REGISTRAR_ACTIONS.join(', ')}`);
    let users: Record<string, string> | null | undefined;
    if (action === 'users') {
      if (o.users === null) users = null;
      else {
        const u = asObject(o.users, 'registrar.users');
        users = {};
        for (const [k, v] of Object.entries(u)) users[k] = asString(v, `registrar.users.${k}`);
      }
    }
    return { action, status: optionalString(o.status, 'registrar.status'), users };
  },
  label: (r) => `registrar ${r.action}${r.status ? ` ${r.status}` : ''}`,
  run: async (ctx, r) => {
    const reg = ctx.phone.farEnd.registrar;
    if (r.action === 'accept') reg.accept();
    else if (r.action === 'reject') reg.reject(r.status);
    else if (r.action === 'goAway') reg.goAway();
    else if (r.action === 'comeBack') reg.comeBack();
    else reg.setUsers(r.users ?? null);
    await ctx.phone.settle();
  },
};

export const farEndSteps: StepKind[] = [ring, farEndAnswer, farEndHangup, farEndScript, notify, registrar];
