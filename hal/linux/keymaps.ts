/**
 * Default keymaps of the Linux board: Linux key codes (input-event-codes.h)
 * → the firmware's key names. A board file may replace them.
 *
 * Two layouts share one map, so a board works with either:
 *
 * - the phone's own keypad (gpio-keys or matrix-keypad in the device tree):
 *   the codes Linux defines for phones — KEY_NUMERIC_0..9 / _STAR / _POUND,
 *   KEY_F1..F4 for the soft keys under the screen, the arrows, KEY_OK or
 *   KEY_SELECT for select, KEY_BACK, KEY_HOME, KEY_PHONE for the hook switch,
 *   KEY_MICMUTE, the volume keys, KEY_ADDRESSBOOK (directory), KEY_VOICEMAIL
 *   (messages), KEY_LAST (redial), KEY_PAUSE (hold) and KEY_PROG1..4 (line
 *   keys). Keys Linux has no code for take KEY_MACRO1..4 (speaker, headset,
 *   transfer, conference);
 * - a USB keyboard on a dev board (and uinput in tests): the simulator web
 *   UI's shortcuts — digits of the top row and the numeric pad, `*` on the
 *   pad, F1..F4, arrows, Enter, Esc / Backspace, F5..F8 for the line keys and
 *   the letters h d m r t o c k s e u, `=` / `+` and `-` for the volume.
 *
 * Each board's map holds only the keys that board has (hal/boards.ts).
 */
import { boardProfile } from '../boards';
import type { KeyName } from '../contract';

/** The codes used below, by their input-event-codes.h names. */
export const LINUX_KEY = {
  KEY_ESC: 1, KEY_1: 2, KEY_2: 3, KEY_3: 4, KEY_4: 5, KEY_5: 6, KEY_6: 7, KEY_7: 8, KEY_8: 9, KEY_9: 10, KEY_0: 11,
  KEY_MINUS: 12, KEY_EQUAL: 13, KEY_BACKSPACE: 14, KEY_E: 18, KEY_R: 19, KEY_T: 20, KEY_U: 22, KEY_O: 24,
  KEY_ENTER: 28, KEY_S: 31, KEY_D: 32, KEY_H: 35, KEY_K: 37, KEY_C: 46, KEY_M: 50, KEY_KPASTERISK: 55,
  KEY_F1: 59, KEY_F2: 60, KEY_F3: 61, KEY_F4: 62, KEY_F5: 63, KEY_F6: 64, KEY_F7: 65, KEY_F8: 66,
  KEY_KP7: 71, KEY_KP8: 72, KEY_KP9: 73, KEY_KPMINUS: 74, KEY_KP4: 75, KEY_KP5: 76, KEY_KP6: 77, KEY_KPPLUS: 78,
  KEY_KP1: 79, KEY_KP2: 80, KEY_KP3: 81, KEY_KP0: 82, KEY_KPENTER: 96,
  KEY_HOME: 102, KEY_UP: 103, KEY_LEFT: 105, KEY_RIGHT: 106, KEY_DOWN: 108,
  KEY_MUTE: 113, KEY_VOLUMEDOWN: 114, KEY_VOLUMEUP: 115, KEY_PAUSE: 119,
  KEY_PROG1: 148, KEY_PROG2: 149, KEY_BACK: 158, KEY_PHONE: 169, KEY_PROG3: 202, KEY_PROG4: 203, KEY_MICMUTE: 248,
  KEY_OK: 0x160, KEY_SELECT: 0x161, KEY_LAST: 0x195, KEY_VOICEMAIL: 0x1ac, KEY_ADDRESSBOOK: 0x1ad,
  KEY_NUMERIC_0: 0x200, KEY_NUMERIC_1: 0x201, KEY_NUMERIC_2: 0x202, KEY_NUMERIC_3: 0x203, KEY_NUMERIC_4: 0x204,
  KEY_NUMERIC_5: 0x205, KEY_NUMERIC_6: 0x206, KEY_NUMERIC_7: 0x207, KEY_NUMERIC_8: 0x208, KEY_NUMERIC_9: 0x209,
  KEY_NUMERIC_STAR: 0x20a, KEY_NUMERIC_POUND: 0x20b,
  KEY_MACRO1: 0x290, KEY_MACRO2: 0x291, KEY_MACRO3: 0x292, KEY_MACRO4: 0x293,
} as const;

