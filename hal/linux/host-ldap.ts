/**
 * The LDAP client (HAL `ldap`) of the Linux board and the simulator: a real LDAP conversation with the
 * pure-JS `ldapts` client — bind, one page of a paged search (so a broad
 * name never trips the server's size limit), unbind. Errors are reported
 * with the HAL's reason prefixes.
 */
import { Client } from 'ldapts';
import type { Ldap, LdapEntry, LdapSearchRequest } from '../contract';

function reason(e: unknown): Error {
  const err = e as { name?: string; code?: string | number; message?: string };
  const msg = err?.message ?? String(e);
  // 49: invalid credentials; 50: the bound user may not read there.
  if (err?.name === 'InvalidCredentialsError' || err?.code === 49) return new Error(`auth: ${msg}`);
  if (err?.name === 'InsufficientAccessError' || err?.code === 50) return new Error(`auth: not allowed to search: ${msg}`);
  if (err?.code === 'ECONNREFUSED') return new Error(`refused: ${msg}`);
  if (/timeout|timed out/i.test(msg)) return new Error(`timeout: ${msg}`);
  if (/certificate|tls|ssl/i.test(msg)) return new Error(`tls: ${msg}`);
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return new Error(`dns: ${msg}`);
  return new Error(`io: ${msg}`);
}

function firstValue(v: unknown): string {
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined || one === null) return '';
  return Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
}

export class HostLdap implements Ldap {
  private linkUp: () => boolean = () => true;
  /** Searches answered (for tests). */
  searches = 0;

  /** Follow the phone's network link: no link, no LDAP. */
  followLink(up: () => boolean): void {
    this.linkUp = up;
  }

  async search(req: LdapSearchRequest): Promise<LdapEntry[]> {
    if (!this.linkUp()) throw new Error('link-down: network link is down');
    if (/^ldaps:/i.test(req.url) && !req.trustedCaPem) throw new Error('tls: no trusted CA certificate for ldaps');
    const client = new Client({
      url: req.url,
      timeout: req.timeoutMs,
      connectTimeout: req.timeoutMs,
      ...(req.trustedCaPem ? { tlsOptions: { ca: [req.trustedCaPem] } } : {}),
    });
    try {
      if (req.bindDn) await client.bind(req.bindDn, req.password);
      const out: LdapEntry[] = [];
      for await (const page of client.searchPaginated(req.baseDn, {
        scope: req.scope, filter: req.filter, attributes: req.attributes, paged: { pageSize: Math.max(1, req.sizeLimit) },
      })) {
        for (const e of page.searchEntries) {
          const attributes: Record<string, string> = {};
          for (const name of req.attributes) {
            const key = Object.keys(e).find((k) => k.toLowerCase() === name.toLowerCase());
            if (key) attributes[name] = firstValue(e[key]);
          }
          out.push({ dn: String(e.dn), attributes });
        }
        break;
      }
      this.searches++;
      return out.slice(0, req.sizeLimit);
    } catch (e) {
      throw reason(e);
    } finally {
      await client.unbind().catch(() => {});
    }
  }
}
