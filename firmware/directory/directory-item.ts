/**
 * One `<item>` of a directory file from the server, read the way admins of
 * existing fleets expect (docs/directory.md, "Items a file gets wrong"): a
 * name or label too long is cut at a character boundary, a bad optional field
 * is dropped, an item without a usable contact number is dropped. Each change
 * comes back as a note for the log; notes never quote names or numbers (party
 * data), only field names and short setting values.
 */
import { CONTACT_FIELDS, FIELD_MAX_BYTES, MAX_SPEED_DIAL, cleanContact, truncateUtf8, utf8Length, type Contact, type ContactField } from './contact';

export type ItemReading =
  | { contact: Contact; notes: string[] }
  | { contact: null; reason: string };

/** Free text: cut to the limit instead of dropped. */
const CUT_FIELDS: readonly ContactField[] = ['fn', 'ln', 'lb'];
const FLAGS: readonly ContactField[] = ['ad', 'ar', 'bw', 'bb'];

/** A setting's value as a log line may show it: short printable ASCII quoted, anything else by its length. */
function shown(value: string): string {
  return /^[\x20-\x7e]{0,12}$/.test(value) ? `"${value}"` : `of ${value.length} characters`;
}

function settingProblem(field: ContactField, v: string): string | null {
  if (field === 'sd' && !(/^\d{1,4}$/.test(v) && Number(v) >= 1)) return `sd ${shown(v)} is not 1–${MAX_SPEED_DIAL}`;
  if (field === 'rt' && !(/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 21)) return `rt ${shown(v)} is not 1–21`;
  if (FLAGS.includes(field) && v !== '0' && v !== '1') return `${field} ${shown(v)} is not 0 or 1`;
  return null;
}

/** `item` as the XML parser gives it (an object of element texts, or '' for `<item/>`). */
export function readDirectoryItem(item: unknown): ItemReading {
  if (!item || typeof item !== 'object') return { contact: null, reason: 'empty item (no ct): dropped' };
  const fields = item as Record<string, unknown>;
  const raw: Partial<Record<ContactField, string>> = {};
  const notes: string[] = [];
  for (const f of CONTACT_FIELDS) {
    const v = fields[f];
    if (v === undefined || v === '') continue;
    if (typeof v === 'object') {
      if (f === 'ct') return { contact: null, reason: 'ct is not text: dropped' };
      notes.push(`${f} is not text: field dropped`);
      continue;
    }
    let text = String(v);
    const max = FIELD_MAX_BYTES[f];
    if (max !== undefined && utf8Length(text) > max) {
      const bytes = utf8Length(text);
      if (f === 'ct') return { contact: null, reason: `ct of ${bytes} bytes is longer than ${max}: dropped` };
      if (!CUT_FIELDS.includes(f)) {
        notes.push(`${f} of ${bytes} bytes is longer than ${max}: field dropped`);
        continue;
      }
      text = truncateUtf8(text, max);
      notes.push(`${f} of ${bytes} bytes cut to ${utf8Length(text)} (limit ${max})`);
    }
    const problem = settingProblem(f, text);
    if (problem) {
      notes.push(`${problem}: field dropped`);
      continue;
    }
    raw[f] = text;
  }
  if (!raw.ct || !raw.ct.trim()) return { contact: null, reason: 'no contact number (ct): dropped' };
  if (raw.ad === '1' && !(raw.dc ?? '').trim()) {
    delete raw.ad;
    notes.push('ad=1 without a divert contact (dc): ad dropped');
  }
  return { contact: cleanContact(raw), notes };
}
