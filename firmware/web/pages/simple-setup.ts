/**
 * Simple Setup (`/setup`, admin): the few settings a phone needs to work —
 * language, time (SNTP server, GMT offset, daylight saving), SIP line 1
 * (server, user, display name, password) — written to the web layer like
 * every parameter page, plus the provisioning server, which is a device
 * setting stored through the provisioning module's own entry point (the one
 * the keypad's Provisioning Server screen uses). Passwords are write-only.
 *
 * The spec's "Reset to Default" (Simple Setup > Reset to Default) links to
 * Reset Web Configuration on the reset page: it drops every change made from
 * the web interface, so the phone is back to its files and defaults.
 */
import { PASSWORD_SETTING, redactedUrl, SERVER_SETTING, USER_SETTING } from '../../provisioning/server-settings';
import { LANGUAGES } from '../../ui/i18n/messages';
import { html, type Html } from '../html';
import { csrfField, type WebContext, type WebPages, type WebRequest, type WebResult } from '../web-page';
import { applyWebChanges, outcomeNotice, parameterInput, refusedList, setBy, valueField, type WebChangeOutcome } from './parameter-fields';
import { RESET_PATH } from './reset';

export const SETUP_PATH = '/setup';

/** The parameters of Simple Setup, by section, with the label a person reads. */
export const SETUP_SECTIONS: readonly { title: string; fields: readonly { name: string; label: string }[] }[] = [
  { title: 'Language', fields: [{ name: 'lcl.ml.lang', label: 'Phone language' }] },
  {
    title: 'Time', fields: [
      { name: 'tcpIpApp.sntp.address', label: 'SNTP server' },
      { name: 'tcpIpApp.sntp.gmtOffset', label: 'GMT offset (seconds)' },
      { name: 'tcpIpApp.sntp.daylightSavings.enable', label: 'Daylight saving time' },
    ],
  },
  {
    title: 'SIP line 1', fields: [
      { name: 'reg.1.server.1.address', label: 'SIP server' },
      { name: 'reg.1.address', label: 'SIP user (address of record)' },
      { name: 'reg.1.displayName', label: 'Display name' },
      { name: 'reg.1.auth.userId', label: 'Authentication user' },
      { name: 'reg.1.auth.password', label: 'Authentication password' },
    ],
  },
];

const SETUP_PARAMETERS = SETUP_SECTIONS.flatMap((s) => s.fields.map((f) => f.name));

/** Form fields of the provisioning server (device settings, not parameters). */
const SERVER_FIELD = 'prov.server';
const SERVER_USER_FIELD = 'prov.user';
const SERVER_PASSWORD_FIELD = 'prov.password';

function languageInput(context: WebContext): Html {
  const id = valueField('lcl.ml.lang');
  const current = context.config.get('lcl.ml.lang') ?? '';
  const known = LANGUAGES.some((l) => l.polycom === current);
  return html`<select id="${id}" name="${id}">${known ? '' : html`<option value="${current}" selected>${current}</option>`}${LANGUAGES.map((l) => html`<option value="${l.polycom}"${l.polycom === current ? html` selected` : ''}>${l.name} (${l.polycom})</option>`)}</select>`;
}

function parameterRows(context: WebContext, outcome?: WebChangeOutcome): Html {
  const config = context.config;
  return html`${SETUP_SECTIONS.map((section) => html`<fieldset><legend>${section.title}</legend><table class="form"><tbody>${section.fields.map((f) => {
    const p = config.registry.lookup(f.name)!;
    const refused = outcome?.refused.find((r) => r.name === p.name);
    const e = config.explain(p.name);
    // A value set at the phone (local) or by a user's file wins over the web layer: say so next to the field.
    const shadowed = e.layer === 'local' || e.layer === 'user';
    return html`<tr><th scope="row"><label for="${valueField(p.name)}">${f.label}</label></th>
<td>${p.name === 'lcl.ml.lang' ? languageInput(context) : parameterInput(config, p, refused && !p.secret ? refused.value : undefined)}${p.secret ? html` <small>${e.value ? 'set' : 'not set'}</small>` : ''}${refused ? html`<br><strong class="error">${refused.reason}</strong>` : ''}</td>
<td><small>set by ${setBy(e)}${shadowed ? ': changed at the phone, wins over the web' : ''}</small></td></tr>`;
  })}</tbody></table></fieldset>`)}`;
}

