/**
 * Directory files read item by item, without a document tree: a 10,000-entry
 * global file (≈ 1 MiB of XML) would take several MiB as a parsed tree, more
 * than the phone's heap holds, and seconds of QuickJS time through a
 * character-by-character parser. Here the work is done by the engine's
 * native string search (indexOf, sticky regular expressions):
 *
 * - `scanDirectoryItems` checks the whole text is well-formed XML with a
 *   `<directory>` root (else the file is refused whole, nothing visited) and
 *   then visits the offset of each `<item>` under `<directory><item_list>`;
 * - `itemAt` reads one item's fields, as the XML library would give them
 *   (text trimmed, entities decoded, a field with child elements or given
 *   twice is not text), for directory-item.ts to judge.
 *
 * A caller that keeps only offsets (the merge) reads an item again with `itemAt`.
 */
import { readDirectoryItem, type ItemReading } from './directory-item';
import { eachStepwise, runToEnd, type Stepwise } from './stepwise';

const NAME = /[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9_.:\u00b7-\uffff]*/y;
/** Attributes, then the end of a start tag; group 1 is "/" for an empty element. */
const TAG_REST = /(?:\s+[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9_.:\u00b7-\uffff]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*(\/?)>/y;
const CLOSE_REST = /\s*>/y;
const ENTITY = /&(?:[A-Za-z_][A-Za-z0-9_.-]*|#[0-9]+|#x[0-9A-Fa-f]+);/y;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export type ScanResult = { ok: true } | { ok: false; error: string };

function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function nameAt(text: string, pos: number): string | null {
  NAME.lastIndex = pos;
  const m = NAME.exec(text);
  return m ? m[0] : null;
}

/**
 * Check `text` is a well-formed directory file, then call `visit` with the
 * offset of each item in file order. Nothing is visited when it is refused.
 */
export function scanDirectoryItems(text: string, visit: (at: number) => void): ScanResult {
  return runToEnd(scanDirectoryItemsStepwise(text, visit));
}

/** Markup constructs checked, and items visited, per step of a stepwise scan. */
const SCAN_STEP = 1500;
const VISIT_STEP = 250;

/** `scanDirectoryItems` in bounded steps (stepwise.ts). */
export function* scanDirectoryItemsStepwise(text: string, visit: (at: number) => void): Stepwise<ScanResult> {
  if (text.indexOf('\uFFFD') >= 0) return { ok: false, error: 'not valid UTF-8 (undecodable bytes)' };
  const bad = (what: string, pos: number): ScanResult => ({ ok: false, error: `malformed XML: ${what} (line ${lineOf(text, pos)})` });
  const stack: string[] = [];
  const items: number[] = [];
  let root: string | null = null;
  let i = 0;
  // The next '&' of the text, found once: searching from every text run would rescan the file's tail each time.
  let amp = text.indexOf('&');
  let steps = 0;
  for (;;) {
    if (++steps % SCAN_STEP === 0) yield;
    const lt = text.indexOf('<', i);
    const to = lt < 0 ? text.length : lt;
    if (stack.length === 0) {
      if (text.slice(i, to).trim() !== '') return bad('text outside the root element', i);
    }
    if (amp >= 0 && amp < i) amp = text.indexOf('&', i);
    while (amp >= 0 && amp < to) {
      ENTITY.lastIndex = amp;
      if (!ENTITY.test(text) || ENTITY.lastIndex > to) return bad('"&" that starts no entity', amp);
      amp = text.indexOf('&', amp + 1);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return bad('unclosed comment', lt);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0 || stack.length === 0) return bad('CDATA outside an element or unclosed', lt);
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return bad('unclosed processing instruction', lt);
      i = end + 2;
    } else if (text.startsWith('<!', lt)) {
      if (root !== null) return bad('declaration inside the document', lt);
      const bracket = text.indexOf('[', lt);
      const close = text.indexOf('>', lt);
      if (close < 0) return bad('unclosed declaration', lt);
      const end = bracket >= 0 && bracket < close ? text.indexOf(']>', bracket) : close - 1;
      if (end < 0) return bad('unclosed declaration', lt);
      i = end + 2;
    } else if (text[lt + 1] === '/') {
      const name = nameAt(text, lt + 2);
      const top = stack.pop();
      if (name === null || name !== top) return bad(top === undefined ? `closing tag </${name}> without an opening one` : `</${name ?? ''}> where </${top}> was expected`, lt);
      CLOSE_REST.lastIndex = lt + 2 + name.length;
      if (!CLOSE_REST.test(text)) return bad(`bad closing tag </${name}>`, lt);
      i = CLOSE_REST.lastIndex;
    } else {
      const name = nameAt(text, lt + 1);
      if (name === null) return bad('"<" that starts no tag', lt);
      TAG_REST.lastIndex = lt + 1 + name.length;
      const rest = TAG_REST.exec(text);
      if (!rest) return bad(`bad tag <${name}>`, lt);
      if (stack.length === 0) {
        if (root !== null) return bad('more than one root element', lt);
        root = name;
      }
      if (name === 'item' && stack.length === 2 && stack[0] === 'directory' && stack[1] === 'item_list') items.push(lt);
      if (rest[1] !== '/') stack.push(name);
      i = TAG_REST.lastIndex;
    }
  }
  if (stack.length) return bad(`<${stack[stack.length - 1]}> not closed`, text.length);
  if (root !== 'directory') return { ok: false, error: 'no <directory> root element' };
  yield* eachStepwise(items, VISIT_STEP, visit);
  return { ok: true };
}

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Marks a field that is not text (child elements, or given twice). */
const NOT_TEXT = {};

/** The item element starting at `at` of a text `scanDirectoryItems` accepted, read as directory-item.ts reads it. */
export function itemAt(text: string, at: number): ItemReading {
  TAG_REST.lastIndex = at + 5;
  const open = TAG_REST.exec(text);
  if (!open || open[1] === '/') return readDirectoryItem('');
  const fields: Record<string, unknown> = {};
  let any = false;
  let i = TAG_REST.lastIndex;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text[lt + 1] === '/') break; // </item>
    if (text[lt + 1] === '!' || text[lt + 1] === '?') {
      i = skipMarkup(text, lt);
      continue;
    }
    const name = nameAt(text, lt + 1)!;
    TAG_REST.lastIndex = lt + 1 + name.length;
    const rest = TAG_REST.exec(text)!;
    let value: unknown = '';
    i = TAG_REST.lastIndex;
    if (rest[1] !== '/') {
      const read = fieldText(text, i);
      value = read.value;
      i = read.end;
    }
    fields[name] = name in fields ? NOT_TEXT : value;
    any = true;
  }
  return readDirectoryItem(any ? fields : '');
}

