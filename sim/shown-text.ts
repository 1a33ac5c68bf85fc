/**
 * Comparing a described text with what a test expects when the display may
 * have cut it: the text model marks a cut part by ending it in '…' (and
 * listing it in ScreenText.cut), so "Administration Settings" on the 132-pixel
 * display is described as "Administration Set…".
 */

/** `shown` is `text`, whole or cut with an ellipsis after at least `min` characters. */
export function showsText(shown: string, text: string, min = 4): boolean {
  if (shown === text) return true;
  if (!shown.endsWith('…')) return false;
  const kept = shown.slice(0, -1);
  return kept.length >= Math.min(min, text.length) && text.startsWith(kept);
}

/** `shown` contains `text`, or ends cut with an ellipsis after at least `min` characters of it. */
export function showsTextWithin(shown: string, text: string, min = 4): boolean {
  if (shown.includes(text)) return true;
  if (!shown.endsWith('…')) return false;
  const kept = shown.slice(0, -1);
  for (let k = Math.min(text.length, kept.length); k >= Math.min(min, text.length); k--) {
    if (kept.endsWith(text.slice(0, k))) return true;
  }
  return false;
}
