/**
 * Text entry from a phone keypad: multi-tap letters (press `2` once for a,
 * twice for b, …; a pause or another key commits the letter), capitals,
 * digits and symbols. Three modes, shown by the screen as an indicator:
 *
 * - `abc`: lower-case letters on 2–9; symbols on `1` and `0` (every printable
 *   ASCII symbol is on one of them, so any password can be typed);
 * - `ABC`: the same with capitals;
 * - `123`: the key's digit, at once.
 *
 * The screen's mode key calls `nextMode()` (abc → ABC → 123 → abc) and is
 * labelled with `nextModeLabel()`. `*` deletes and `#` types `#` in 123 mode,
 * unless the entry takes them literally (passwords: `*` and `#` are password
 * characters, the screen deletes with its Delete key).
 * The letter being cycled is part of `value()`, so a search follows every press.
 */
import type { KeyName } from '../../hal/contract';

export const MULTI_TAP_MS = 1000;

export type KeyLetters = Record<string, string>;

/** Names, e-mail addresses, search text, passwords: `0` gives the space first. */
export const NAME_LETTERS: KeyLetters = {
  '1': '.,?!@-_:/\'"1', '2': 'abc2', '3': 'def3', '4': 'ghi4', '5': 'jkl5',
  '6': 'mno6', '7': 'pqrs7', '8': 'tuv8', '9': 'wxyz9', '0': ' 0#*$%&+=;~^|\\()<>[]{}`',
};

/** URLs and credentials: `1` gives the URL punctuation first, `0` no space. */
export const URL_LETTERS: KeyLetters = { ...NAME_LETTERS, '1': '.:/-_@~?!,\'"1', '0': '0#*$%&+=;^|\\()<>[]{}` ' };

export type EntryMode = 'abc' | 'ABC' | '123';

const NEXT_MODE: Record<EntryMode, EntryMode> = { abc: 'ABC', ABC: '123', '123': 'abc' };

export interface MultiTapOptions {
  /** `*` and `#` are characters of the text (passwords), not delete / mode keys. */
  literalStarHash?: boolean;
}

export class MultiTapEntry {
  private committed: string;
  private pending: { key: string; index: number; upper: boolean } | null = null;
  private timer: (() => void) | null = null;

  constructor(
    initial: string,
    public mode: EntryMode,
    /** Run `fn` after `ms`; returns a cancel function. */
    private readonly schedule: (ms: number, fn: () => void) => () => void,
    /** Called when a pending letter is committed by the pause. */
    private readonly onCommit: () => void = () => {},
    private readonly maxLength = 128,
    private readonly letters: KeyLetters = NAME_LETTERS,
    private readonly options: MultiTapOptions = {},
  ) {
    this.committed = initial;
  }

  /** The letter still cycling (not yet committed), or ''. */
  pendingLetter(): string {
    if (!this.pending) return '';
    const ch = this.letters[this.pending.key][this.pending.index];
    return this.pending.upper ? ch.toUpperCase() : ch;
  }

  /** Committed text only. */
  committedText(): string {
    return this.committed;
  }

  value(): string {
    return this.committed + this.pendingLetter();
  }

  /** Handles digit keys, `*` and `#`; false for other keys. */
  key(key: KeyName): boolean {
    if (this.options.literalStarHash && (key === '*' || key === '#')) {
      this.commit();
      this.append(key);
      return true;
    }
    if (key === '*') {
      this.backspace();
      return true;
    }
    if (key === '#') {
      this.commit();
      if (this.mode === '123') this.append('#');
      return true;
    }
    if (!(key in this.letters)) return false;
    if (this.mode === '123') {
      this.commit();
      this.append(key);
      return true;
    }
    if (this.pending && this.pending.key === key) {
      this.pending.index = (this.pending.index + 1) % this.letters[key].length;
    } else {
      this.commit();
      if (this.committed.length >= this.maxLength) return true;
      this.pending = { key, index: 0, upper: this.mode === 'ABC' };
    }
    this.cancelTimer();
    this.timer = this.schedule(MULTI_TAP_MS, () => {
      this.timer = null;
      this.commit();
      this.onCommit();
    });
    return true;
  }

  backspace(): void {
    if (this.pending) this.pending = null;
    else this.committed = this.committed.slice(0, -1);
    this.cancelTimer();
  }

  /** Empties the field (a submitted password leaves nothing behind). */
  clear(): void {
    this.pending = null;
    this.committed = '';
    this.cancelTimer();
  }

  /** The mode key: abc → ABC → 123 → abc (commits the letter being cycled). */
  nextMode(): void {
    this.commit();
    this.mode = NEXT_MODE[this.mode];
  }

  /** Label of the mode key: the mode it switches to. */
  nextModeLabel(): EntryMode {
    return NEXT_MODE[this.mode];
  }

  commit(): void {
    if (this.pending) this.committed = this.value();
    this.pending = null;
    this.cancelTimer();
  }

  private append(ch: string): void {
    if (this.committed.length < this.maxLength) this.committed += ch;
  }

  private cancelTimer(): void {
    if (this.timer) this.timer();
    this.timer = null;
  }
}
