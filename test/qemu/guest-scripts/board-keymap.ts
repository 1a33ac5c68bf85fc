/** The key codes a guest keypad sends for a board file's keys: its keymap, or the board's default (hal/linux/keymaps.ts). */
import type { KeyName } from '../../../hal/contract';
import type { BoardFile } from '../../../hal/linux/board-file';
import { defaultKeymap } from '../../../hal/linux/keymaps';

export interface KeypadCodes {
  /** Every code the keypad must offer. */
  all: number[];
  of(key: KeyName): number;
}

export function keypadCodes(boardFile: BoardFile): KeypadCodes {
  const keymap: Record<number, KeyName> = boardFile.keys.keymap
    ? Object.fromEntries(Object.entries(boardFile.keys.keymap).map(([code, key]) => [Number(code), key]))
    : defaultKeymap(boardFile.board);
  const codeOf = new Map(Object.entries(keymap).map(([code, key]) => [key, Number(code)]));
  return {
    all: [...codeOf.values()],
    of(key) {
      const code = codeOf.get(key);
      if (code === undefined) throw new Error(`the keymap of board file ${boardFile.board} has no code for key ${key}`);
      return code;
    },
  };
}
