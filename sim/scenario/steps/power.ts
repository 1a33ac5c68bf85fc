/** Steps about power: cut it (now or after N flash operations), restore it, reboot, check the boot reason. */
import type { BootReason } from '../../../hal/contract';
import { asString, fields, optionalCount, optionalString } from '../argument';
import type { StepKind } from '../scenario';
import { requireRunning } from './phone';

export const cutPower: StepKind<{ afterOps?: number }> = {
  name: 'cutPower',
  help: 'cut power now, or arm a cut after N more flash program/erase operations (the Nth is torn)',
  example: { afterOps: 3 },
  parse: (a) => {
    const o = fields(a, ['afterOps'], 'cutPower');
    return { afterOps: optionalCount(o.afterOps, 'cutPower.afterOps') };
  },
  label: (a) => (a.afterOps ? `cut power after ${a.afterOps} flash ops` : 'cut power'),
  run: async ({ phone }, a) => {
    phone.cutPower(a.afterOps);
  },
};

export const powerOn: StepKind<Record<string, never>> = {
  name: 'powerOn',
  help: 'restore power and boot (boot reason power-cut after a cut, else power-on)',
  example: {},
  parse: (a) => {
    fields(a, [], 'powerOn');
    return {};
  },
  run: async ({ phone }) => {
    await phone.powerOn();
    requireRunning(phone, 'powerOn');
  },
};

export const reboot: StepKind<{ reason: string }> = {
  name: 'reboot',
  help: 'restart the image over the same flash (boot reason reboot)',
  example: { reason: 'scenario' },
  parse: (a) => {
    const o = fields(a, ['reason'], 'reboot');
    return { reason: optionalString(o.reason, 'reboot.reason') ?? 'scenario' };
  },
  run: async ({ phone }, a) => {
    await phone.reboot(a.reason);
    requireRunning(phone, 'reboot');
  },
};

const REASONS: BootReason[] = ['power-on', 'reboot', 'power-cut', 'crash', 'watchdog'];

export const expectBootReason: StepKind<BootReason> = {
  name: 'expectBootReason',
  help: `check why the phone last booted (${REASONS.join(', ')})`,
  example: 'power-cut',
  parse: (a) => {
    const r = asString(a, 'expectBootReason') as BootReason;
    if (!REASONS.includes(r)) throw new Error(`expectBootReason: "${r}" is not one of ${REASONS.join(', ')}`);
    return r;
  },
  run: async ({ phone }, expected) => {
    const actual = phone.lastBootReason();
    if (actual !== expected) throw new Error(`last boot reason is ${actual}, expected ${expected}`);
  },
};

export const powerSteps: StepKind[] = [cutPower, powerOn, reboot, expectBootReason];
