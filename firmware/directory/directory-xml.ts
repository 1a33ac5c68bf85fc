/**
 * Directory files (`<directory><item_list><item>…`) read and written with the
 * project's XML library. A file that is not a directory file (not XML, not
 * UTF-8, wrong root) is refused whole, so the caller keeps its last good
 * directory; in a directory file each item stands alone: valid items load,
 * a bad one is cut, loses a field or is dropped (directory-item.ts), and the
 * reading lists every such problem by item number (1-based, in file order).
 */
import { validate } from 'fast-xml-parser/src/validator';
import XMLParser from 'fast-xml-parser/src/xmlparser/XMLParser';
import { escapeXml } from '../kernel/xml-escape';
import { CONTACT_FIELDS, contactIdentity, type Contact } from './contact';
import { readDirectoryItem } from './directory-item';

export interface DirectoryReading {
  ok: true;
  contacts: Contact[];
  /** Items in the file. */
  items: number;
  /** Items not loaded (bad, duplicate, over the limit). */
  dropped: number;
  /** Items loaded with a field cut or dropped. */
  changed: number;
  /** One line per item with a problem (`item N: …`), plus one for the items over the limit. */
  problems: string[];
}

export type ParsedDirectory = DirectoryReading | { ok: false; error: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name: string) => name === 'item',
});

/** Read a directory file; at most `maxEntries` contacts: the first valid ones, in file order. */
export function parseDirectoryXml(text: string, maxEntries: number): ParsedDirectory {
  if (text.indexOf('\uFFFD') >= 0) return { ok: false, error: 'not valid UTF-8 (undecodable bytes)' };
  const valid = validate(text);
  if (valid !== true) return { ok: false, error: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: any;
  try {
    doc = parser.parse(text);
  } catch (e) {
    return { ok: false, error: `malformed XML: ${(e as Error).message}` };
  }
  const root = doc?.directory;
  if (root === undefined) return { ok: false, error: 'no <directory> root element' };
  const items: unknown[] = (root && typeof root === 'object' && root.item_list && typeof root.item_list === 'object' ? root.item_list.item : undefined) ?? [];
  const reading: DirectoryReading = { ok: true, contacts: [], items: items.length, dropped: 0, changed: 0, problems: [] };
  const seen = new Map<string, number>();
  const speedDials = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const n = i + 1;
    if (reading.contacts.length >= maxEntries) {
      const over = items.length - i;
      reading.dropped += over;
      reading.problems.push(`${over === 1 ? `item ${n}` : `items ${n}–${items.length}: ${over}`} over the limit of ${maxEntries} contacts: dropped`);
      break;
    }
    const item = readDirectoryItem(items[i]);
    if (!item.contact) {
      reading.dropped++;
      reading.problems.push(`item ${n}: ${item.reason}`);
      continue;
    }
    const c = item.contact;
    const notes = item.notes;
    const id = contactIdentity(c.ct);
    const dup = seen.get(id);
    if (dup !== undefined) {
      // The first item with a number wins; the later one would hide it in the merge.
      reading.dropped++;
      reading.problems.push(`item ${n}: ct duplicates item ${dup}: dropped`);
      continue;
    }
    seen.set(id, n);
    if (c.sd) {
      const other = speedDials.get(c.sd);
      if (other !== undefined) {
        notes.push(`sd ${c.sd} already belongs to item ${other}: sd dropped`);
        delete c.sd;
      } else speedDials.set(c.sd, n);
    }
    if (notes.length) {
      reading.changed++;
      reading.problems.push(`item ${n}: ${notes.join('; ')}`);
    }
    reading.contacts.push(c);
  }
  return reading;
}

/** The file as the phone writes it back: every field it holds, in the spec's order. */
export function serializeDirectoryXml(contacts: readonly Contact[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', '<directory>', ' <item_list>'];
  for (const c of contacts) {
    let item = '  <item>';
    for (const f of CONTACT_FIELDS) {
      const v = c[f];
      if (v !== undefined && v !== '') item += `<${f}>${escapeXml(v)}</${f}>`;
    }
    out.push(item + '</item>');
  }
  out.push(' </item_list>', '</directory>', '');
  return out.join('\n');
}
