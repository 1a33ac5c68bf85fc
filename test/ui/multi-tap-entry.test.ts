/** Multi-tap text entry on its own: modes, capitals, symbols, and what a password field takes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyName } from '../../hal/contract';
import { MultiTapEntry, NAME_LETTERS, URL_LETTERS, type KeyLetters } from '../../firmware/ui/multi-tap-entry';
import { keypadSteps } from '../helpers/keypad-text';

/** A manual clock for the multi-tap pause. */
function timers() {
  let pending: (() => void) | null = null;
  return {
    schedule: (_ms: number, fn: () => void) => { pending = fn; return () => { pending = null; }; },
    pause: () => { const fn = pending; pending = null; fn?.(); },
  };
}

function typeInto(entry: MultiTapEntry, text: string, modeKey: () => void, pause: () => void): void {
  for (const step of keypadSteps(text, entry.mode, 'soft3', NAME_LETTERS)) {
    if (typeof step === 'object') pause();
    else if (step === 'soft3') modeKey();
    else entry.key(step as KeyName);
  }
  entry.commit();
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

for (const [name, letters] of [['NAME_LETTERS', NAME_LETTERS], ['URL_LETTERS', URL_LETTERS]] as [string, KeyLetters][]) {
  test(`${name}: every printable ASCII character is on a key (letters in both cases)`, () => {
    const all = Object.values(letters).join('');
    for (const ch of PRINTABLE) assert.ok(all.includes(ch.toLowerCase()), `missing ${JSON.stringify(ch)}`);
  });
}

test('the mode key goes abc → ABC → 123 → abc and is labelled with the next mode', () => {
  const t = timers();
  const e = new MultiTapEntry('', 'abc', t.schedule);
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    seen.push(`${e.mode}>${e.nextModeLabel()}`);
    e.nextMode();
  }
  assert.equal(seen, ['abc>ABC', 'ABC>123', '123>abc']);
  assert.is(e.mode, 'abc');
});

test('ABC types capitals, abc small letters, 123 digits; symbols on 1 and 0', () => {
  const t = timers();
  const e = new MultiTapEntry('', 'ABC', t.schedule);
  for (const k of ['2', '2'] as KeyName[]) e.key(k);
  assert.is(e.value(), 'B', 'the cycled letter is a capital');
  e.nextMode(); // 123
  e.key('2');
  e.nextMode(); // abc
  e.key('2');
  e.key('1');
  assert.is(e.value(), 'B2a.');
});

test('a password like "Ab3$x!" or "Zz 9#*~" is typed exactly (a pause between two letters on one key)', () => {
  for (const text of ['Ab3$x!', 'Zz 9#*~', 'aa{}[]\\`"\'']) {
    const t = timers();
    const e = new MultiTapEntry('', '123', t.schedule, () => {}, 64, NAME_LETTERS, { literalStarHash: true });
    typeInto(e, text, () => e.nextMode(), t.pause);
    assert.is(e.value(), text);
  }
});

test('without literal * and #: * deletes, # types # only in 123 mode', () => {
  const t = timers();
  const e = new MultiTapEntry('12', '123', t.schedule);
  e.key('*');
  e.key('#');
  assert.is(e.value(), '1#');
  e.nextMode();
  e.key('#');
  assert.is(e.value(), '1#');
});

test.run();
