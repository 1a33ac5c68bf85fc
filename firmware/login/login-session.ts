/**
 * Who is logged in, kept in the `fs` store under the user's own
 * `userProfile` data-class key, so logging out (class erase of that user)
 * removes it with the rest of their data. Server-based authentication keeps
 * the user's server password here too: `prov.login.persistent=1` must log
 * them back in to the server after a reboot.
 */
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { userIdProblem } from './user-id';

export const SESSION_PATH = 'login/session';

export interface LoginSession {
  user: string;
  method: 'phone' | 'server';
  /** Wall time of the login, ms. */
  since: number;
  /** Logged in as `prov.login.defaultUser`. */
  isDefault: boolean;
  /** Server-based authentication only. */
  password?: string;
}

export type SessionStore = Pick<FileStore, 'read' | 'write' | 'delete' | 'exists'>;

/** The stored session; null when none, or unreadable (logged by the caller). */
export function readSession(store: SessionStore, onError: (msg: string) => void): LoginSession | null {
  let bytes: Uint8Array | null;
  try {
    bytes = store.read(SESSION_PATH);
  } catch (e) {
    onError(`login session unreadable (${(e as Error).message})`);
    return null;
  }
  if (!bytes) return null;
  try {
    const s = JSON.parse(utf8Decode(bytes)) as LoginSession;
    if (typeof s.user !== 'string' || userIdProblem(s.user) || (s.method !== 'phone' && s.method !== 'server') || typeof s.since !== 'number') throw new Error('bad shape');
    return { user: s.user, method: s.method, since: s.since, isDefault: !!s.isDefault, ...(typeof s.password === 'string' ? { password: s.password } : {}) };
  } catch (e) {
    onError(`login session unreadable (${(e as Error).message}): nobody is logged in`);
    return null;
  }
}

export function writeSession(store: SessionStore, s: LoginSession): void {
  store.write(SESSION_PATH, utf8Encode(JSON.stringify(s)), { cls: 'userProfile', user: s.user });
}
