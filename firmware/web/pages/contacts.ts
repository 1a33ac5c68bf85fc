/**
 * User > Contacts (`/user/contacts`, User and Admin): the local directory of
 * whoever owns it now (the logged-in user, else the phone) — personal
 * contacts merged over the global file, as the keypad's Local Directory shows
 * it — one page at a time, with search by the keypad's sort field; add, edit
 * and delete through the directory service the keypad uses (an edit of a
 * global contact becomes personal; delete is erase: the owner's directory is
 * re-keyed); export as the phone's own `<owner>-directory.xml`.
 *
 * `dir.local.readonly` refuses edits here as on the keypad. Names come from
 * users and servers and are shown as text (the html tag escapes them).
 */
import { CONTACT_FIELDS, displayName, type Contact, type ContactField } from '../../directory/contact';
import type { MergedEntry } from '../../directory/merged-directory';
import { utf8Encode } from '../../kernel/text-codec';
import { shown } from '../../ui/i18n/messages';
import { html, type Html } from '../html';
import { csrfField, type WebContext, type WebPages, type WebRequest, type WebResult } from '../web-page';

export const CONTACTS_PATH = '/user/contacts';
export const CONTACTS_EXPORT_PATH = '/user/contacts/export';
export const CONTACTS_PER_PAGE = 50;

/** The fields the form edits, with their labels; the others (ring tone, divert, buddy flags) are kept as they are. */
const EDITED_FIELDS: readonly { field: ContactField; label: string }[] = [
  { field: 'fn', label: 'First name' },
  { field: 'ln', label: 'Last name' },
  { field: 'ct', label: 'Number or SIP URI' },
  { field: 'lb', label: 'Label' },
  { field: 'sd', label: 'Speed dial' },
];

const field = (f: ContactField): string => `c.${f}`;

function readOnly(context: WebContext): boolean {
  return context.config.getBoolean('dir.local.readonly');
}

function ownerName(context: WebContext): string {
  return context.directory.service.currentUser() ? 'the logged-in user' : 'this phone';
}

function contactRow(request: WebRequest, e: MergedEntry, editable: boolean): Html {
  const c = e.c;
  return html`<tr><td>${displayName(c)}</td><td>${c.ct}</td><td>${c.lb ?? ''}</td><td>${c.sd ?? ''}</td><td>${e.o === 'p' ? 'personal' : 'global'}</td>
<td>${editable ? html`<a href="${CONTACTS_PATH}?edit=${encodeURIComponent(c.ct)}">Edit</a>` : ''}</td>
<td>${editable ? html`<form method="post" action="${CONTACTS_PATH}">${csrfField(request.session)}<input type="hidden" name="action" value="delete"><input type="hidden" name="ct" value="${c.ct}"><button type="submit">Delete</button></form>` : ''}</td></tr>`;
}

function contactForm(request: WebRequest, values: Partial<Contact>, previousCt: string | undefined, error?: string): Html {
  return html`<form method="post" action="${CONTACTS_PATH}" class="contact">${csrfField(request.session)}
<input type="hidden" name="action" value="save">${previousCt !== undefined ? html`<input type="hidden" name="previous" value="${previousCt}">` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<table class="form"><tbody>${EDITED_FIELDS.map((f) => html`<tr><th scope="row"><label for="${field(f.field)}">${f.label}</label></th><td><input type="text" id="${field(f.field)}" name="${field(f.field)}" value="${values[f.field] ?? ''}"></td></tr>`)}</tbody></table>
<p><button type="submit">${previousCt !== undefined ? 'Save' : 'Add contact'}</button>${previousCt !== undefined ? html` <a href="${CONTACTS_PATH}">Cancel</a>` : ''}</p></form>`;
}

