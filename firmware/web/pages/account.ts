/**
 * Settings > Change Password: the admin changes the admin or the user
 * password, a user their own, through the keypad's AuthService (same
 * current-password check, throttle, length rules and audit lines). The
 * server sends an admin still on the default password here first.
 */
import type { Role } from '../../auth/password-vault';
import { html } from '../html';
import { csrfField, type WebContext, type WebPage, type WebRequest, type WebResult } from '../web-page';

export const PASSWORD_PAGE = '/settings/password';

function form(request: WebRequest, role: Role, error: string | null, status = 200): WebResult {
  const admin = request.session.role === 'admin';
  const body = html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${PASSWORD_PAGE}" class="stack">${csrfField(request.session)}
${admin ? html`<label>Password <select name="role"><option value="admin"${role === 'admin' ? ' selected' : ''}>Admin</option><option value="user"${role === 'user' ? ' selected' : ''}>User</option></select></label>` : html`<input type="hidden" name="role" value="user">`}
<label>Old Password <input type="password" name="current" autocomplete="current-password" required></label>
<label>New Password <input type="password" name="next" autocomplete="new-password" required></label>
<label>Confirm Password <input type="password" name="confirm" autocomplete="new-password" required></label>
<button type="submit">Save</button></form>`;
  return { kind: 'page', title: 'Change Password', body, status };
}

export function accountPages(context: WebContext): WebPage[] {
  const auth = context.auth;
  return [{
    path: PASSWORD_PAGE,
    nav: ['Settings', 'Change Password'],
    access: 'user',
    get: (request) => form(request, request.session.role, null),
    post(request) {
      const role: Role = request.form.role === 'admin' ? 'admin' : 'user';
      if (role === 'admin' && request.session.role !== 'admin') return form(request, 'user', 'Only an Admin login can change the admin password.', 403);
      const wrong = auth.verifyCurrent(role, request.form.current ?? '');
      if (wrong) return form(request, role, wrong, 400);
      const problem = auth.change(role, request.form.next ?? '', request.form.confirm ?? '');
      if (problem) return form(request, role, problem, 400);
      return { kind: 'redirect', to: PASSWORD_PAGE, notice: `${role === 'admin' ? 'Admin' : 'User'} password changed.` };
    },
  }];
}
