/**
 * Redaction of party data in log lines (docs/logging.md, "Redaction"). In
 * every component, phone numbers, the user part of SIP/tel URIs, display
 * names and user IDs are replaced by tokens made with a keyed hash
 * (HMAC-SHA-256 in the HAL crypto engine; the key is in ./redaction-key.ts).
 * The same party always gets the same token, so lines about one caller still
 * correlate; without the key the token says nothing.
 *
 * Structural first: modules mark party values with `party(value, kind)`
 * (firmware/kernel/party.ts), and a marked value becomes the token of its
 * kind. The patterns below are the safety net for free text from outside
 * (SIP message dumps, file content, server answers) that nobody marked.
 *
 * While an admin's clear-party window is open (`log.clearParty.hours`,
 * ./clear-party-window.ts) marked values are shown as they are and the
 * safety net is off.
 *
 * Message bodies (SDP, instant-message text: conversation content) of SIP
 * message dumps are replaced by their size in every component unless
 * `log.render.messageBodies=1`.
 */
import { bytesToHex } from '../kernel/hex';
import type { LogLevel, LogTextFilter } from '../kernel/logger';
import { replaceParties, type PartyKind } from '../kernel/party';

const CACHE_LIMIT = 512;
/** User IDs of this boot remembered for the safety net (the current one and a few before it). */
const KNOWN_USERS_LIMIT = 8;
/** Shorter user IDs are too likely to be ordinary words or counters to be replaced wherever they appear. */
const KNOWN_USER_MIN_LENGTH = 3;

export type TokenKind = 'num' | 'user' | 'name';

export interface RedactionSettings {
  /** Party data in clear (the admin's bounded window is open). */
  clearParty: boolean;
  keepMessageBodies: boolean;
}

