/**
 * What a page of the phone's web interface is. The server (web-server.ts)
 * owns sessions, login, CSRF checks and the page shell; a page only reads its
 * request and returns a result. Pages are grouped per area in `pages/` and
 * listed in `pages/index.ts`; the navigation is built from their `nav`.
 */
import type { BootedPhone } from '../main';
import { html, type Html } from './html';

/** Admin pages are closed to a User session; user pages are open to both. */
export type WebRole = 'admin' | 'user';

export interface WebSession {
  role: WebRole;
  /** Put in every form as the `csrf` field (`csrfField`); the server refuses a POST without it. */
  csrfToken: string;
}

export interface WebRequest {
  method: 'GET' | 'POST';
  /** Decoded path, normalised (no `..`, no `//`). */
  path: string;
  query: Record<string, string>;
  /** POST form fields (urlencoded or multipart text fields), the CSRF token already checked and removed. */
  form: Record<string, string>;
  /** Uploaded files of a multipart POST, by field name. */
  files: Record<string, { fileName: string; bytes: Uint8Array }>;
  session: WebSession;
}

export type WebResult =
  /** A page in the shell (navigation, notices); `status` 200 unless given. */
  | { kind: 'page'; title: string; body: Html; status?: number }
  /** 303 See Other to a path of the interface, with a one-time notice shown there. */
  | { kind: 'redirect'; to: string; notice?: string }
  /** A file to save (log package, call-list export). */
  | { kind: 'download'; fileName: string; contentType: string; bytes: Uint8Array };

export interface WebPage {
  /** Path it answers, e.g. `/diagnostics/logs`. Exact match. */
  path: string;
  /** Navigation group and label, e.g. ['Diagnostics', 'Logs']; absent: not in the navigation. */
  nav?: [string, string];
  /** Lowest role that may open it. */
  access: WebRole;
  get(request: WebRequest): WebResult | Promise<WebResult>;
  /** Absent: the page refuses POST (405). */
  post?(request: WebRequest): WebResult | Promise<WebResult>;
}

/** The hidden CSRF field every form of a page carries. */
export function csrfField(session: WebSession): Html {
  return html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
}

/** The phone's services a page may use: the same ones the keypad screens use (one implementation for both). */
export type WebContext = Pick<BootedPhone, 'kernel' | 'config' | 'settings' | 'auth' | 'login' | 'logs' | 'calls' | 'directory' | 'resets' | 'provisioning' | 'time' | 'lines'>;

/** What each file of `pages/` exports: its pages, built once per boot. */
export type WebPages = (context: WebContext) => WebPage[];
