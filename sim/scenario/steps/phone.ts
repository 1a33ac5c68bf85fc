/** Steps that boot the phone, press keys, move virtual time and check the screen and the log. */
import * as fs from 'fs';
import * as path from 'path';
import type { KeyName, ScreenText } from '../../../hal/contract';
import { formatDuration } from '../duration';
import { asDuration, asString, asStringList, fields, optionalString } from '../argument';
import type { Phone } from '../../phone';
import type { StepKind } from '../scenario';
import { showsText, showsTextWithin } from '../../shown-text';

/** After a boot step the phone must be up; a crashed boot fails the step with the phone's state. */
export function requireRunning(phone: Phone, step: string): void {
  const state: string = phone.state;
  if (state !== 'running') throw new Error(`${step}: the phone is ${state} after boot`);
}

export const boot: StepKind<Record<string, never>> = {
  name: 'boot',
  help: 'power the phone on and wait until the boot sequence settles',
  example: {},
  parse: (a) => {
    fields(a, [], 'boot');
    return {};
  },
  run: async ({ phone }) => {
    if (phone.state === 'running') throw new Error('boot: the phone is already running (use reboot or powerOn)');
    await phone.boot();
    requireRunning(phone, 'boot');
  },
};

export const press: StepKind<string[]> = {
  name: 'press',
  help: 'press and release keys in order: a list, or one string of key names separated by spaces',
  example: 'soft4 1 2',
  parse: (a) => {
    const keys = (typeof a === 'string' ? a.trim().split(/\s+/) : asStringList(a, 'press')).filter((k) => k !== '');
    if (keys.length === 0) throw new Error('press: no keys given');
    return keys;
  },
  label: (keys) => `press ${keys.join(' ')}`,
  run: async ({ phone }, keys) => {
    const missing = keys.filter((k) => !phone.profile.keys.includes(k as KeyName));
    if (missing.length > 0) throw new Error(`press: board ${phone.board} has no key ${missing.join(', ')} (it has: ${phone.profile.keys.join(' ')})`);
    await phone.pressAll(keys as KeyName[]);
  },
};

export const advance: StepKind<number> = {
  name: 'advance',
  help: 'advance virtual time, firing due timers in order ("90s", "15min", "2h", "30d" or ms)',
  example: '30d',
  parse: (a) => asDuration(a, 'advance'),
  label: (ms) => `advance ${formatDuration(ms)}`,
  run: async ({ phone }, ms) => {
    await phone.advance(ms);
  },
};

export interface ScreenExpectation {
  id?: string;
  title?: string;
  contains: string[];
  notContains: string[];
  softKeys?: string[];
  focus?: string;
}

/** Texts are compared as shown: a part the display cut (ending in '…', ScreenText.cut) matches the text it begins. */
export function screenMismatches(screen: ScreenText, e: ScreenExpectation): string[] {
  const parts = [screen.title, ...screen.lines, screen.status ?? '', ...screen.softKeys];
  const onScreen = (t: string) => parts.some((p) => showsTextWithin(p, t));
  const problems: string[] = [];
  if (e.id !== undefined && screen.id !== e.id) problems.push(`screen id is "${screen.id}", expected "${e.id}"`);
  if (e.title !== undefined && !showsText(screen.title, e.title)) problems.push(`title is "${screen.title}", expected "${e.title}"`);
  for (const t of e.contains) if (!onScreen(t)) problems.push(`no "${t}" on screen`);
  for (const t of e.notContains) if (parts.some((p) => p.includes(t))) problems.push(`"${t}" is on screen`);
  const keys = screen.softKeys.filter((k) => k !== '');
  if (e.softKeys !== undefined && (keys.length !== e.softKeys.length || keys.some((k, i) => !showsText(k, e.softKeys![i])))) {
    problems.push(`soft keys are ${JSON.stringify(screen.softKeys.filter((k) => k !== ''))}, expected ${JSON.stringify(e.softKeys)}`);
  }
  if (e.focus !== undefined) {
    const focused = screen.focus >= 0 ? screen.lines[screen.focus] : undefined;
    if (!focused?.includes(e.focus)) problems.push(`focused line is ${JSON.stringify(focused ?? null)}, expected one containing "${e.focus}"`);
  }
  return problems;
}

export function describeScreen(s: ScreenText): string {
  return `[${s.id}] ${s.title} | ${s.lines.join(' | ')} | keys: ${s.softKeys.filter((k) => k).join(' ')}`;
}

export const expectScreen: StepKind<ScreenExpectation> = {
  name: 'expectScreen',
  help: 'check the text model of the screen: id, title, contains / notContains (text anywhere), softKeys, focus',
  example: { title: 'Settings', contains: ['Basic', 'Advanced'] },
  parse: (a) => {
    const o = fields(a, ['id', 'title', 'contains', 'notContains', 'softKeys', 'focus'], 'expectScreen');
    return {
      id: optionalString(o.id, 'expectScreen.id'),
      title: optionalString(o.title, 'expectScreen.title'),
      contains: o.contains === undefined ? [] : asStringList(o.contains, 'expectScreen.contains'),
      notContains: o.notContains === undefined ? [] : asStringList(o.notContains, 'expectScreen.notContains'),
      softKeys: o.softKeys === undefined ? undefined : asStringList(o.softKeys, 'expectScreen.softKeys'),
      focus: optionalString(o.focus, 'expectScreen.focus'),
    };
  },
  run: async ({ phone }, e) => {
    const screen = phone.screen();
    const problems = screenMismatches(screen, e);
    if (problems.length > 0) throw new Error(`${problems.join('; ')} — screen: ${describeScreen(screen)}`);
  },
};

export interface LogExpectation { contains: string[]; notContains: string[] }

export const expectLog: StepKind<LogExpectation> = {
  name: 'expectLog',
  help: 'check the serial console and firmware log since power-on: contains / notContains (substrings or /regex/)',
  example: { contains: 'boot: done' },
  parse: (a) => {
    const o = typeof a === 'string' ? { contains: a } : fields(a, ['contains', 'notContains'], 'expectLog');
    return {
      contains: o.contains === undefined ? [] : asStringList(o.contains, 'expectLog.contains'),
      notContains: o.notContains === undefined ? [] : asStringList(o.notContains, 'expectLog.notContains'),
    };
  },
  run: async ({ phone }, e) => {
    const lines = phone.log();
    const matches = (pattern: string) => {
      const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
      return re ? lines.some((l) => new RegExp(re[1], re[2]).test(l)) : lines.some((l) => l.includes(pattern));
    };
    const problems = [
      ...e.contains.filter((p) => !matches(p)).map((p) => `no log line matches ${JSON.stringify(p)}`),
      ...e.notContains.filter(matches).map((p) => `a log line matches ${JSON.stringify(p)}`),
    ];
    if (problems.length > 0) throw new Error(`${problems.join('; ')} (last lines: ${lines.slice(-3).join(' ⏎ ')})`);
  },
};

export const screenshot: StepKind<string> = {
  name: 'screenshot',
  help: 'save the framebuffer as a PNG file in the artifacts folder',
  example: 'menu.png',
  parse: (a) => asString(a, 'screenshot'),
  run: async (ctx, file) => {
    const out = ctx.artifact(file);
    fs.writeFileSync(out, ctx.phone.screenshotPng());
    ctx.note(`screenshot ${path.relative(process.cwd(), out)}`);
  },
};

export const phoneSteps: StepKind[] = [boot, press, advance, expectScreen, expectLog, screenshot];
