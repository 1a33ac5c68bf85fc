/**
 * Redaction of personal data in log lines (docs/logging.md, "Redaction").
 * In the components listed in `log.redact.components` (default: `sip`,
 * whose message dumps carry From/To/Contact headers), phone numbers, the
 * user part of SIP/tel URIs and display names are replaced by tokens made
 * with a keyed hash (HMAC-SHA-256 in the HAL crypto engine; the key is in
 * ./redaction-key.ts). The same party always gets the same token, so lines
 * about one caller still correlate; without the key the token says nothing.
 *
 * Message bodies (SDP, instant-message text: conversation content) of SIP
 * message dumps are replaced by their size in every component unless
 * `log.render.messageBodies=1`.
 *
 * Any module may mark a value as personal with `personal(value)`: marked
 * values are tokenised in redacted components and shown plainly elsewhere.
 */
import { bytesToHex } from '../kernel/hex';
import type { LogLevel, LogTextFilter } from '../kernel/logger';

const MARK_OPEN = '\u0001';
const MARK_CLOSE = '\u0002';
const CACHE_LIMIT = 512;

/** Wrap a value the logger should treat as personal data (a name, a number). */
export function personal(value: string): string {
  return MARK_OPEN + value.replace(/[\u0001\u0002]/g, '') + MARK_CLOSE;
}

export type TokenKind = 'num' | 'user' | 'name';

export interface RedactionSettings {
  /** Component ids redacted; '*' in the set: all. */
  components: Set<string>;
  keepMessageBodies: boolean;
}

const SIP_START = /^(?:[A-Z]+ \S+ SIP\/2\.0|SIP\/2\.0 \d{3})/;
const URI = /\b(sips?|tel):([^@\s;>,"?]+)(@[^\s;>,"?]*)?/gi;
const QUOTED_NAME = /"((?:[^"\\]|\\.)*)"(\s*<(?:sips?|tel):)/gi;
const HEADER_NAME = /^((?:From|To|f|t|Contact|m|P-Asserted-Identity|P-Preferred-Identity|Remote-Party-ID|Referred-By|Refer-To|Diversion)\s*:\s*)([^<"\r\n]*?[^<"\s\r\n][^<"\r\n]*?)(\s*<(?:sips?|tel):)/gim;
const KEY_NAME = /(?<![[\w-])((?:display[-_ ]?)?name\s*[=:]\s*)("[^"]*"|[^\s,;|]+)/gi;
const NUMBER = /(?<![\w.:/#@=-])\+?\(?\d[\d \-()]{5,}\d(?![\w.])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const MARKED = /\u0001([^\u0001\u0002]*)\u0002/g;

export class LogRedactor {
  private readonly cache = new Map<string, string>();

  constructor(private readonly hmac: (data: string) => Uint8Array, private readonly settings: () => RedactionSettings) {}

  /** The logger's text filter. */
  readonly filter: LogTextFilter = (component: string, _level: LogLevel, text: string): string => {
    const s = this.settings();
    let out = text;
    if (!s.keepMessageBodies) out = withoutMessageBody(out);
    const redact = s.components.has('*') || s.components.has(component);
    if (!redact) return out.indexOf(MARK_OPEN) < 0 ? out : out.replace(MARKED, '$1');
    return this.redact(out);
  };

  /** Every personal value of `text` replaced by its token. */
  redact(text: string): string {
    let out = text.replace(MARKED, (_m, v: string) => this.token('name', v));
    out = out.replace(QUOTED_NAME, (_m, name: string, rest: string) => `"${this.token('name', name)}"${rest}`);
    out = out.replace(HEADER_NAME, (_m, head: string, name: string, rest: string) => `${head}${this.token('name', name)}${rest}`);
    out = out.replace(KEY_NAME, (_m, head: string, value: string) => `${head}${this.token('name', value.replace(/^"|"$/g, ''))}`);
    out = out.replace(URI, (_m, scheme: string, user: string, host: string | undefined) => {
      const kind: TokenKind = isPhoneNumber(user) ? 'num' : 'user';
      return `${scheme}:${this.token(kind, user)}${host ?? ''}`;
    });
    out = out.replace(NUMBER, (m) => (ISO_DATE.test(m) || digitCount(m) < 7 ? m : this.token('num', m)));
    return out;
  }

  /** `[num:1a2b3c4d]`: the first 32 bits of HMAC(key, kind + normalised value), hex. */
  token(kind: TokenKind, value: string): string {
    const normal = kind === 'name' ? value.trim().toLowerCase() : kind === 'num' || isPhoneNumber(value) ? normaliseNumber(value) : value.toLowerCase();
    const tokenKind = kind === 'user' && isPhoneNumber(value) ? 'num' : kind;
    const cacheKey = `${tokenKind}:${normal}`;
    let token = this.cache.get(cacheKey);
    if (token === undefined) {
      const mac = this.hmac(cacheKey);
      token = `[${tokenKind}:${bytesToHex(mac.subarray(0, 4))}]`;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(cacheKey, token);
    }
    return token;
  }
}

/** A SIP message dump keeps its start line and headers; the body becomes its size. */
export function withoutMessageBody(text: string): string {
  if (!SIP_START.test(text)) return text;
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return text;
  const body = text.slice(m.index + m[0].length);
  if (!body.trim()) return text;
  return `${text.slice(0, m.index)}\n\n[message body of ${body.length} characters not logged]`;
}

function isPhoneNumber(v: string): boolean {
  return /^\+?[\d \-().]+$/.test(v) && digitCount(v) >= 3;
}

function digitCount(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) n++;
  return n;
}

function normaliseNumber(v: string): string {
  return (v.trim().startsWith('+') ? '+' : '') + v.replace(/\D/g, '');
}
