/**
 * The terminal mode of `phone sim` (no --web): one command per line on stdin.
 * Commands run strictly in order, each after the previous one finished and
 * between two clock ticks, so `press` then `screen` shows the screen the
 * press led to.
 */
import type { KeyName } from '../../hal/contract';
import { boundParty } from '../../firmware/calls/party-bounds';
import type { Phone } from '../phone';
import type { FarEndCall } from '../phone-api';
import type { RealtimePacer } from '../realtime-pacer';
import { asDuration } from '../scenario/argument';
import { formatDuration } from '../scenario/duration';
import { formatScreen } from './screen-text';

export const TERMINAL_COMMANDS = `
Terminal commands on stdin (one per line, run in order):
  press KEY...         press keys, e.g. "press soft4 down select" (keys: see the board profile)
  screen               print the screen text model
  advance DURATION     move the phone's clock on at once, e.g. "advance 30s", "advance 7d"
  pause | run          stop the phone's clock / let it run again
  speed N              run the clock N times faster than real time: 1, 10, 100
  time                 the phone's time, and whether its clock is paused or at ×N
  ring NUMBER [NAME]   the far end rings the phone (prints the call id)
  answer CALLID        the far end answers a call the phone placed
  hangup [CALLID]      the far end hangs up (all live calls without CALLID)
  calls                list the calls the far end sees: id, direction, party, state
  notify EVENT [K=V..] the far end sends a SIP NOTIFY, e.g. "notify check-sync"
  state                power state, board, engine, phone time, last boot reason, calls
  cut | on | reboot    cut power, power on, reboot
  save                 save the flash image now (needs --flash)
  help                 this list
  quit                 print the final screen, save the flash (with --flash) and exit, like Ctrl-C`;

/** What a terminal command acts on. */
export interface TerminalSession {
  phone: Phone;
  pacer: RealtimePacer;
  /** --flash file, for `save`. */
  flashFile?: string;
  quit(): void | Promise<void>;
}

