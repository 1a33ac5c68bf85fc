/**
 * The page shell of the web interface: one HTML document per answer, built
 * on the server (no script at all: the Content-Security-Policy forbids it),
 * with the navigation made from the pages' `nav` filtered by role, the
 * one-time notice, the logout button, and the one stylesheet at /style.css.
 */
import { html, type Html } from './html';
import { csrfField, type WebPage, type WebRole, type WebSession } from './web-page';

/** Navigation groups in the order of Polycom's Web Configuration Utility menu bar. */
export const NAV_GROUPS = ['Home', 'Simple Setup', 'Settings', 'Diagnostics', 'Utilities', 'User'];

export interface ShellPage {
  title: string;
  body: Html;
  /** Absent: a page outside a session (login, errors before login). */
  session?: WebSession & { mustChangeAdmin?: boolean };
  pages?: readonly WebPage[];
  notice?: string | null;
  /** Model and MAC in the header. */
  device: string;
}

function visible(page: WebPage, role: WebRole): boolean {
  return page.nav !== undefined && (page.access === 'user' || role === 'admin');
}

function navigation(pages: readonly WebPage[], session: WebSession & { mustChangeAdmin?: boolean }): Html {
  if (session.mustChangeAdmin) return html``;
  const shown = pages.filter((p) => visible(p, session.role));
  const groups = [...NAV_GROUPS, ...shown.map((p) => p.nav![0]).filter((g) => !NAV_GROUPS.includes(g))];
  return html`<nav><ul>${groups.map((group) => {
    const entries = shown.filter((p) => p.nav![0] === group);
    if (entries.length === 0) return '';
    return html`<li><span>${group}</span><ul>${entries.map((p) => html`<li><a href="${p.path}">${p.nav![1]}</a></li>`)}</ul></li>`;
  })}</ul></nav>`;
}

export function renderShell(p: ShellPage): string {
  const session = p.session;
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} - Web Configuration Utility</title><link rel="stylesheet" href="/style.css"></head>
<body><header><h1>Web Configuration Utility</h1><span class="device">${p.device}</span>${session ? html`<span class="role">${session.role === 'admin' ? 'Admin' : 'User'}</span>
<form method="post" action="/logout" class="logout">${csrfField(session)}<button type="submit">Log Out</button></form>` : ''}</header>
${session && p.pages ? navigation(p.pages, session) : ''}
<main><h2>${p.title}</h2>${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}${p.body}</main>
</body></html>
`.text;
}

export function loginBody(csrf: WebSession, error: string | null, role: WebRole): Html {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login" class="login">${csrfField(csrf)}
<fieldset><legend>Login As</legend>
<label><input type="radio" name="role" value="admin"${role === 'admin' ? ' checked' : ''}> Admin</label>
<label><input type="radio" name="role" value="user"${role === 'user' ? ' checked' : ''}> User</label></fieldset>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Submit</button></form>`;
}

export function messageBody(message: string): Html {
  return html`<p>${message}</p><p><a href="/">Home</a></p>`;
}

/** The one stylesheet (served at /style.css). */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,sans-serif;color:#1d232a;background:#f4f6f8}
header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1f3b57;color:#fff}
header h1{font-size:1.1em;margin:0;flex:1}
header .device,header .role{opacity:.85;font-size:.9em}
header form{margin:0}
nav{background:#e3e8ee;padding:.25em 1em}
nav>ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1.5em}
nav span{font-weight:600}
nav ul ul{list-style:none;padding:0;margin:0}
nav a{color:#1f3b57}
main{padding:1em;max-width:60em}
h2{margin-top:0}
.notice{background:#e6f4ea;border:1px solid #9bc7a6;padding:.5em}
.error{background:#fdecea;border:1px solid #e0a39b;padding:.5em}
form.login,form.stack{display:grid;gap:.6em;max-width:24em}
fieldset{border:1px solid #c5ccd4}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d5dbe1;padding:.3em .5em;text-align:left;vertical-align:top}
input,select,button{font:inherit}
button{padding:.3em .9em}
`;