type LinuxKeyName = keyof typeof LINUX_KEY;

/** Every firmware key and the Linux keys that press it (keypad codes first, then the USB keyboard's). */
const KEYS_OF: Record<KeyName, LinuxKeyName[]> = {
  '0': ['KEY_NUMERIC_0', 'KEY_0', 'KEY_KP0'], '1': ['KEY_NUMERIC_1', 'KEY_1', 'KEY_KP1'],
  '2': ['KEY_NUMERIC_2', 'KEY_2', 'KEY_KP2'], '3': ['KEY_NUMERIC_3', 'KEY_3', 'KEY_KP3'],
  '4': ['KEY_NUMERIC_4', 'KEY_4', 'KEY_KP4'], '5': ['KEY_NUMERIC_5', 'KEY_5', 'KEY_KP5'],
  '6': ['KEY_NUMERIC_6', 'KEY_6', 'KEY_KP6'], '7': ['KEY_NUMERIC_7', 'KEY_7', 'KEY_KP7'],
  '8': ['KEY_NUMERIC_8', 'KEY_8', 'KEY_KP8'], '9': ['KEY_NUMERIC_9', 'KEY_9', 'KEY_KP9'],
  '*': ['KEY_NUMERIC_STAR', 'KEY_KPASTERISK'], '#': ['KEY_NUMERIC_POUND'],
  soft1: ['KEY_F1'], soft2: ['KEY_F2'], soft3: ['KEY_F3'], soft4: ['KEY_F4'],
  up: ['KEY_UP'], down: ['KEY_DOWN'], left: ['KEY_LEFT'], right: ['KEY_RIGHT'],
  select: ['KEY_OK', 'KEY_SELECT', 'KEY_ENTER', 'KEY_KPENTER'], back: ['KEY_BACK', 'KEY_ESC', 'KEY_BACKSPACE'],
  home: ['KEY_HOME', 'KEY_H'],
  hook: ['KEY_PHONE', 'KEY_K'], speaker: ['KEY_MACRO1', 'KEY_S'], headset: ['KEY_MACRO2', 'KEY_E'],
  mute: ['KEY_MICMUTE', 'KEY_MUTE', 'KEY_U'],
  volumeUp: ['KEY_VOLUMEUP', 'KEY_EQUAL', 'KEY_KPPLUS'], volumeDown: ['KEY_VOLUMEDOWN', 'KEY_MINUS', 'KEY_KPMINUS'],
  line1: ['KEY_PROG1', 'KEY_F5'], line2: ['KEY_PROG2', 'KEY_F6'], line3: ['KEY_PROG3', 'KEY_F7'], line4: ['KEY_PROG4', 'KEY_F8'],
  directory: ['KEY_ADDRESSBOOK', 'KEY_D'], messages: ['KEY_VOICEMAIL', 'KEY_M'], transfer: ['KEY_MACRO3', 'KEY_T'],
  hold: ['KEY_PAUSE', 'KEY_O'], redial: ['KEY_LAST', 'KEY_R'], conference: ['KEY_MACRO4', 'KEY_C'],
};

/** The default keymap of a board profile: Linux key code → key, for the keys that board has. */
export function defaultKeymap(boardId: string): Record<number, KeyName> {
  const keymap: Record<number, KeyName> = {};
  for (const key of boardProfile(boardId).keys) {
    for (const linuxKey of KEYS_OF[key]) keymap[LINUX_KEY[linuxKey]] = key;
  }
  return keymap;
}

/** The keypad code of `key` (the first of its codes above): what a test injects through uinput to press it. */
export function keypadCode(key: KeyName): number {
  return LINUX_KEY[KEYS_OF[key][0]];
}
