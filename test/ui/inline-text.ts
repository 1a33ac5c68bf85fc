/**
 * Finds text a person would read written inline in firmware source: the
 * string literals of a file (template parts joined at their `${}`), minus
 * comments, imports, catalog lookups (`t('key')`, `tLabel('prefix', 'label')`)
 * and what is not UI text (log lines, parameter descriptions, errors thrown).
 */

/** The string literals of `source`, each with its line; a template's text parts joined by `{}`. */
export function stringLiterals(source: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let i = 0;
  let line = 1;
  const step = () => { if (source[i] === '\n') line++; i++; };
  const readQuoted = (q: string): string => {
    let s = '';
    step();
    while (i < source.length && source[i] !== q) {
      if (source[i] === '\\') { s += source[i + 1]; step(); step(); continue; }
      if (source[i] === '\n') break;
      s += source[i];
      step();
    }
    step();
    return s;
  };
  // Code until the `}` closing a template's `${`, with its own literals collected.
  const skipExpression = (): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      if (c === '}' && depth === 0) { step(); return; }
      if (c === '{') depth++;
      if (c === '}') depth--;
      if (c === "'" || c === '"' || c === '`') { readLiteral(); continue; }
      step();
    }
  };
  const readTemplate = (): string => {
    let s = '';
    step();
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') { s += source[i + 1]; step(); step(); continue; }
      if (source[i] === '$' && source[i + 1] === '{') { step(); step(); skipExpression(); s += '{}'; continue; }
      s += source[i];
      step();
    }
    step();
    return s;
  };
  function readLiteral(): void {
    const at = line;
    const q = source[i];
    out.push({ text: q === '`' ? readTemplate() : readQuoted(q), line: at });
  }
  while (i < source.length) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') { while (i < source.length && source[i] !== '\n') step(); continue; }
    if (c === '/' && source[i + 1] === '*') { while (i < source.length && !(source[i] === '*' && source[i + 1] === '/')) step(); step(); step(); continue; }
    // A regular expression literal (after `(`, `,`, `=`, `!`, `&`, `|`, `?`, `:` or `;`): skipped, its quotes are not strings.
    if (c === '/' && /[(,=!&|?:;]\s*$/.test(source.slice(Math.max(0, i - 20), i))) {
      step();
      while (i < source.length && source[i] !== '/' && source[i] !== '\n') { if (source[i] === '\\') step(); step(); }
      step();
      continue;
    }
    if (c === "'" || c === '"' || c === '`') { readLiteral(); continue; }
    step();
  }
  return out;
}

/**
 * Lines that are not UI text: imports, log lines, parameter descriptions,
 * thrown errors, declared labels (menu entries, wizard steps, the menu
 * named in the password audit): those are catalog keys, shown through tLabel;
 * and security audit records, English by design (a service hands the screen
 * a catalog message and audits its English text, firmware/ui/i18n/messages.ts).
 */
const NOT_UI = /^\s*import\b|\b[aA][uU][dD][iI][tT]\w*\b(?!')|\blog\w*\.(debug|info|notice|warning|warn|error)\(|\.component\(|\bdescription:|\bthrow\b|new Error\(|\baccess: '|^export const (WIZARD_STEPS|STATUS_PAGE_PATH)\b|tryMenuPassword\(/;

/** Where a line hands text to the screen. */
const UI_SINK = /\b(title|lines|softKeys|status):|\blines\.push\(|new (MessageScreen|PasswordScreen)\(|\bthis\.(status|error) =|\b(flags|entries)\.get\(/;

/** Text a person reads: words with a space, a capitalised word, or a parenthesised note; not ids, keys or paths. */
function readable(text: string): boolean {
  if (/^[\w.:{}~\/-]*$/.test(text) && !/^[A-Z]/.test(text)) return false; // ids, keys, event and file names
  const bare = text.replace(/\{\}/g, ' ').trim();
  if (!/[A-Za-z]{2,}/.test(bare)) return false;
  if (/^[a-z][\w.-]*$/.test(bare)) return false; // ids, keys, setting names
  return /[A-Za-z]{2,}[^\w{}]+[A-Za-z]{2,}/.test(bare) || /^[A-Z][a-z]+\b/.test(bare) || /^\(.*[a-z]{2,}/.test(bare);
}

/** The inline UI text of a file's source (its line and text). */
export function inlineText(source: string): string[] {
  const lines = source.split('\n');
  const lookups = /\bt\(\s*(['`])[\w.]+\1|\btLabel\(\s*'[\w.]+',\s*'[^']*'\)|\bt\(\s*[^)]*\?\s*'[\w.]+'\s*:\s*'[\w.]+'/g;
  // A literal compared (`step === 'Language'`) is not shown.
  const compared = /([!=]==\s*)'[^'\n]*'/g;
  return stringLiterals(source.replace(lookups, (m) => m.replace(/['`]/g, '#')).replace(compared, '$1#'))
    .filter((s) => {
      const line = lines[s.line - 1] ?? '';
      if (NOT_UI.test(line) || !readable(s.text)) return false;
      // Lower-case phrases elsewhere are timer names and log text continued from the line above.
      return !/^[a-z{]/.test(s.text) || UI_SINK.test(line);
    })
    .map((s) => `${s.line}: ${s.text}`);
}

/** A file that shows something: it implements Screen, builds a ScreenText, or hands text to a message, password or status line. */
export function showsText(source: string): boolean {
  return /implements Screen\b|\bScreenText\b|new (MessageScreen|PasswordScreen)\(|addStatusLine\(|showError\(|setLogin\(|setLines\(/.test(source);
}
