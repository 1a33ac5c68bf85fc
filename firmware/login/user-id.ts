/**
 * User IDs become file names (`<user>.cfg`, `<user>-phone.cfg`, store paths
 * `user/<user>/...`) and URL path segments on the provisioning server. An ID
 * that could climb out of a directory, hide a file, break a URL or a log
 * line is refused with a message that says what is wrong.
 */
export const MAX_USER_ID_LENGTH = 64;
const SAFE = /^[A-Za-z0-9._@-]+$/;

/** Why `id` is not a safe user ID, or null when it is. */
export function userIdProblem(id: string): string | null {
  if (id.length === 0) return 'User ID is empty';
  if (id.length > MAX_USER_ID_LENGTH) return `User ID is longer than ${MAX_USER_ID_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'User ID contains a control character';
  if (/[\\/]/.test(id)) return 'User ID contains a path separator';
  if (id.includes('..')) return 'User ID contains ".."';
  if (id.startsWith('.')) return 'User ID may not start with "."';
  if (!SAFE.test(id)) {
    const bad = [...id].find((c) => !SAFE.test(c)) ?? '?';
    return `User ID contains "${bad}": only letters, digits and . _ @ - are allowed`;
  }
  return null;
}