/** Offset after a comment, CDATA section or processing instruction at `lt`. */
function skipMarkup(text: string, lt: number): number {
  if (text.startsWith('<!--', lt)) return text.indexOf('-->', lt + 4) + 3;
  if (text.startsWith('<![CDATA[', lt)) return text.indexOf(']]>', lt + 9) + 3;
  return text.indexOf('>', lt) + 1;
}

/** A field's content from `from` (after its start tag) to its end tag: text, or NOT_TEXT when it holds elements. */
function fieldText(text: string, from: number): { value: unknown; end: number } {
  let value = '';
  let i = from;
  let depth = 0;
  let elements = false;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (depth === 0) value += decodeEntities(text.slice(i, lt));
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (depth === 0) value += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text[lt + 1] === '!' || text[lt + 1] === '?') i = skipMarkup(text, lt);
    else if (text[lt + 1] === '/') {
      i = text.indexOf('>', lt) + 1;
      if (depth === 0) return { value: elements ? NOT_TEXT : value.trim(), end: i };
      depth--;
    } else {
      elements = true;
      const inner = nameAt(text, lt + 1)!;
      TAG_REST.lastIndex = lt + 1 + inner.length;
      const rest = TAG_REST.exec(text)!;
      if (rest[1] !== '/') depth++;
      i = TAG_REST.lastIndex;
    }
  }
}
