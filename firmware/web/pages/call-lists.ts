/**
 * User > Call Lists (`/user/calls`, User and Admin): the Missed, Received and
 * Placed lists of whoever owns them now (the logged-in user, else the
 * phone), as the keypad's Recent Calls shows them; delete an entry or clear
 * a list through the recorder the keypad uses (delete is erase: the owner's
 * lists are re-keyed, firmware/calls/call-list-recorder.ts); export the
 * lists as the phone's own `<owner>-calls.xml`.
 *
 * Names and numbers come from the far end and are shown as text (the html
 * tag escapes them). An entry is addressed by its recorder sequence, not its
 * position, so a call arriving between view and delete cannot shift the
 * deletion onto another entry.
 */
import { CALL_LIST_NAMES, remoteOf, type CallListName, type CallRecord } from '../../calls/call-record';
import { utf8Encode } from '../../kernel/text-codec';
import { html, type Html } from '../html';
import { csrfField, type WebContext, type WebPages, type WebRequest, type WebResult } from '../web-page';

export const CALLS_PATH = '/user/calls';
export const CALLS_EXPORT_PATH = '/user/calls/export';

const LIST_TITLE: Record<CallListName, string> = { missed: 'Missed Calls', received: 'Received Calls', placed: 'Placed Calls' };

function owner(context: WebContext): string {
  return context.calls.recorder.currentUser() ?? context.kernel.hal.board.mac;
}

function entryRow(request: WebRequest, list: CallListName, r: CallRecord): Html {
  const remote = remoteOf(r);
  return html`<tr><td>${r.startTime.replace('T', ' ')}</td><td>${remote.name}</td><td>${remote.address}</td><td>${r.duration}</td><td>${r.disposition}${r.count > 1 ? ` (${r.count}×)` : ''}</td><td>${r.line}</td>
<td><form method="post" action="${CALLS_PATH}">${csrfField(request.session)}<input type="hidden" name="action" value="delete"><input type="hidden" name="list" value="${list}"><input type="hidden" name="seq" value="${r.seq}"><button type="submit">Delete</button></form></td></tr>`;
}

function listsPage(context: WebContext, request: WebRequest, error?: string): WebResult {
  const recorder = context.calls.recorder;
  const body = html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p>Call lists of ${context.calls.recorder.currentUser() ? 'the logged-in user' : 'this phone'}. <a class="button" href="${CALLS_EXPORT_PATH}">Export</a> <small>(${owner(context)}-calls.xml, the format the phone uploads)</small></p>
${CALL_LIST_NAMES.map((list) => {
    const entries = recorder.list(list);
    return html`<section id="${list}"><h2>${LIST_TITLE[list]} (${entries.length})</h2>
${entries.length === 0 ? html`<p>No entries.</p>` : html`<table class="list"><thead><tr><th>Time</th><th>Name</th><th>Number</th><th>Duration</th><th>Disposition</th><th>Line</th><th></th></tr></thead><tbody>
${entries.map((r) => entryRow(request, list, r))}</tbody></table>
<form method="post" action="${CALLS_PATH}">${csrfField(request.session)}<input type="hidden" name="action" value="clear"><input type="hidden" name="list" value="${list}"><button type="submit">Delete all ${LIST_TITLE[list]}</button></form>`}
</section>`;
  })}`;
  return { kind: 'page', title: 'Call Lists', body, status: error ? 400 : 200 };
}

export const callListPages: WebPages = (context) => [
  {
    path: CALLS_PATH,
    nav: ['User', 'Call Lists'],
    access: 'user',
    get: (request) => listsPage(context, request),
    post(request) {
      const recorder = context.calls.recorder;
      const list = CALL_LIST_NAMES.find((l) => l === request.form.list);
      if (!list) return listsPage(context, request, 'No such call list.');
      if (request.form.action === 'clear') {
        recorder.clear(list);
        return { kind: 'redirect', to: CALLS_PATH, notice: `${LIST_TITLE[list]}: all entries deleted.` };
      }
      if (request.form.action === 'delete') {
        const seq = Number(request.form.seq);
        const index = recorder.list(list).findIndex((r) => r.seq === seq);
        if (index < 0) return listsPage(context, request, 'That entry is no longer in the list.');
        recorder.deleteEntry(list, index);
        return { kind: 'redirect', to: CALLS_PATH, notice: `${LIST_TITLE[list]}: entry deleted.` };
      }
      return listsPage(context, request, 'Unknown action.');
    },
  },
  {
    path: CALLS_EXPORT_PATH,
    access: 'user',
    get: () => ({ kind: 'download', fileName: `${owner(context)}-calls.xml`, contentType: 'application/xml', bytes: utf8Encode(context.calls.exportXml()) }),
  },
];
