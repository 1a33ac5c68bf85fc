/**
 * A HAL SIP account as one baresip account line (the `uanew` argument and
 * the `accounts` file syntax): `"Name" <sip:user@domain>;auth_user=...;
 * auth_pass=...;outbound="sip:host:port;transport=udp";regint=N;answermode=manual`.
 * baresip's account syntax has no escaping, so a field holding a character
 * that would end its token is refused rather than sent half-parsed.
 */
import type { SipAccount } from '../contract';

const UNSAFE = /[\s;<>"\\,]/;

export function baresipAccountLine(a: SipAccount): { aor: string; line: string } {
  const address = a.address.replace(/^sips?:/i, '');
  const [user, domainOfAddress] = address.split('@');
  const domain = domainOfAddress || a.server.address;
  if (!user || !domain) throw new Error(`account: line ${a.line} has no ${user ? 'server address' : 'user'}`);
  const authUser = a.authUserId || user;
  for (const [field, value] of [['address', address], ['auth user id', authUser], ['password', a.password], ['server address', a.server.address]]) {
    if (UNSAFE.test(value)) throw new Error(`account: line ${a.line} ${field} holds a character baresip accounts cannot carry`);
  }
  if (/["\\]/.test(a.displayName)) throw new Error(`account: line ${a.line} display name holds a quote or backslash`);
  const aor = `sip:${user}@${domain}`;
  const params = [`auth_user=${authUser}`];
  if (a.password) params.push(`auth_pass=${a.password}`);
  if (a.server.address) {
    const port = a.server.port || (a.server.transport === 'TLS' ? 5061 : 5060);
    params.push(`outbound="sip:${a.server.address}:${port};transport=${a.server.transport.toLowerCase()}"`);
  }
  params.push(`regint=${a.server.expires}`, 'answermode=manual');
  const name = a.displayName ? `"${a.displayName}" ` : '';
  return { aor, line: `${name}<${aor}>;${params.join(';')}` };
}
