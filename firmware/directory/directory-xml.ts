/**
 * Directory files (`<directory><item_list><item>…`) read and written with the
 * project's XML library. A file is taken whole or not at all: one bad item
 * refuses the file with a reason that names it, so the caller keeps its last
 * good directory.
 */
import { validate } from 'fast-xml-parser/src/validator';
import XMLParser from 'fast-xml-parser/src/xmlparser/XMLParser';
import { escapeXml } from '../kernel/xml-escape';
import { CONTACT_FIELDS, cleanContact, contactIdentity, contactProblem, type Contact, type ContactField } from './contact';

export type ParsedDirectory = { ok: true; contacts: Contact[] } | { ok: false; error: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name: string) => name === 'item',
});

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
  if (items.length > maxEntries) return { ok: false, error: `${items.length} entries, more than the ${maxEntries} allowed` };
  const contacts: Contact[] = [];
  const seen = new Map<string, number>();
  const speedDials = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item || typeof item !== 'object') return { ok: false, error: `item ${i + 1}: empty` };
    const raw: Partial<Record<ContactField, string>> = {};
    for (const f of CONTACT_FIELDS) {
      const v = (item as Record<string, unknown>)[f];
      if (v === undefined) continue;
      if (typeof v === 'object') return { ok: false, error: `item ${i + 1}: field ${f} is not text` };
      raw[f] = String(v);
    }
    const problem = contactProblem(raw);
    if (problem) return { ok: false, error: `item ${i + 1}: ${problem}` };
    const c = cleanContact(raw);
    const id = contactIdentity(c.ct);
    const dup = seen.get(id);
    if (dup !== undefined) return { ok: false, error: `item ${i + 1}: contact number ${c.ct} duplicates item ${dup}` };
    seen.set(id, i + 1);
    if (c.sd) {
      const other = speedDials.get(c.sd);
      if (other !== undefined) return { ok: false, error: `item ${i + 1}: speed dial ${c.sd} duplicates item ${other}` };
      speedDials.set(c.sd, i + 1);
    }
    contacts.push(c);
  }
  return { ok: true, contacts };
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
