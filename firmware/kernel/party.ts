/**
 * Party data in log lines (docs/logging.md, "Redaction"): a module that puts a
 * phone number, SIP address, display name or user ID into a log line wraps it
 * in `party(value, kind)`. The mark travels inside the text to the logger's
 * filter (firmware/logs/log-redaction.ts), which turns it into a keyed token,
 * or shows the value plainly while an admin's clear-party window is open.
 * Marking is structural: no guessing over free text (the regex safety net
 * there only catches what came unmarked from outside). Without a filter
 * (early boot) a marked value is withheld, never shown.
 */
import { cutLogValue } from './log-line-safety';

/** Opens a marked value; the next character is its kind code. */
export const PARTY_OPEN = '\u0001';
export const PARTY_CLOSE = '\u0002';

/** `number`: a phone number; `user`: a user ID or account; `name`: a display name; `address`: a number or SIP/tel URI. */
export type PartyKind = 'number' | 'user' | 'name' | 'address';

const KIND_CODE: Record<PartyKind, string> = { number: 'n', user: 'u', name: 'a', address: 'r' };
const CODE_KIND: Record<string, PartyKind> = { n: 'number', u: 'user', a: 'name', r: 'address' };

/** Longest party value kept (longer ones are cut, their length shown): nothing a SIP phone accepts is longer. */
export const PARTY_VALUE_MAX = 256;

/** Mark `value` as party data of `kind` for the log line it is interpolated into. */
export function party(value: string, kind: PartyKind): string {
  const clean = String(value).replace(/[\u0001\u0002]/g, '');
  return PARTY_OPEN + KIND_CODE[kind] + cutLogValue(clean, PARTY_VALUE_MAX) + PARTY_CLOSE;
}

/** Every marked value of `text`; `show` says what replaces it. */
export function replaceParties(text: string, show: (value: string, kind: PartyKind) => string): string {
  if (text.indexOf(PARTY_OPEN) < 0) return text;
  return text.replace(/\u0001([nuar])([^\u0001\u0002]*)\u0002/g, (_m, code: string, value: string) => show(value, CODE_KIND[code]));
}
