/**
 * Text entry from a phone keypad: multi-tap letters (press `2` once for a,
 * twice for b, …; a pause or another key commits the letter) or plain digits.
 * The letter being cycled is part of `value()`, so a search follows every press.
 */
import type { KeyName } from '../../hal/contract';

export const MULTI_TAP_MS = 1000;

export type KeyLetters = Record<string, string>;

/** Names, e-mail addresses, search text. */
export const NAME_LETTERS: KeyLetters = {
  '1': '.@-_1', '2': 'abc2', '3': 'def3', '4': 'ghi4', '5': 'jkl5',
  '6': 'mno6', '7': 'pqrs7', '8': 'tuv8', '9': 'wxyz9', '0': ' 0',
};

/** URLs and credentials: `1` also gives the URL punctuation, `0` no space. */
export const URL_LETTERS: KeyLetters = { ...NAME_LETTERS, '1': '.:/-_@~1', '0': '0' };

export type EntryMode = 'abc' | '123';

export class MultiTapEntry {
  private committed: string;
  private pending: { key: string; index: number } | null = null;
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
  ) {
    this.committed = initial;
  }

  /** The letter still cycling (not yet committed), or ''. */
  pendingLetter(): string {
    return this.pending ? this.letters[this.pending.key][this.pending.index] : '';
  }

  /** Committed text only. */
  committedText(): string {
    return this.committed;
  }

  value(): string {
    return this.committed + this.pendingLetter();
  }

  /** Handles digit keys, `*` (delete) and `#` (symbol in digit mode); false for other keys. */
  key(key: KeyName): boolean {
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
      this.pending = { key, index: 0 };
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

  toggleMode(): void {
    this.commit();
    this.mode = this.mode === 'abc' ? '123' : 'abc';
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
