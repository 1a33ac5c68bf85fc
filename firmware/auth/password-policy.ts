/**
 * Rules for a new admin or user password set on the phone (spec:
 * "Administrator and User Passwords", California SB-327): at least
 * `sec.pwd.length.admin` / `sec.pwd.length.user` characters (0 allows an
 * empty password), at most 32, and never the factory default of that role.
 */
import { message, type Message } from '../ui/i18n/messages';
import { DEFAULT_PASSWORDS, type Role } from './password-vault';

export const MAX_PASSWORD_LENGTH = 32;

/** What is wrong (shown on the screen, audited in English), or null when acceptable. */
export function newPasswordProblem(role: Role, password: string, minLength: number): Message | null {
  if (password.length < minLength) return message('password.tooShort', { min: minLength });
  if (password.length > MAX_PASSWORD_LENGTH) return message('password.tooLong', { max: MAX_PASSWORD_LENGTH });
  if (password === DEFAULT_PASSWORDS[role]) return message('password.defaultNotAllowed');
  return null;
}
