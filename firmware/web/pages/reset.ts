/**
 * Utilities > Reset (`/utilities/reset`, admin): every reset variant of the
 * keypad's Reset to Defaults menu, and Clear Personal Information while its
 * menu is enabled, each behind a confirmation form. A confirmed variant is
 * requested through the reset module's one entry point
 * (`resets.request(variant, 'web admin')`): the same intent record, audit
 * line, server deletes and reboot as from the keypad. Labels and the line
 * saying what each removes are the keypad's own, in the phone's language.
 */
import { variantDetail } from '../../reset/reset-screens';
import { RESET_TO_DEFAULTS_MENU, resetVariant, type ResetVariantId } from '../../reset/reset-variants';
import { tLabel } from '../../ui/i18n/messages';
import { html } from '../html';
import { csrfField, type WebContext, type WebPages, type WebRequest, type WebResult } from '../web-page';

export const RESET_PATH = '/utilities/reset';
/** Who the reset service's audit line names. */
export const WEB_RESET_REQUESTER = 'web admin';

/** The variants an admin may run from the web: the Reset to Defaults menu, and Clear Personal Information while its menu is shown. */
export function webResetVariants(context: Pick<WebContext, 'config'>): ResetVariantId[] {
  const clearPersonal = context.config.get('feature.clearPerInfoMenu.enabled') === '1' ? ['clearPersonalInfo' as const] : [];
  return [...RESET_TO_DEFAULTS_MENU, ...clearPersonal];
}

const label = (id: ResetVariantId): string => tLabel('menu.', resetVariant(id)!.label);

function listPage(context: WebContext, notice?: string): WebResult {
  const body = html`${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}
<p>Each reset asks for confirmation, then the phone reboots to complete it. Configuration held on the provisioning server is downloaded again at the next provisioning.</p>
<table class="list"><thead><tr><th>Reset</th><th>What it removes</th><th></th></tr></thead><tbody>
${webResetVariants(context).map((id) => html`<tr><td>${label(id)}</td><td>${variantDetail(id)}</td><td><a class="button" href="${RESET_PATH}?variant=${id}">${label(id)}…</a></td></tr>`)}
</tbody></table>`;
  return { kind: 'page', title: 'Reset to Defaults', body, status: notice ? 400 : 200 };
}

function confirmPage(request: WebRequest, id: ResetVariantId): WebResult {
  const body = html`<form method="post" action="${RESET_PATH}">${csrfField(request.session)}
<input type="hidden" name="variant" value="${id}">
<p><strong>${label(id)}</strong>: ${variantDetail(id)}.</p>
<p>Are you sure? The phone reboots to complete the reset.</p>
<p><button type="submit" name="confirm" value="yes">${label(id)}</button> <a href="${RESET_PATH}">Cancel</a></p>
</form>`;
  return { kind: 'page', title: label(id), body };
}

function allowed(context: WebContext, variant: string | undefined): ResetVariantId | null {
  const id = webResetVariants(context).find((v) => v === variant);
  return id ?? null;
}

export const resetPages: WebPages = (context) => [{
  path: RESET_PATH,
  nav: ['Utilities', 'Reset to Defaults'],
  access: 'admin',
  get(request) {
    const variant = request.query.variant;
    if (variant === undefined) return listPage(context);
    const id = allowed(context, variant);
    return id ? confirmPage(request, id) : listPage(context, `No reset "${variant}" can be run from the web interface.`);
  },
  post(request) {
    const id = allowed(context, request.form.variant);
    if (!id) return listPage(context, `No reset "${request.form.variant ?? ''}" can be run from the web interface.`);
    if (request.form.confirm !== 'yes') return confirmPage(request, id);
    if (!context.resets.request(id, WEB_RESET_REQUESTER)) return listPage(context, `Another reset (${context.resets.inProgress() ?? ''}) is under way.`);
    return { kind: 'page', title: label(id), body: html`<p class="notice">${label(id)}: requested. The phone reboots to complete it; log in again once it is back.</p>` };
  },
}];