function serverRows(context: WebContext, serverError?: string, typed?: string): Html {
  const url = context.settings.get(SERVER_SETTING) ?? '';
  const user = context.settings.get(USER_SETTING) ?? '';
  const hasPassword = !!context.settings.get(PASSWORD_SETTING);
  return html`<fieldset><legend>Provisioning server</legend><table class="form"><tbody>
<tr><th scope="row"><label for="${SERVER_FIELD}">Server address</label></th><td><input type="text" id="${SERVER_FIELD}" name="${SERVER_FIELD}" value="${typed ?? redactedUrl(url)}" maxlength="255">${serverError ? html`<br><strong class="error">${serverError}</strong>` : ''}</td></tr>
<tr><th scope="row"><label for="${SERVER_USER_FIELD}">Server user</label></th><td><input type="text" id="${SERVER_USER_FIELD}" name="${SERVER_USER_FIELD}" value="${user}" maxlength="255"></td></tr>
<tr><th scope="row"><label for="${SERVER_PASSWORD_FIELD}">Server password</label></th><td><input type="password" id="${SERVER_PASSWORD_FIELD}" name="${SERVER_PASSWORD_FIELD}" value="" autocomplete="new-password" placeholder="${hasPassword ? 'set: type to replace' : 'not set'}"> <small>${hasPassword ? 'set' : 'not set'}</small></td></tr>
</tbody></table></fieldset>`;
}

function setupPage(context: WebContext, request: WebRequest, outcome?: WebChangeOutcome, serverError?: string, typedServer?: string): WebResult {
  const failed = (outcome?.refused.length ?? 0) > 0 || !!serverError;
  const body = html`${outcome && (outcome.applied.length || outcome.reverted.length) ? html`<p class="notice">${outcomeNotice(outcome)}</p>` : ''}
${refusedList(outcome?.refused ?? [])}
<form method="post" action="${SETUP_PATH}">${csrfField(request.session)}
${parameterRows(context, outcome)}
${serverRows(context, serverError, typedServer)}
<p><button type="submit">Save</button></p></form>
<p><a href="${RESET_PATH}?variant=resetWebConfig">Reset to Default</a>: removes every change made from the web interface (Reset Web Configuration).</p>`;
  return { kind: 'page', title: 'Simple Setup', body, status: failed ? 400 : 200 };
}

/** The provisioning server fields: stored only when one of them changed; an empty password field keeps the stored password. */
function applyServer(context: WebContext, form: Record<string, string>): { changed: boolean; error?: string } {
  const url = context.settings.get(SERVER_SETTING) ?? '';
  const user = context.settings.get(USER_SETTING) ?? '';
  const server = form[SERVER_FIELD];
  if (server === undefined) return { changed: false };
  const newUser = form[SERVER_USER_FIELD] ?? user;
  const newPassword = form[SERVER_PASSWORD_FIELD] ?? '';
  // The field shows the URL without inline credentials: sent back unchanged, it is not a new address.
  const serverChanged = server.trim() !== redactedUrl(url);
  if (!serverChanged && newUser === user && newPassword === '') return { changed: false };
  const error = context.provisioning.setServer({
    server: serverChanged ? server : url,
    user: newUser,
    password: newPassword === '' ? context.settings.get(PASSWORD_SETTING) ?? '' : newPassword,
  }, 'from the web interface');
  return error ? { changed: false, error } : { changed: true };
}

export const simpleSetupPages: WebPages = (context) => [{
  path: SETUP_PATH,
  nav: ['Simple Setup', 'Simple Setup'],
  access: 'admin',
  get(request) {
    return setupPage(context, request);
  },
  post(request) {
    const outcome = applyWebChanges(context.config, SETUP_PARAMETERS, request.form);
    const server = applyServer(context, request.form);
    if (outcome.applied.length) context.kernel.log.component('cfg').notice(`web: Simple Setup changed by the web admin: ${outcome.applied.join(', ')}`);
    if (outcome.refused.length || server.error) return setupPage(context, request, outcome, server.error, server.error ? request.form[SERVER_FIELD] : undefined);
    const notice = [outcome.applied.length || outcome.reverted.length ? outcomeNotice(outcome) : '', server.changed ? 'Provisioning server saved: provisioning now.' : ''].filter((x) => x).join(' ');
    return { kind: 'redirect', to: SETUP_PATH, notice: notice || 'Nothing changed.' };
  },
}];