function listPage(context: WebContext, request: WebRequest, error?: string, typed?: Partial<Contact>): WebResult {
  const service = context.directory.service;
  const search = request.query.search ?? '';
  const range = search ? service.search(search) : { start: 0, count: service.size() };
  const page = Math.max(0, Math.floor(Number(request.query.page) || 0));
  const first = range.start + page * CONTACTS_PER_PAGE;
  const last = Math.min(range.start + range.count, first + CONTACTS_PER_PAGE);
  const entries: MergedEntry[] = [];
  for (let pos = first; pos < last; pos++) {
    const e = service.entry(pos);
    if (e) entries.push(e);
  }
  const editable = !readOnly(context);
  const link = (p: number) => `${CONTACTS_PATH}?search=${encodeURIComponent(search)}&page=${p}`;
  const body = html`<p>Contacts of ${ownerName(context)}: ${service.size()} (${service.localCount()} personal). <a class="button" href="${CONTACTS_EXPORT_PATH}">Export</a> <small>(${service.personalFileName()}, the personal contacts in the format the phone uploads)</small></p>
${editable ? '' : html`<p class="notice">The directory is read-only (dir.local.readonly).</p>`}
<form method="get" action="${CONTACTS_PATH}"><label>Search <input type="search" name="search" value="${search}"></label> <button type="submit">Search</button></form>
${entries.length === 0 ? html`<p>No contacts.</p>` : html`<table class="list"><thead><tr><th>Name</th><th>Number</th><th>Label</th><th>Speed dial</th><th>Source</th><th></th><th></th></tr></thead><tbody>
${entries.map((e) => contactRow(request, e, editable))}</tbody></table>`}
<p>${page > 0 ? html`<a href="${link(page - 1)}">Previous</a> ` : ''}${last < range.start + range.count ? html`<a href="${link(page + 1)}">Next</a>` : ''}</p>
${editable ? html`<h2>New contact</h2>${contactForm(request, typed ?? {}, undefined, error)}` : error ? html`<p class="error" role="alert">${error}</p>` : ''}`;
  return { kind: 'page', title: 'Contacts', body, status: error ? 400 : 200 };
}

function editPage(context: WebContext, request: WebRequest, ct: string, error?: string, typed?: Partial<Contact>): WebResult {
  const entry = context.directory.service.lookup(ct);
  if (!entry) return listPage(context, request, `${ct} is not in the directory.`);
  return { kind: 'page', title: `Edit ${displayName(entry.c)}`, body: contactForm(request, typed ?? entry.c, entry.c.ct, error), status: error ? 400 : 200 };
}

/** The contact to store: the fields typed, over the stored contact's other fields (ring tone, divert, ...). */
function submittedContact(form: Record<string, string>, stored: Contact | undefined): Partial<Contact> {
  const out: Partial<Record<ContactField, string>> = {};
  for (const f of CONTACT_FIELDS) if (stored?.[f] !== undefined) out[f] = stored[f];
  for (const f of EDITED_FIELDS) {
    const v = form[field(f.field)];
    if (v !== undefined) out[f.field] = v;
  }
  return out;
}

export const contactPages: WebPages = (context) => [
  {
    path: CONTACTS_PATH,
    nav: ['User', 'Contacts'],
    access: 'user',
    get(request) {
      const edit = request.query.edit;
      return edit !== undefined && !readOnly(context) ? editPage(context, request, edit) : listPage(context, request);
    },
    post(request) {
      const service = context.directory.service;
      if (readOnly(context)) return listPage(context, request, 'The directory is read-only (dir.local.readonly): contacts cannot be changed.');
      if (request.form.action === 'delete') {
        const ct = request.form.ct ?? '';
        const r = service.remove(ct);
        return r.ok ? { kind: 'redirect', to: CONTACTS_PATH, notice: 'Contact deleted.' } : listPage(context, request, shown(r.error));
      }
      if (request.form.action === 'save') {
        const previous = request.form.previous;
        const stored = previous !== undefined ? service.lookup(previous)?.c : undefined;
        if (previous !== undefined && !stored) return listPage(context, request, `${previous} is not in the directory.`);
        const contact = submittedContact(request.form, stored);
        const r = service.put(contact, previous);
        if (r.ok) return { kind: 'redirect', to: CONTACTS_PATH, notice: previous !== undefined ? 'Contact saved.' : 'Contact added.' };
        return previous !== undefined ? editPage(context, request, previous, shown(r.error), contact) : listPage(context, request, shown(r.error), contact);
      }
      return listPage(context, request, 'Unknown action.');
    },
  },
  {
    path: CONTACTS_EXPORT_PATH,
    access: 'user',
    get: () => ({ kind: 'download', fileName: context.directory.service.personalFileName(), contentType: 'application/xml', bytes: utf8Encode(context.directory.service.personalXml()) }),
  },
];
