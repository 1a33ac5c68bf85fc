/**
 * The JSON API of the browser UI, one route per control. Every phone
 * operation runs through the pacer's queue so it never interleaves with a
 * clock tick. Client mistakes answer 4xx with `{ error }` and leave the phone
 * as it was.
 */
import type { KeyName } from '../../hal/contract';
import type { Phone } from '../phone';
import type { RealtimePacer } from '../realtime-pacer';
import { logPackageFromFlash } from '../logs/log-package-from-flash';
import { HttpError } from './http-error';
import { phoneSnapshot } from './phone-snapshot';
import { optionalStringField, stringField } from './request-body';
import { boundParty } from '../../firmware/calls/party-bounds';
import { asDuration } from '../scenario/argument';
import { TRACE_ROUTES } from './trace-routes';
import { INSPECTOR_ROUTES } from './inspector-routes';

export interface RouteContext {
  phone: Phone;
  pacer: RealtimePacer;
  body: Record<string, unknown>;
  query: URLSearchParams;
}

export type RouteReply = { status?: number; json: unknown } | { png: Buffer } | { download: { name: string; type: string; bytes: Uint8Array } };

type Route = (ctx: RouteContext) => Promise<RouteReply>;

/** Caller numbers and SIP URIs: what a far end may present as caller id. */
const CALLER_ADDRESS = /^[0-9A-Za-z+*#@.:_\-]+$/;

const ok = (json: unknown = { ok: true }): RouteReply => ({ json });

function requireRunning(phone: Phone): void {
  if (phone.state !== 'running') throw new HttpError(409, `the phone is ${phone.state}: power it on first`);
}

/** Far-end actions throw plain Errors for calls that are not in the right state: the client's mistake. */
function farEndAction<T>(action: () => T): T {
  try {
    return action();
  } catch (e) {
    throw new HttpError(409, (e as Error).message);
  }
}

function farEndNote(phone: Phone, text: string): void {
  phone.devices.serial.write(`[sim] far end: ${text}`);
}

export const ROUTES: Record<string, Route> = {
  'GET /api/state': async ({ phone }) => ok(phoneSnapshot(phone)),

  'GET /api/screen.png': async ({ phone }) => ({ png: phone.screenshotPng() }),

  'GET /api/log': async ({ phone }) => ok({ lines: phone.log() }),

  // "Download Logs": the log package, made from the phone's flash and keystore by the firmware's code.
  'GET /api/logs.tgz': async ({ phone }) => ({
    download: {
      name: `${phone.profile.mac}-logs.tgz`,
      type: 'application/gzip',
      bytes: await logPackageFromFlash({ image: phone.dumpFlash(), profile: phone.profile, crypto: phone.devices.crypto, mac: phone.profile.mac }),
    },
  }),

  'GET /api/flash': async ({ phone }) => ok({ ...phone.flashStats(), operations: phone.devices.flash.operationCount() }),

  'POST /api/key': async ({ phone, pacer, body }) => {
    const key = stringField(body, 'key', 20) as KeyName;
    // A long press from the browser (the key held down): up to 10 s of virtual time.
    const holdMs = Number(body.holdMs ?? 0);
    if (!Number.isInteger(holdMs) || holdMs < 0 || holdMs > 10_000) throw new HttpError(400, '"holdMs" must be an integer from 0 to 10000');
    if (!phone.profile.keys.includes(key)) {
      throw new HttpError(400, `board ${phone.board} has no key "${key}" (keys: ${phone.profile.keys.join(' ')})`);
    }
    await pacer.run(async () => {
      requireRunning(phone);
      await phone.press(key, holdMs);
    });
    return ok({ screen: phone.screen() });
  },

  'POST /api/far-end/ring': async ({ phone, pacer, body }) => {
    // Longer than a SIP phone accepts: cut to the line's limits (hal/contract.ts) and said so, as the other entries do.
    const caller = boundParty(stringField(body, 'from', Infinity), optionalStringField(body, 'name', Infinity));
    const { address: from, name } = caller;
    if (!CALLER_ADDRESS.test(from)) throw new HttpError(400, `"from" must be a number or SIP address, got "${from.slice(0, 40)}"`);
    const callId = await pacer.run(async () => {
      requireRunning(phone);
      const id = phone.farEnd.ring(from, name);
      for (const c of caller.cuts) farEndNote(phone, `caller ${c}`);
      farEndNote(phone, `rings from ${from}${name ? ` "${name}"` : ''} (${id})`);
      await phone.settle();
      return id;
    });
    return ok({ callId, calls: phone.farEnd.calls() });
  },

  'POST /api/far-end/answer': async ({ phone, pacer, body }) => {
    const callId = stringField(body, 'callId', 40);
    await pacer.run(async () => {
      requireRunning(phone);
      const call = phone.farEnd.calls().find((c) => c.callId === callId);
      if (!call || call.direction !== 'outgoing' || call.state !== 'ringing') {
        throw new HttpError(409, `the far end can only answer a call the phone placed that is ringing; ${callId} is ${call ? `${call.direction} and ${call.state}` : 'unknown'}`);
      }
      farEndAction(() => phone.farEnd.answer(callId));
      farEndNote(phone, `answers ${callId}`);
      await phone.settle();
    });
    return ok({ calls: phone.farEnd.calls() });
  },

  /** Hang up one call (`callId`) or, without it, every live call. */
  'POST /api/far-end/hangup': async ({ phone, pacer, body }) => {
    const callId = optionalStringField(body, 'callId', 40);
    await pacer.run(async () => {
      requireRunning(phone);
      const live = phone.farEnd.calls().filter((c) => c.state !== 'ended').map((c) => c.callId);
      const targets = callId ? [callId] : live;
      for (const id of targets) {
        farEndAction(() => phone.farEnd.hangup(id));
        farEndNote(phone, `hangs up ${id}`);
      }
      await phone.settle();
    });
    return ok({ calls: phone.farEnd.calls() });
  },

  /** The far-end script in force, as the panel shows it (`manual`: calls ring until answered by hand). */
  'GET /api/far-end/script': async ({ phone }) => ok(shownScript(phone)),

  /** How the far end treats the calls the phone places from now on: answer / busy / no-answer / reject / forward after `afterMs`; `manual`: no script. */
  'POST /api/far-end/script': async ({ phone, pacer, body }) => {
    const action = stringField(body, 'action', 20);
    if (action === 'manual') {
      await pacer.run(async () => {
        phone.farEnd.script([]);
        farEndNote(phone, 'answers nothing by itself: calls the phone places ring until answered in the panel');
      });
      return ok(shownScript(phone));
    }
    if (!['answer', 'busy', 'no-answer', 'reject', 'forward'].includes(action)) throw new HttpError(400, `"action" must be manual, answer, busy, no-answer, reject or forward, got "${action}"`);
    const afterMs = Number(body.afterMs ?? 0);
    if (!Number.isInteger(afterMs) || afterMs < 0 || afterMs > 3600000) throw new HttpError(400, '"afterMs" must be an integer from 0 to 3600000');
    const forwardTo = optionalStringField(body, 'forwardTo', 100);
    if (action === 'forward' && !CALLER_ADDRESS.test(forwardTo)) throw new HttpError(400, '"forwardTo" must be a number or SIP address');
    await pacer.run(async () => {
      phone.farEnd.script([{ target: '*', action: action as 'answer', afterMs, ...(action === 'forward' && forwardTo ? { forwardTo } : {}) }]);
      farEndNote(phone, `will ${action} calls the phone places after ${afterMs} ms${forwardTo ? ` (to ${forwardTo})` : ''}`);
    });
    return ok(shownScript(phone));
  },

  /** A SIP NOTIFY to the phone: `{ event: "check-sync", params: { K: V } }`. */
  'POST /api/far-end/notify': async ({ phone, pacer, body }) => {
    const event = stringField(body, 'event', 40);
    if (!/^[a-z0-9.-]+$/i.test(event)) throw new HttpError(400, `"event" must be a SIP event name like check-sync, got "${event.slice(0, 40)}"`);
    const raw = body.params ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.values(raw).every((v) => typeof v === 'string')) throw new HttpError(400, '"params" must be an object of strings');
    const params = raw as Record<string, string>;
    await pacer.run(async () => {
      requireRunning(phone);
      phone.farEnd.notify(event, params);
      farEndNote(phone, `NOTIFY ${event}${Object.keys(params).length ? ` ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
      await phone.settle();
    });
    return ok({ sent: { event, params } });
  },

  /** The far end transfers a connected call to `target`. */
  'POST /api/far-end/transfer': async ({ phone, pacer, body }) => {
    const callId = stringField(body, 'callId', 40);
    const target = stringField(body, 'target', 100);
    if (!CALLER_ADDRESS.test(target)) throw new HttpError(400, `"target" must be a number or SIP address, got "${target}"`);
    await pacer.run(async () => {
      requireRunning(phone);
      farEndAction(() => phone.farEnd.transfer(callId, target));
      farEndNote(phone, `transfers ${callId} to ${target}`);
      await phone.settle();
    });
    return ok({ calls: phone.farEnd.calls() });
  },

  // Time control: the phone's clock, paused or running at ×speed, and a jump by an amount.
  'GET /api/time': async ({ phone, pacer }) => ok(clockState(phone, pacer)),

  /** `{ paused: true|false }` and/or `{ speed: 1|10|100 }` (any speed up to MAX_SPEED). */
  'POST /api/time': async ({ phone, pacer, body }) => {
    if (body.paused !== undefined && typeof body.paused !== 'boolean') throw new HttpError(400, '"paused" must be true or false');
    if (body.speed !== undefined) {
      try {
        pacer.setSpeed(Number(body.speed));
      } catch (e) {
        throw new HttpError(400, (e as Error).message);
      }
    }
    if (body.paused === true) await pacer.pause();
    if (body.paused === false) pacer.resume();
    return ok(clockState(phone, pacer));
  },

  /** `{ by: "30s" | "7d" | ms }`: the phone's clock jumps at once (its timers fire in order). */
  'POST /api/time/advance': async ({ phone, pacer, body }) => {
    let ms: number;
    try {
      ms = asDuration(body.by, '"by"');
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
    if (ms > 366 * 86_400_000) throw new HttpError(400, '"by" is at most a year');
    requireRunning(phone);
    await pacer.advanceBy(ms);
    return ok(clockState(phone, pacer));
  },

  'POST /api/power/cut': async ({ phone, pacer }) => {
    await pacer.run(() => phone.cutPower());
    return ok({ state: phone.state });
  },

  'POST /api/power/on': async ({ phone, pacer }) => {
    await pacer.run(() => phone.powerOn());
    return ok({ state: phone.state, bootReason: phone.lastBootReason() });
  },

  'POST /api/reboot': async ({ phone, pacer }) => {
    await pacer.run(() => phone.reboot('browser UI'));
    return ok({ state: phone.state, bootReason: phone.lastBootReason() });
  },
};

/** The far-end script as the panel shows it: the `*` behaviour, or `manual` when there is none. */
function shownScript(phone: Phone): { script: { action: string; afterMs: number; forwardTo: string } } {
  const b = phone.farEnd.scripted().find((x) => x.target === '*');
  return { script: b ? { action: b.action, afterMs: b.afterMs ?? 0, forwardTo: b.forwardTo ?? '' } : { action: 'manual', afterMs: 0, forwardTo: '' } };
}

/** Routes of the panels that live in their own files (traces, inspector). */
const PANEL_ROUTES: Record<string, Route> = { ...TRACE_ROUTES, ...INSPECTOR_ROUTES };

function clockState(phone: Phone, pacer: RealtimePacer): { virtualTime: number; paused: boolean; speed: number } {
  return { virtualTime: phone.devices.clock.now(), paused: pacer.paused, speed: pacer.speed };
}

/** The route for a method and path; 404 for an unknown path, 405 for a known path with the wrong method. */
export function findRoute(method: string, path: string): Route {
  const route = ROUTES[`${method} ${path}`] ?? PANEL_ROUTES[`${method} ${path}`];
  if (route) return route;
  const methods = [...Object.keys(ROUTES), ...Object.keys(PANEL_ROUTES)].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]);
  if (methods.length) throw new HttpError(405, `${method} ${path}: use ${methods.join(' or ')}`);
  throw new HttpError(404, `no route ${method} ${path}`);
}