/** Run one command line; resolves when its effect is done. Throws with a message for the user on a bad command. */
export async function runTerminalCommand(line: string, s: TerminalSession): Promise<void> {
  const [command, ...args] = line.trim().split(/\s+/);
  const { phone, pacer } = s;
  switch (command) {
    case '':
      return;
    case 'help':
      return console.log(TERMINAL_COMMANDS.trim());
    case 'press':
      if (args.length === 0) throw new Error('usage: press KEY...');
      for (const key of args) {
        if (!phone.profile.keys.includes(key as KeyName)) throw new Error(`board ${phone.board} has no key "${key}" (keys: ${phone.profile.keys.join(' ')})`);
      }
      return pacer.run(() => phone.pressAll(args as KeyName[]));
    case 'screen':
      return pacer.run(() => console.log(formatScreen(phone.screen())));
    case 'advance': {
      if (args.length === 0) throw new Error('usage: advance DURATION (e.g. 30s, 5m, 7d)');
      const ms = asDuration(args.join(''), 'advance');
      await pacer.advanceBy(ms);
      return console.log(`phone sim: advanced ${formatDuration(ms)}; ${describeClock(s)}`);
    }
    case 'pause':
      await pacer.pause();
      return console.log(describeClock(s));
    case 'run':
      pacer.resume();
      return console.log(describeClock(s));
    case 'speed': {
      const speed = Number(args[0]?.replace(/^[x×]/, ''));
      if (!args[0] || !Number.isFinite(speed)) throw new Error('usage: speed N (1, 10, 100)');
      pacer.setSpeed(speed);
      return console.log(describeClock(s));
    }
    case 'time':
      return pacer.run(() => console.log(describeClock(s)));
    case 'ring':
      if (!args[0]) throw new Error('usage: ring NUMBER [NAME]');
      return pacer.run(async () => {
        const caller = boundParty(args[0], args.slice(1).join(' '));
        for (const c of caller.cuts) console.log(`phone sim: ring: caller ${c}`);
        const callId = phone.farEnd.ring(caller.address, caller.name);
        console.log(`phone sim: call ${callId} incoming from ${caller.address}`);
        await phone.settle();
      });
    case 'answer':
      if (!args[0]) throw new Error('usage: answer CALLID (see "calls")');
      return pacer.run(async () => { phone.farEnd.answer(knownCall(phone, args[0])); await phone.settle(); });
    case 'hangup':
      return pacer.run(async () => {
        const ids = args[0] ? [knownCall(phone, args[0])] : phone.farEnd.calls().filter((c) => c.state !== 'ended').map((c) => c.callId);
        for (const id of ids) phone.farEnd.hangup(id);
        await phone.settle();
      });
    case 'calls':
      return pacer.run(() => {
        const calls = phone.farEnd.calls();
        console.log(calls.length === 0 ? 'phone sim: no calls' : calls.map(formatCall).join('\n'));
      });
    case 'notify': {
      if (!args[0]) throw new Error('usage: notify EVENT [NAME=VALUE...], e.g. notify check-sync');
      const params: Record<string, string> = {};
      for (const a of args.slice(1)) {
        const eq = a.indexOf('=');
        if (eq <= 0) throw new Error(`notify: parameter "${a}" is not NAME=VALUE`);
        params[a.slice(0, eq)] = a.slice(eq + 1);
      }
      return pacer.run(async () => {
        phone.farEnd.notify(args[0], params);
        await phone.settle();
        console.log(`phone sim: NOTIFY ${args[0]} sent`);
      });
    }
    case 'state':
      return pacer.run(() => console.log(describeState(phone)));
    case 'cut':
      return pacer.run(() => phone.cutPower());
    case 'on':
      return pacer.run(() => phone.powerOn());
    case 'reboot':
      return pacer.run(() => phone.reboot('console'));
    case 'save':
      if (!s.flashFile) throw new Error('save: no --flash file given');
      return pacer.run(() => { phone.saveFlash(s.flashFile); console.log(`phone sim: flash saved to ${s.flashFile}`); });
    case 'quit':
    case 'exit':
      return s.quit();
    default:
      throw new Error(`unknown command "${command}" (type "help")`);
  }
}

function describeClock({ phone, pacer }: TerminalSession): string {
  return `phone time ${new Date(phone.devices.clock.now()).toISOString()} (${pacer.paused ? 'paused' : `running ×${pacer.speed}`})`;
}

function knownCall(phone: Phone, callId: string): string {
  const calls = phone.farEnd.calls();
  if (calls.some((c) => c.callId === callId)) return callId;
  throw new Error(`no call "${callId}" (calls: ${calls.map((c) => c.callId).join(', ') || 'none'})`);
}

export function formatCall(c: FarEndCall): string {
  return `call ${c.callId} ${c.direction} ${c.direction === 'incoming' ? 'from' : 'to'} ${c.remote}: ${c.state}`;
}

function describeState(phone: Phone): string {
  const live = phone.farEnd.calls().filter((c) => c.state !== 'ended').length;
  return [
    `power: ${phone.state}`,
    `board: ${phone.board} (${phone.engine}), MAC ${phone.mac}`,
    `phone time: ${new Date(phone.devices.clock.now()).toISOString()} (up ${formatDuration(phone.devices.clock.monotonic())})`,
    `last boot: ${phone.state === 'off' ? '-' : phone.lastBootReason()}`,
    `screen: ${phone.state === 'running' ? phone.screen().id : '-'}`,
    `calls: ${live} live`,
  ].join('\n');
}

/** Prints a line whenever a call appears or changes state, so the ids of calls the phone placed are known. */
export class CallWatcher {
  private readonly seen = new Map<string, string>();

  constructor(private readonly phone: Phone, private readonly print: (line: string) => void) {
    for (const c of phone.farEnd.calls()) this.seen.set(c.callId, c.state);
  }

  check(): void {
    for (const c of this.phone.farEnd.calls()) {
      if (this.seen.get(c.callId) === c.state) continue;
      this.seen.set(c.callId, c.state);
      this.print(`phone sim: ${formatCall(c)}`);
    }
  }
}
