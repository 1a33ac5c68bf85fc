/**
 * Corporate directory: a name search against the LDAP server of
 * `dir.corp.*` through the HAL's LDAP client. Results live in RAM for the
 * screen that asked and are never written to flash.
 */
import type { Ldap, LdapSearchRequest } from '../../hal/contract';
import { message, type Message } from '../ui/i18n/messages';

export type CorporateAttributeType = 'first_name' | 'last_name' | 'phone_number' | 'other';

export interface CorporateContact {
  firstName: string;
  lastName: string;
  number: string;
}

export interface CorporateSettings {
  address: string;
  port: number;
  transport: 'TCP' | 'TLS';
  baseDn: string;
  user: string;
  password: string;
  filterPrefix: string;
  scope: 'base' | 'one' | 'sub';
  pageSize: number;
  attributes: { name: string; type: CorporateAttributeType }[];
  /** CA certificate(s) trusted for `ldaps://` (the device's custom CA, as for provisioning over HTTPS). */
  trustedCaPem?: string;
}

/** A failed search says why as a catalog message (the screen shows it in the phone's language; the log has the cause). */
export type CorporateSearchResult = { ok: true; contacts: CorporateContact[] } | { ok: false; error: Message };

/** RFC 4515 escaping of a value typed by the user. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (ch) => '\\' + ch.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** `ldap://host:port` from `dir.corp.address` (a bare host, or a URL that names its scheme and port). */
export function serverUrl(s: CorporateSettings): string {
  const m = /^(ldaps?):\/\/([^/]+)/i.exec(s.address.trim());
  const scheme = m ? m[1].toLowerCase() : s.transport === 'TLS' ? 'ldaps' : 'ldap';
  let host = m ? m[2] : s.address.trim().replace(/\/.*$/, '');
  if (!/:\d+$/.test(host) || /^\[.*\]$/.test(host)) host += `:${s.port || (scheme === 'ldaps' ? 636 : 389)}`;
  return `${scheme}://${host}`;
}

export function searchRequest(s: CorporateSettings, typed: string): LdapSearchRequest {
  const q = escapeFilterValue(typed.trim());
  const names = s.attributes.filter((a) => a.type === 'first_name' || a.type === 'last_name').map((a) => `(${a.name}=${q}*)`);
  const nameFilter = names.length === 1 ? names[0] : `(|${names.join('')})`;
  const prefix = s.filterPrefix.trim();
  return {
    url: serverUrl(s),
    bindDn: s.user,
    password: s.password,
    baseDn: s.baseDn,
    scope: s.scope,
    filter: prefix ? `(&${prefix.startsWith('(') ? prefix : `(${prefix})`}${nameFilter})` : nameFilter,
    attributes: s.attributes.map((a) => a.name),
    sizeLimit: s.pageSize,
    timeoutMs: 5000,
    ...(s.trustedCaPem ? { trustedCaPem: s.trustedCaPem } : {}),
  };
}

export class CorporateDirectory {
  constructor(private readonly ldap: Ldap | undefined, private readonly settings: () => CorporateSettings, private readonly log: (m: string) => void) {}

  configured(): boolean {
    return !!this.ldap && this.settings().address.trim() !== '';
  }

  async search(typed: string): Promise<CorporateSearchResult> {
    if (!this.ldap) return { ok: false, error: message('corp.error.noLdap') };
    const s = this.settings();
    if (!s.address.trim()) return { ok: false, error: message('directory.notConfigured') };
    if (!typed.trim()) return { ok: false, error: message('corp.error.typeName') };
    // Without one, the filter would be an empty "(|)" that the server refuses, shown as "not reachable".
    if (!s.attributes.some((a) => a.type === 'first_name' || a.type === 'last_name')) {
      this.log('corporate directory: no dir.corp.attribute.N.type is first_name or last_name: nothing to search by');
      return { ok: false, error: message('corp.error.noNameAttribute') };
    }
    const req = searchRequest(s, typed);
    try {
      const entries = await this.ldap.search(req);
      const pick = (attrs: Record<string, string>, type: CorporateAttributeType) => {
        for (const a of s.attributes) if (a.type === type && attrs[a.name]) return attrs[a.name];
        return '';
      };
      const contacts = entries
        .map((e) => ({ firstName: pick(e.attributes, 'first_name'), lastName: pick(e.attributes, 'last_name'), number: pick(e.attributes, 'phone_number') }))
        .slice(0, s.pageSize);
      contacts.sort((a, b) => (a.lastName + ' ' + a.firstName).localeCompare(b.lastName + ' ' + b.firstName));
      return { ok: true, contacts };
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      this.log(`corporate directory: search at ${req.url} failed: ${msg}`);
      return { ok: false, error: message(/^auth/.test(msg) ? 'corp.error.authRefused' : /^timeout/.test(msg) ? 'corp.error.timeout' : /^tls/.test(msg) ? 'corp.error.tls' : 'corp.error.unreachable') };
    }
  }
}
