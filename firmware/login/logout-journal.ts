/**
 * Crash-consistent logout. A logout takes many flash operations (one class
 * erase per per-user data class); a power cut between them must leave the
 * user neither logged back in with part of their data gone, nor logged out
 * with their data still on flash. So:
 *
 * 1. one store transaction deletes the session and writes a "logout
 *    pending" marker for the user: from its Commit on, the user is logged
 *    out, whatever happens to the power;
 * 2. the user's classes are erased one by one (each class erase finishes
 *    itself at the next mount once its EraseIntent is committed);
 * 3. `userProfile` goes last: the marker is a `userProfile` file of that
 *    user, so that class erase clears the marker with the rest.
 *
 * A boot that finds a marker finishes that user's logout.
 */
import { utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { SESSION_PATH } from './login-session';
import { userIdProblem } from './user-id';

const PENDING_PREFIX = 'login/logout-pending/';

export type JournalStore = Pick<FileStore, 'transaction' | 'list'>;

/** Step 1: the user is logged out from flash's point of view once this returns. */
export function commitLogout(store: JournalStore, user: string, reason: string, at: number): void {
  store.transaction((tx) => {
    tx.delete(SESSION_PATH);
    tx.write(PENDING_PREFIX + user, utf8Encode(JSON.stringify({ reason, at })), { cls: 'userProfile', user });
  });
}

/** Users whose logout a power cut (or a failed erase) left unfinished. */
export function pendingLogouts(store: JournalStore): string[] {
  const users: string[] = [];
  for (const f of store.list(PENDING_PREFIX)) {
    const user = f.user ?? '';
    // The marker's owner is the store's own user field (never decrypted): it must be the one the path names.
    if (user && !userIdProblem(user) && f.path === PENDING_PREFIX + user && !users.includes(user)) users.push(user);
  }
  return users;
}
