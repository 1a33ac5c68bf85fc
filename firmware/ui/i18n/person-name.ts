/**
 * A person's name as the current language writes it: given name first
 * (English, German), or family name first (Chinese, Japanese, Korean,
 * Hungarian). Chinese, Japanese and Korean names in their own script are
 * written without a space ("张伟"); others with one ("Kovács Anna").
 */
import { currentLanguage } from './messages';

const FAMILY_FIRST = ['zh', 'ja', 'ko', 'hu'];
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

export function familyNameFirst(code: string): boolean {
  return FAMILY_FIRST.includes(code);
}

export function personName(first: string | undefined, last: string | undefined, code: string = currentLanguage().code): string {
  const given = (first ?? '').trim();
  const family = (last ?? '').trim();
  if (!given || !family) return given || family;
  if (!familyNameFirst(code)) return `${given} ${family}`;
  return CJK.test(family) && CJK.test(given) ? family + given : `${family} ${given}`;
}
