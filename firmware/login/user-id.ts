/**
 * User IDs become file names (`<user>.cfg`, `<user>-phone.cfg`, store paths
 * `user/<user>/...`) and URL path segments on the provisioning server. An ID
 * that could climb out of a directory, hide a file, break a URL or a log
 * line is refused with a message that says what is wrong.
 */
import { message, type Message } from '../ui/i18n/messages';

export const MAX_USER_ID_LENGTH = 64;
const SAFE = /^[A-Za-z0-9._@-]+$/;

/** Why `id` is not a safe user ID (shown on the login screen, logged in English), or null when it is. */
export function userIdProblem(id: string): Message | null {
  if (id.length === 0) return message('userId.empty');
  if (id.length > MAX_USER_ID_LENGTH) return message('userId.tooLong', { max: MAX_USER_ID_LENGTH });
  if (/[\u0000-\u001f\u007f]/.test(id)) return message('userId.control');
  if (/[\\/]/.test(id)) return message('userId.separator');
  if (id.includes('..')) return message('userId.dots');
  if (id.startsWith('.')) return message('userId.leadingDot');
  if (!SAFE.test(id)) return message('userId.character', { character: [...id].find((c) => !SAFE.test(c)) ?? '?' });
  return null;
}
