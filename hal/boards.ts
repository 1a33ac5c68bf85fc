/**
 * Board profiles: the facts of each supported desk phone board, shared by the
 * simulator (which builds virtual devices from them) and the Linux target
 * (which maps the partitions onto a block device of the same geometry).
 */
import type { BoardInfo, KeyName } from './contract';

/** A board profile: what the firmware sees (`BoardInfo`) plus the simulator's enforcement limits. */
export interface BoardProfile extends BoardInfo {
  /** Short description for `--help` and the README. */
  description: string;
  /**
   * CPU budget of the simulator per event (and at boot), promise jobs included:
   * counted in QuickJS interrupt polls (one poll is roughly 10,000 calls or
   * loop iterations; counting polls keeps the limit deterministic) and, as a
   * backstop for work inside native methods that polls hardly see, in CPU
   * milliseconds of the firmware (time in host functions excluded).
   * Exceeding either aborts the current event with a CPU-budget fault.
   */
  cpuBudget: { pollsPerEvent: number; pollsAtBoot: number; msPerEvent: number; msAtBoot: number };
}

const DIGITS: KeyName[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];
const NAV: KeyName[] = ['up', 'down', 'left', 'right', 'select', 'back'];
const AUDIO: KeyName[] = ['hook', 'speaker', 'headset', 'mute', 'volumeUp', 'volumeDown'];
const FEATURE: KeyName[] = ['directory', 'messages', 'transfer', 'hold', 'redial'];

const KIB = 1024;
const MIB = 1024 * 1024;

export const BOARDS: Record<string, BoardProfile> = {
  'desk-500': {
    profile: 'desk-500',
    description: 'Colour desk phone: 320x240 RGB565 display, 4 line keys, 500 local contacts',
    model: 'DESK500',
    mac: '0004f2a1b2c3',
    serial: 'D5-000001',
    hardwareRevision: 'B',
    display: { width: 320, height: 240, format: 'rgb565' },
    keys: [...DIGITS, 'soft1', 'soft2', 'soft3', 'soft4', ...NAV, 'home', ...AUDIO, 'line1', 'line2', 'line3', 'line4', ...FEATURE, 'conference'],
    recoveryKeys: ['1', '3', '5'],
    contactLimit: 500,
    lineCount: 4,
    memoryBudgetBytes: 16 * MIB,
    stackBudgetBytes: 512 * KIB,
    flash: {
      blockSize: 4 * KIB,
      progSize: 16,
      partitions: [
        { name: 'nvram', size: 64 * KIB },
        // Sized for a 10,000-entry global directory: its last good file (≈ 1 MiB) and two index generations while a rebuild writes ahead.
        { name: 'fs', size: 4 * MIB },
        { name: 'updater', size: 2 * MIB },
      ],
    },
    // A 10,000-entry global directory merges over many events, one bounded step each (firmware/directory/stepwise.ts).
    cpuBudget: { pollsPerEvent: 2000, pollsAtBoot: 20000, msPerEvent: 1000, msAtBoot: 10000 },
  },
  'desk-99': {
    profile: 'desk-99',
    description: 'Entry desk phone: 132x64 monochrome display, 2 line keys, 99 local contacts',
    model: 'DESK99',
    mac: '0004f2d4e5f6',
    serial: 'D9-000001',
    hardwareRevision: 'A',
    display: { width: 132, height: 64, format: 'mono1' },
    keys: [...DIGITS, 'soft1', 'soft2', 'soft3', 'soft4', ...NAV, ...AUDIO, 'line1', 'line2', ...FEATURE],
    recoveryKeys: ['4', '6', '8'],
    contactLimit: 99,
    lineCount: 2,
    memoryBudgetBytes: 8 * MIB,
    stackBudgetBytes: 256 * KIB,
    flash: {
      blockSize: 4 * KIB,
      progSize: 16,
      partitions: [
        { name: 'nvram', size: 32 * KIB },
        { name: 'fs', size: 512 * KIB },
        { name: 'updater', size: 2 * MIB },
      ],
    },
    cpuBudget: { pollsPerEvent: 1000, pollsAtBoot: 10000, msPerEvent: 1000, msAtBoot: 10000 },
  },
};

/** Whether `id` names a profile (an own key: "constructor" or "toString" is not a board). */
export function isBoardId(id: unknown): id is string {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(BOARDS, id);
}

export function boardProfile(id: string): BoardProfile {
  const profile = isBoardId(id) ? BOARDS[id] : undefined;
  if (!profile) throw new Error(`unknown board profile "${id}" (known: ${Object.keys(BOARDS).join(', ')})`);
  return profile;
}
