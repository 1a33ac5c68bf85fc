/**
 * A contact of the local directory: the `<item>` of a Polycom-style directory
 * file, every field kept as text so nothing an admin wrote is lost when the
 * phone writes the file back. Limits are the spec's (DESIGN.md section 9).
 */
import { message, type Message, type MessageKey } from '../ui/i18n/messages';
import { personName } from '../ui/i18n/person-name';

/** Item fields in the order the phone writes them. */
export const CONTACT_FIELDS = ['fn', 'ln', 'ct', 'sd', 'lb', 'pt', 'rt', 'dc', 'ad', 'ar', 'bw', 'bb'] as const;
export type ContactField = typeof CONTACT_FIELDS[number];

export type Contact = { ct: string } & Partial<Record<ContactField, string>>;

/** Maximum length in UTF-8 bytes of each free-text field. */
export const FIELD_MAX_BYTES: Partial<Record<ContactField, number>> = { fn: 40, ln: 40, lb: 40, ct: 128, dc: 128, pt: 16 };
/** Fields that are 0/1 flags. */
const FLAGS: ContactField[] = ['ad', 'ar', 'bw', 'bb'];
export const MAX_SPEED_DIAL = 9999;

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes at a character boundary: a
 * character (a surrogate pair included) is kept whole or not at all.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (n + size > maxBytes) return text.slice(0, i);
    n += size;
    if (pair) i++;
  }
  return text;
}

/** Fields as the user knows them (the edit screen's labels), for messages shown on the phone. */
const FIELD_NAMES: Record<ContactField, MessageKey> = {
  fn: 'contact.field.fn', ln: 'contact.field.ln', ct: 'contact.field.ct', sd: 'contact.field.sd', lb: 'contact.field.lb', pt: 'contact.field.pt', rt: 'contact.field.rt',
  dc: 'contact.field.dc', ad: 'contact.field.ad', ar: 'contact.field.ar', bw: 'contact.field.bw', bb: 'contact.field.bb',
};

/** Why a contact is refused, in the user's words (a catalog message for the screen), or null when it is valid. */
export function contactProblem(c: Partial<Record<ContactField, string>>): Message | null {
  if (!c.ct || !c.ct.trim()) return message('contact.error.numberMissing');
  for (const f of CONTACT_FIELDS) {
    const v = c[f];
    if (v === undefined) continue;
    const max = FIELD_MAX_BYTES[f];
    if (max !== undefined && utf8Length(v) > max) return message('contact.error.tooLong', { field: message(FIELD_NAMES[f]) });
  }
  if (c.sd !== undefined && c.sd !== '' && !(/^\d{1,4}$/.test(c.sd) && Number(c.sd) >= 1)) return message('contact.error.speedDialRange', { max: MAX_SPEED_DIAL });
  if (c.rt !== undefined && c.rt !== '' && !(/^\d{1,2}$/.test(c.rt) && Number(c.rt) >= 1 && Number(c.rt) <= 21)) return message('contact.error.ringToneRange');
  for (const f of FLAGS) {
    const v = c[f];
    if (v !== undefined && v !== '' && v !== '0' && v !== '1') return message('contact.error.flag', { field: message(FIELD_NAMES[f]) });
  }
  if (c.ad === '1' && !(c.dc ?? '').trim()) return message('contact.error.divertNumber');
  return null;
}

/**
 * Identity of a contact for merging and for matching a caller: its contact
 * number, compared without a `sip:`/`sips:` scheme, URI parameters, spaces
 * or dashes, and case-insensitively (docs/directory.md).
 */
export function contactIdentity(ct: string): string {
  let s = ct.trim().toLowerCase();
  s = s.replace(/^sips?:/, '').replace(/[;?].*$/, '');
  if (/^[+\d\s().-]+(@|$)/.test(s)) s = s.replace(/[\s().-]/g, '');
  return s;
}

/** A caller's address compared with a contact: the identity, or the user part alone when the contact has no domain. */
export function identityCandidates(address: string): string[] {
  const id = contactIdentity(address);
  const at = id.indexOf('@');
  return at > 0 ? [id, id.slice(0, at)] : [id];
}

/** Name as shown: "First Last" (family name first in the languages that write it so), or the label, or the number. */
export function displayName(c: Contact): string {
  const name = personName(c.fn, c.ln);
  return name || c.lb || c.ct;
}

/** Sort key for `dir.search.field` (0: last name, 1: first name), lower-case; unnamed contacts sort by number. */
export function sortKey(c: Contact, byFirstName: boolean): string {
  const a = (byFirstName ? c.fn : c.ln) ?? '';
  const b = (byFirstName ? c.ln : c.fn) ?? '';
  const key = `${a.trim()} ${b.trim()}`.trim().toLowerCase();
  return (key || c.ct.toLowerCase()) + '\u0000' + contactIdentity(c.ct);
}

export function cleanContact(raw: Partial<Record<ContactField, string>>): Contact {
  const out: Partial<Record<ContactField, string>> = {};
  for (const f of CONTACT_FIELDS) {
    const v = raw[f];
    if (v !== undefined && v !== '') out[f] = f === 'ct' ? v.trim() : v;
  }
  return out as Contact;
}