const SIP_START = /^(?:[A-Z]+ \S+ SIP\/2\.0|SIP\/2\.0 \d{3})/;
const URI = /\b(sips?|tel):([^@\s;>,"?]+)(@[^\s;>,"?]*)?/gi;
const QUOTED_NAME = /"((?:[^"\\]|\\.)*)"(\s*<(?:sips?|tel):)/gi;
const HEADER_NAME = /^((?:From|To|f|t|Contact|m|P-Asserted-Identity|P-Preferred-Identity|Remote-Party-ID|Referred-By|Refer-To|Diversion)\s*:\s*)([^<"\r\n]*?[^<"\s\r\n][^<"\r\n]*?)(\s*<(?:sips?|tel):)/gim;
const KEY_NAME = /(?<![[\w-])((?:display[-_ ]?)?name\s*[=:]\s*)("[^"]*"|[^\s,;|]+)/gi;
// Sizes and durations are not phone numbers: a run of digits followed by a unit stays; so does a file name (`000000000000-directory.xml`).
const NUMBER = /(?<![\w.:/#@=-])\+?\(?\d[\d \-()]{5,}\d(?![\w.]|-[A-Za-z])(?!\s?(?:bytes|chars|characters|ms|KB|KiB|MB|blocks|records|lines|seconds|s\b))/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const URI_HINT = /(?:sips?|tel):/i;
const NAME_HINT = /name/i;
/** A phone number has at least 7 digits: a text with fewer has none. */
const SEVEN_DIGITS_HINT = /(?:\d[^\d]{0,6}){7}/;
const BARE_USER_AT_HOST = /^([^@\s]+)(@\S*)$/;

export class LogRedactor {
  private readonly cache = new Map<string, string>();
  private knownUsers: string[] = [];
  private knownUserPattern: RegExp | null = null;

  constructor(private readonly hmac: (data: string) => Uint8Array, private readonly settings: () => RedactionSettings) {}

  /** The logger's text filter. */
  readonly filter: LogTextFilter = (component: string, _level: LogLevel, text: string): string => {
    const s = this.settings();
    const out = s.keepMessageBodies ? text : withoutMessageBody(text);
    return s.clearParty ? replaceParties(out, (v) => v) : this.redact(out);
  };

  /** Forget every token made so far (the key was erased: the next tokens come from a new one). */
  forgetTokens(): void {
    this.cache.clear();
  }

  /**
   * A user ID of this boot (login, restored session): wherever it appears
   * unmarked (file names such as `<user>-calls.xml`, server URLs) it becomes
   * its token too. Kept in RAM only.
   */
  rememberUser(user: string): void {
    if (user.length < KNOWN_USER_MIN_LENGTH || this.knownUsers.includes(user)) return;
    this.knownUsers = [user, ...this.knownUsers].slice(0, KNOWN_USERS_LIMIT);
    const alternatives = [...this.knownUsers].sort((a, b) => b.length - a.length).map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.knownUserPattern = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'g');
  }

  /** Every party value of `text` replaced by its token: the marked ones by kind, then the safety net. */
  redact(text: string): string {
    let out = replaceParties(text, (v, kind) => this.partyToken(v, kind));
    if (this.knownUserPattern) out = out.replace(this.knownUserPattern, (u) => this.token('user', u, true));
    // Every line of every component passes here: cheap checks skip the patterns that cannot match.
    const hasUri = URI_HINT.test(out);
    if (hasUri && out.indexOf('<') >= 0) {
      out = out.replace(QUOTED_NAME, (_m, name: string, rest: string) => `"${this.token('name', name)}"${rest}`);
      out = out.replace(HEADER_NAME, (_m, head: string, name: string, rest: string) => `${head}${this.token('name', name)}${rest}`);
    }
    if (NAME_HINT.test(out)) out = out.replace(KEY_NAME, (_m, head: string, value: string) => `${head}${this.token('name', value.replace(/^"|"$/g, ''))}`);
    if (hasUri) {
      out = out.replace(URI, (_m, scheme: string, user: string, host: string | undefined) => {
        const kind: TokenKind = isPhoneNumber(user) ? 'num' : 'user';
        return `${scheme}:${this.token(kind, user)}${host ?? ''}`;
      });
    }
    if (!SEVEN_DIGITS_HINT.test(out)) return out;
    out = out.replace(NUMBER, (m) => (ISO_DATE.test(m) || digitCount(m) < 7 ? m : this.token('num', m)));
    return out;
  }

  /** The token of one marked value. An address keeps its scheme and host: only the number or user part is hidden. */
  partyToken(value: string, kind: PartyKind): string {
    if (kind === 'number') return this.token('num', value);
    if (kind === 'user') {
      // A marked user ID is also looked for unmarked in the lines after it (`<user>.cfg` in a configuration line).
      this.rememberUser(value);
      return this.token('user', value, true);
    }
    if (kind === 'name') return this.token('name', value);
    if (isPhoneNumber(value)) return this.token('num', value);
    URI.lastIndex = 0;
    if (URI.test(value)) {
      URI.lastIndex = 0;
      return value.replace(URI, (_m, scheme: string, user: string, host: string | undefined) => `${scheme}:${this.token('user', user)}${host ?? ''}`);
    }
    const at = BARE_USER_AT_HOST.exec(value);
    return at ? `${this.token('user', at[1])}${at[2]}` : this.token('user', value);
  }

  /**
   * `[num:1a2b3c4d]`: the first 32 bits of HMAC(key, kind + normalised value), hex.
   * A URI user part that is a number is a `num`; a user ID (`userId`) stays a `user` even when it is digits.
   */
  token(kind: TokenKind, value: string, userId = false): string {
    if (userId) return this.cached('user', value.toLowerCase());
    const normal = kind === 'name' ? value.trim().toLowerCase() : kind === 'num' || isPhoneNumber(value) ? normaliseNumber(value) : value.toLowerCase();
    const tokenKind = kind === 'user' && isPhoneNumber(value) ? 'num' : kind;
    return this.cached(tokenKind, normal);
  }

  private cached(tokenKind: TokenKind, normal: string): string {
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
