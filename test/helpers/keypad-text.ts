/**
 * The key presses that type a text into a multi-tap field
 * (firmware/ui/multi-tap-entry.ts): mode key presses to reach the mode a
 * character needs, taps to cycle to it, and a pause between two characters
 * on the same key.
 */
import type { KeyName } from '../../hal/contract';
import { MULTI_TAP_MS, NAME_LETTERS, type EntryMode, type KeyLetters } from '../../firmware/ui/multi-tap-entry';

export type KeypadStep = KeyName | { pauseMs: number };

const NEXT: Record<EntryMode, EntryMode> = { abc: 'ABC', ABC: '123', '123': 'abc' };

function locate(ch: string, letters: KeyLetters): { mode: EntryMode; key: string; taps: number } {
  if (/[0-9]/.test(ch)) return { mode: '123', key: ch, taps: 1 };
  const lower = ch.toLowerCase();
  const mode: EntryMode = ch !== lower ? 'ABC' : 'abc';
  for (const [key, cycle] of Object.entries(letters)) {
    const i = cycle.indexOf(lower);
    if (i >= 0) return { mode, key, taps: i + 1 };
  }
  throw new Error(`no key types ${JSON.stringify(ch)}`);
}

/** Presses typing `text` into a field now in `mode`, switched by `modeKey`; `*` and `#` typed as themselves (password fields). */
export function keypadSteps(text: string, mode: EntryMode, modeKey: KeyName, letters: KeyLetters = NAME_LETTERS): KeypadStep[] {
  const steps: KeypadStep[] = [];
  let lastKey = '';
  for (const ch of text) {
    if (ch === '*' || ch === '#') {
      steps.push(ch);
      lastKey = '';
      continue;
    }
    const at = locate(ch, letters);
    // Letter modes share the symbols; only switch when the character needs another case or a digit.
    const fits = at.mode === mode || (at.mode !== '123' && mode !== '123' && ch.toLowerCase() === ch.toUpperCase());
    if (!fits) {
      while (mode !== at.mode) {
        steps.push(modeKey);
        mode = NEXT[mode];
      }
      lastKey = '';
    }
    if (mode !== '123' && at.key === lastKey) steps.push({ pauseMs: MULTI_TAP_MS + 50 });
    for (let i = 0; i < at.taps; i++) steps.push(at.key as KeyName);
    lastKey = mode === '123' ? '' : at.key;
  }
  return steps;
}
