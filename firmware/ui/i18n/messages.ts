/**
 * UI text from the message catalogs, in the language of `lcl.ml.lang`
 * (English, German, Chinese; English for anything a catalog leaves out).
 * One language for the whole phone, held here so every screen reads it
 * without being handed it; the UI module sets it from configuration.
 */
import { EN, type Catalog, type MessageKey } from './catalog-en';
import { germanCatalog } from './catalog-de';
import { chineseCatalog } from './catalog-zh';

export type { MessageKey } from './catalog-en';

export interface Language {
  /** ISO 639-1 code. */
  code: 'en' | 'de' | 'zh';
  /** Polycom's `lcl.ml.lang` value for it. */
  polycom: string;
  /** The language's own name (what the language screen lists). */
  name: string;
  readonly catalog: Catalog;
}

/**
 * A language whose catalog is built the first time it is read: each catalog
 * is some 10 KiB of heap (an object of ~300 properties and its shape), and
 * most phones only ever show English (the fallback, always there).
 */
function translated(code: Language['code'], polycom: string, name: string, build: () => Catalog): Language {
  let catalog: Catalog | null = null;
  return { code, polycom, name, get catalog() { return (catalog ??= build()); } };
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', polycom: 'English_United_States', name: 'English', catalog: EN },
  translated('de', 'Deutsch_Deutschland', 'Deutsch', germanCatalog),
  translated('zh', 'Chinese_China', '中文', chineseCatalog),
];

let current: Language = LANGUAGES[0];

/**
 * The language a `lcl.ml.lang` value names: a code (`de`), or a Polycom name (`Deutsch_Deutschland`) of
 * any region of one of our languages (`English_United_Kingdom` is English); null when we have none of it.
 */
export function languageOf(value: string): Language | null {
  const v = value.trim().toLowerCase();
  if (!v) return LANGUAGES[0];
  const exact = LANGUAGES.find((l) => l.code === v || l.polycom.toLowerCase() === v);
  if (exact) return exact;
  const family = v.split('_')[0];
  return LANGUAGES.find((l) => l.polycom.toLowerCase().split('_')[0] === family) ?? null;
}

export function setLanguage(language: Language): void {
  current = language;
}

export function currentLanguage(): Language {
  return current;
}

/** The text of `key` in the current language (English when it has none), `{name}` filled from `values`. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return fill(current.catalog[key] ?? EN[key], values, current.catalog);
}

/**
 * What a service (directory, authentication) hands a screen instead of text:
 * a catalog key and its values, a value possibly a message itself (a field's
 * name). The screen shows it in the phone's language (`shown`); logs and the
 * security audit record it in English (`inEnglish`), so records stay the same
 * whatever language the screen speaks.
 */
export interface Message {
  key: MessageKey;
  values?: Record<string, string | number | Message>;
}

export function message(key: MessageKey, values?: Message['values']): Message {
  return values ? { key, values } : { key };
}

/** A service's message as the screen shows it, in the phone's language. */
export function shown(m: Message): string {
  return fill(current.catalog[m.key] ?? EN[m.key], m.values ?? {}, current.catalog);
}

/** A service's message for logs and audit records: English, whatever the phone's language. */
export function inEnglish(m: Message): string {
  return fill(EN[m.key], m.values ?? {}, EN);
}

function fill(text: string, values: Record<string, string | number | Message>, catalog: Catalog): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in values)) return m;
    const v = values[name];
    return typeof v === 'object' ? fill(catalog[v.key] ?? EN[v.key], v.values ?? {}, catalog) : String(v);
  });
}

/** A declared label (menu entry, wizard step) in the current language, under `prefix` + label; the label itself when no catalog has it. */
export function tLabel(prefix: 'menu.' | 'wizard.step.', label: string): string {
  const key = (prefix + label) as MessageKey;
  return key in EN ? t(key) : label;
}
