/**
 * Short forms of soft key labels and titles, for a display too narrow for
 * them (desk-99's 132 pixels: four soft keys share 22 characters). The
 * catalog gives a text's short form under its key plus `.short`, written per
 * language as a real phone's abbreviations are ("Annehm.", "Lokal (3/99)").
 * The renderer uses it only where the full text does not fit, instead of
 * cutting it; a text with no short form is still cut and marked.
 */
import { EN, type MessageKey } from './catalog-en';
import { currentLanguage, type Language } from './messages';

interface ShortForm {
  /** The full text in the current language, its placeholders captured. */
  pattern: RegExp;
  names: string[];
  short: string;
}

const SHORT = '.short';
let cached: { language: Language; forms: ShortForm[] } | null = null;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function forms(): ShortForm[] {
  const language = currentLanguage();
  if (cached?.language === language) return cached.forms;
  const out: ShortForm[] = [];
  for (const key of Object.keys(EN) as MessageKey[]) {
    if (!key.endsWith(SHORT)) continue;
    const base = key.slice(0, -SHORT.length) as MessageKey;
    // A language that translates the text but not its short form has none (English's would mix languages).
    const translated = language.catalog[base] !== undefined;
    const short = language.catalog[key] ?? (translated ? undefined : EN[key]);
    if (short === undefined) continue;
    const names: string[] = [];
    const parts = (language.catalog[base] ?? EN[base]).split(/\{(\w+)\}/);
    const source = parts.map((part, i) => (i % 2 === 1 ? (names.push(part), '(.*?)') : escapeRegExp(part))).join('');
    out.push({ pattern: new RegExp(`^${source}$`), names, short });
  }
  cached = { language, forms: out };
  return out;
}

/** The short form of a text shown in the current language, with the same values filled in; null when it has none. */
export function shortFormOf(text: string): string | null {
  for (const f of forms()) {
    const m = f.pattern.exec(text);
    if (!m) continue;
    return f.short.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const i = f.names.indexOf(name);
      return i >= 0 ? m[i + 1] : placeholder;
    });
  }
  return null;
}
