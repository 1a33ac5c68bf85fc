/**
 * Directory files (`<directory><item_list><item>…`) read and written with the
 * project's XML library. A file that is not a directory file (not XML, not
 * UTF-8, wrong root) is refused whole, so the caller keeps its last good
 * directory; in a directory file each item stands alone: valid items load,
 * a bad one is cut, loses a field or is dropped (directory-item.ts), and the
 * reading lists every such problem by item number (1-based, in file order).
 */
import { escapeXml } from '../kernel/xml-escape';
import { CONTACT_FIELDS, contactIdentity, type Contact } from './contact';
import { itemAt, scanDirectoryItemsStepwise } from './directory-item-scanner';
import { IdentitySet } from './identity-set';
import { SpeedDialOwners } from './speed-dial-owners';
import { runToEnd, type Stepwise } from './stepwise';

/** What reading a directory file found, besides its contacts. */
export interface DirectoryCount {
  ok: true;
  /** Items in the file. */
  items: number;
  /** Items not loaded (bad, duplicate, over the limit). */
  dropped: number;
  /** Items loaded with a field cut or dropped. */
  changed: number;
  /** One line per item with a problem (`item N: …`), plus one for the items over the limit. */
  problems: string[];
}

export interface DirectoryReading extends DirectoryCount {
  contacts: Contact[];
}

export type ParsedDirectory = DirectoryReading | { ok: false; error: string };
export type CountedDirectory = DirectoryCount | { ok: false; error: string };

/** Read a directory file; at most `maxEntries` contacts: the first valid ones, in file order. */
export function parseDirectoryXml(text: string, maxEntries: number): ParsedDirectory {
  const contacts: Contact[] = [];
  const counted = readDirectoryXml(text, maxEntries, (c) => { contacts.push(c); });
  return counted.ok ? { ...counted, contacts } : counted;
}

/**
 * Read a directory file item by item (directory-item-scanner.ts): `accept`
 * gets each contact that loads, with the offset of its item in `text`
 * (`itemAt` reads it again), so a caller need not hold them all.
 */
export function readDirectoryXml(text: string, maxEntries: number, accept: (c: Contact, at: number) => void): CountedDirectory {
  return runToEnd(readDirectoryXmlStepwise(text, maxEntries, accept));
}

/** `readDirectoryXml` in bounded steps (stepwise.ts): a merge spread over events. */
export function* readDirectoryXmlStepwise(text: string, maxEntries: number, accept: (c: Contact, at: number) => void): Stepwise<CountedDirectory> {
  const reading: DirectoryCount = { ok: true, items: 0, dropped: 0, changed: 0, problems: [] };
  // Both held for the whole pass: compact (a 10,000-entry file's Maps of strings were a third of the pass's heap).
  const seen = new IdentitySet();
  const identityOfItem = (at: number): string | null => {
    const earlier = itemAt(text, at).contact;
    return earlier ? contactIdentity(earlier.ct) : null;
  };
  const speedDials = new SpeedDialOwners();
  let loaded = 0;
  let firstOver = 0;
  const scan = yield* scanDirectoryItemsStepwise(text, (at) => {
    const n = ++reading.items;
    if (loaded >= maxEntries) {
      if (!firstOver) firstOver = n;
      reading.dropped++;
      return;
    }
    const item = itemAt(text, at);
    if (!item.contact) {
      reading.dropped++;
      reading.problems.push(`item ${n}: ${item.reason}`);
      return;
    }
    const c = item.contact;
    const notes = item.notes;
    const dup = seen.firstOrAdd(contactIdentity(c.ct), n, at, identityOfItem);
    if (dup !== 0) {
      // The first item with a number wins; the later one would hide it in the merge.
      reading.dropped++;
      reading.problems.push(`item ${n}: ct duplicates item ${dup}: dropped`);
      return;
    }
    if (c.sd) {
      const other = speedDials.claim(c.sd, n);
      if (other !== 0) {
        notes.push(`sd ${c.sd} already belongs to item ${other}: sd dropped`);
        delete c.sd;
      }
    }
    if (notes.length) {
      reading.changed++;
      reading.problems.push(`item ${n}: ${notes.join('; ')}`);
    }
    loaded++;
    accept(c, at);
  });
  if (!scan.ok) return scan;
  if (firstOver) {
    const over = reading.items - firstOver + 1;
    reading.problems.push(`${over === 1 ? `item ${firstOver}` : `items ${firstOver}–${reading.items}: ${over}`} over the limit of ${maxEntries} contacts: dropped`);
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
