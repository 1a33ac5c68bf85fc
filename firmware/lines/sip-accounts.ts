/**
 * A line's SIP account from configuration: `reg.x.*`, with the line's own
 * server (`reg.x.server.1.*`) when it sets an address, else the default
 * server (`voIpProt.server.1.*`).
 */
import type { SipAccount, SipTransport } from '../../hal/contract';
import { t } from '../ui/i18n/messages';

export interface LineConfig {
  get(name: string): string | undefined;
}

/** Polycom transport names → what the phone does (no NAPTR/SRV look-up: DNSnaptr is UDP). */
export function transportOf(polycom: string): SipTransport {
  switch (polycom) {
    case 'TLS': return 'TLS';
    case 'TCPOnly': case 'TCPpreferred': return 'TCP';
    default: return 'UDP';
  }
}

/** The account of line `x`, or null when `reg.x.address` is empty (line unused). */
export function accountOf(config: LineConfig, x: number): SipAccount | null {
  const get = (name: string) => (config.get(name) ?? '').trim();
  const address = get(`reg.${x}.address`);
  if (!address) return null;
  // A line with its own server address uses all of its own server's fields; one without, the default server's.
  const prefix = get(`reg.${x}.server.1.address`) ? `reg.${x}.server.1` : 'voIpProt.server.1';
  const field = (name: string) => get(`${prefix}.${name}`);
  return {
    line: x,
    address,
    displayName: get(`reg.${x}.displayName`),
    authUserId: get(`reg.${x}.auth.userId`),
    password: config.get(`reg.${x}.auth.password`) ?? '',
    server: {
      address: field('address'),
      port: Number(field('port')) || 0,
      transport: transportOf(field('transport')),
      expires: Number(field('expires')) || 3600,
    },
  };
}

/** What the line key and idle screen call the line: its label, else the user part of its address. */
export function lineLabel(config: LineConfig, x: number): string {
  const label = (config.get(`reg.${x}.label`) ?? '').trim();
  if (label) return label;
  const address = (config.get(`reg.${x}.address`) ?? '').trim();
  return address.replace(/^sips?:/i, '').split('@')[0] || t('line.label', { n: x });
}

/** Whether two accounts would register the same way (a configuration change that needs no re-registration). */
export function sameAccount(a: SipAccount | null, b: SipAccount | null): boolean {
  if (!a || !b) return a === b;
  return a.address === b.address && a.displayName === b.displayName && a.authUserId === b.authUserId && a.password === b.password
    && a.server.address === b.server.address && a.server.port === b.server.port && a.server.transport === b.server.transport && a.server.expires === b.server.expires;
}

/** A server for logs and screens: host:port;transport (no user, no password). */
export function describeServer(a: SipAccount): string {
  const host = a.server.address || a.address.split('@')[1] || '(none)';
  return `${host}${a.server.port ? ':' + a.server.port : ''};${a.server.transport}`;
}
