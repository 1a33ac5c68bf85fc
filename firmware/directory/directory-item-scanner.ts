/**
 * Directory files read item by item, without a document tree: a 10,000-entry
 * global file (≈ 1 MiB of XML) would take several MiB as a parsed tree, more
 * than the phone's heap holds. The whole text is first checked well-formed
 * (a file that is not XML is refused whole, nothing loaded); then the scanner
 * walks the tags and hands each `<item>` under `<directory><item_list>` to the
 * XML library alone, so at most one item's tree lives at a time.
 *
 * Each item is known by the offset of its `<` in the text: a caller that
 * keeps only offsets (the merge) reads an item again with `itemAt`.
 */
import { validate } from 'fast-xml-parser/src/validator';
import XMLParser from 'fast-xml-parser/src/xmlparser/XMLParser';
import { readDirectoryItem, type ItemReading } from './directory-item';

const itemParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

interface Tag {
  kind: 'open' | 'close' | 'empty' | 'other';
  name: string;
  /** Offset just past the tag's `>`. */
  end: number;
}

/** The markup starting at `lt` (a `<` of a well-formed text). */
function tagAt(text: string, lt: number): Tag {
  const after = (marker: string, from: number) => {
    const i = text.indexOf(marker, from);
    return i < 0 ? text.length : i + marker.length;
  };
  if (text.startsWith('<!--', lt)) return { kind: 'other', name: '', end: after('-->', lt + 4) };
  if (text.startsWith('<![CDATA[', lt)) return { kind: 'other', name: '', end: after(']]>', lt + 9) };
  if (text.startsWith('<?', lt)) return { kind: 'other', name: '', end: after('?>', lt + 2) };
  if (text.startsWith('<!', lt)) {
    const bracket = text.indexOf('[', lt);
    const close = text.indexOf('>', lt);
    return { kind: 'other', name: '', end: bracket >= 0 && bracket < close ? after(']>', bracket) : after('>', lt) };
  }
  if (text[lt + 1] === '/') {
    const end = after('>', lt);
    return { kind: 'close', name: text.slice(lt + 2, end - 1).trim(), end };
  }
  let i = lt + 1;
  while (i < text.length && !/[\s/>]/.test(text[i])) i++;
  const name = text.slice(lt + 1, i);
  // Attribute values may hold '>' or '/': skip quoted runs.
  let quote = '';
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quote) { if (ch === quote) quote = ''; }
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') break;
  }
  return { kind: text[i - 1] === '/' ? 'empty' : 'open', name, end: i + 1 };
}

/** Offset just past the element opened by `open` (its matching close tag). */
function elementEnd(text: string, open: Tag): number {
  if (open.kind === 'empty') return open.end;
  let depth = 1;
  let i = open.end;
  while (depth > 0) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return text.length;
    const t = tagAt(text, lt);
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close') depth--;
    i = t.end;
  }
  return i;
}

/** The item element starting at `at`, read as directory-item.ts reads it. */
export function itemAt(text: string, at: number): ItemReading {
  const open = tagAt(text, at);
  if (open.kind === 'empty') return readDirectoryItem('');
  let doc: any;
  try {
    doc = itemParser.parse(text.slice(at, elementEnd(text, open)));
  } catch (e) {
    return { contact: null, reason: `unreadable item (${(e as Error).message}): dropped` };
  }
  return readDirectoryItem(doc?.item);
}

export type ScanResult = { ok: true } | { ok: false; error: string };

/**
 * Check `text` is a directory file, then call `visit` with the offset of each
 * item in file order. Nothing is visited when the file is refused.
 */
export function scanDirectoryItems(text: string, visit: (at: number) => void): ScanResult {
  if (text.indexOf('\uFFFD') >= 0) return { ok: false, error: 'not valid UTF-8 (undecodable bytes)' };
  const valid = validate(text);
  if (valid !== true) return { ok: false, error: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  const path: string[] = [];
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const t = tagAt(text, lt);
    i = t.end;
    if (t.kind === 'close') { path.pop(); continue; }
    if (t.kind === 'other') continue;
    if (path.length === 0 && t.name !== 'directory') return { ok: false, error: 'no <directory> root element' };
    if (t.name === 'item' && path.length === 2 && path[1] === 'item_list') {
      visit(lt);
      i = elementEnd(text, t);
      continue;
    }
    if (t.kind === 'open') path.push(t.name);
    else if (path.length === 0) break;
  }
  return { ok: true };
}
