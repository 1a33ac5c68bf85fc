/**
 * Log lines are safe to read (docs/logging.md, "Lines"): whatever a line
 * interpolates from outside (file content, caller IDs, user IDs) reaches the
 * log escaped and bounded, done once here for every line rather than by each
 * caller.
 *
 * - C0/C1 control characters, DEL, bidi embeddings/overrides/isolates and
 *   line/paragraph separators are written as `\xNN` / `\uNNNN`, so no text
 *   can move the cursor, recolour a terminal or reorder what a reader sees.
 *   Newlines become spaces (one event, one line).
 * - An unbroken value longer than LOG_VALUE_MAX characters is cut and ends
 *   with its total length, `…(300000 chars)`; a whole text is cut at
 *   LOG_TEXT_MAX the same way.
 */
// The party marks of ./party.ts (not imported: party.ts uses cutLogValue from here).
const PARTY_OPEN = '\u0001';
const PARTY_CLOSE = '\u0002';

/** Longest run of non-space characters kept in a line (a value: URI, caller ID, file name). */
export const LOG_VALUE_MAX = 512;
/** Longest text of one line (SIP message dumps at debug level are the longest legitimate lines). */
export const LOG_TEXT_MAX = 8192;

// Party marks (\u0001 kind … \u0002) end a run so a marked value is never cut in half.
const LONG_RUN = new RegExp(`[^\\s\\u0001\\u0002]{${LOG_VALUE_MAX + 1},}`, 'g');
const UNSAFE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const HAS_UNSAFE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** `value` cut to `max` characters plus `…(N chars)` when longer (never inside a surrogate pair). */
export function cutLogValue(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const c = value.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${value.slice(0, end)}…(${value.length} chars)`;
}

/** Long values and an over-long text cut, before anything else looks at the text. Party marks stay whole. */
export function boundLogText(text: string): string {
  let out = text.length > LOG_VALUE_MAX ? text.replace(LONG_RUN, (run) => cutLogValue(run, LOG_VALUE_MAX)) : text;
  if (out.length > LOG_TEXT_MAX) {
    let end = LOG_TEXT_MAX;
    // Never leave a mark open: its value would lose its closing and show.
    const open = out.lastIndexOf(PARTY_OPEN, end - 1);
    const close = open < 0 ? -1 : out.indexOf(PARTY_CLOSE, open);
    if (open >= 0 && (close < 0 || close >= end)) end = open;
    const c = out.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
    out = `${out.slice(0, end)}…(${out.length} chars)`;
  }
  return out;
}

/** Control and bidi characters escaped; CR/LF runs become one space. */
export function escapeLogText(text: string): string {
  let out = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replace(/[\r\n]+/g, ' ');
  if (!HAS_UNSAFE.test(out)) return out;
  out = out.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return out;
}
