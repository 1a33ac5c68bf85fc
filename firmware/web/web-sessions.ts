/**
 * Web sessions, in RAM only (a reboot logs every browser out; nothing of a
 * session is ever written to flash). A session id and its CSRF token are 32
 * random bytes each from the crypto device. A browser first gets a
 * pre-login session (for the login form's CSRF token); a successful login
 * ALWAYS makes a new session with a new id and drops the old one, so an id
 * planted in a browser before login is worthless after it (session fixation).
 * A session ends after `idleMs` without a request (virtual time in the
 * simulator: the phone's monotonic clock), at logout, or when the table is
 * full and it is the least recently used.
 */
import type { Crypto } from '../../hal/contract';
import { bytesToHex } from '../kernel/hex';
import type { WebRole, WebSession } from './web-page';

/** Sessions kept at most (each is a few hundred bytes); the least recently used goes first. */
export const MAX_SESSIONS = 16;
const ID_BYTES = 32;

export interface SessionState extends WebSession {
  id: string;
  /** null: before login (only the login page and the stylesheet). */
  role: WebRole;
  loggedIn: boolean;
  /** Logged in with the default admin password: only Change Password until it is replaced. */
  mustChangeAdmin: boolean;
  lastSeen: number;
  /** One-time notice shown on the next page (after a redirect). */
  notice: string | null;
}

export class WebSessions {
  private readonly byId = new Map<string, SessionState>();

  constructor(private readonly crypto: Crypto, private readonly monotonic: () => number) {}

  /** The live session of an id; an idle one is ended here (`expired` says so). */
  find(id: string | undefined, idleMs: number): { session: SessionState | null; expired: SessionState | null } {
    if (!id) return { session: null, expired: null };
    const s = this.byId.get(id);
    if (!s) return { session: null, expired: null };
    if (this.monotonic() - s.lastSeen > idleMs) {
      this.end(s);
      return { session: null, expired: s };
    }
    s.lastSeen = this.monotonic();
    return { session: s, expired: null };
  }

  /** A pre-login session (login form) or, with `role`, a logged-in one. Always a fresh id. */
  create(role: WebRole | null, mustChangeAdmin = false): SessionState {
    while (this.byId.size >= MAX_SESSIONS) {
      let oldest: SessionState | null = null;
      for (const s of this.byId.values()) if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
      this.end(oldest!);
    }
    const s: SessionState = {
      id: bytesToHex(this.crypto.randomBytes(ID_BYTES)),
      csrfToken: bytesToHex(this.crypto.randomBytes(ID_BYTES)),
      role: role ?? 'user',
      loggedIn: role !== null,
      mustChangeAdmin,
      lastSeen: this.monotonic(),
      notice: null,
    };
    this.byId.set(s.id, s);
    return s;
  }

  end(s: SessionState): void {
    this.byId.delete(s.id);
  }

  /** Every session ends (the web server stops, passwords change by reset). */
  clear(): void {
    this.byId.clear();
  }

  count(): number {
    return this.byId.size;
  }
}

/** A session id as sent: 64 lower-case hex digits. */
export function isSessionId(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}
