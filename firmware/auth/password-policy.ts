/**
 * Rules for a new admin or user password set on the phone (spec:
 * "Administrator and User Passwords", California SB-327): at least
 * `sec.pwd.length.admin` / `sec.pwd.length.user` characters (0 allows an
 * empty password), at most 32, and never the factory default of that role.
 */
import { DEFAULT_PASSWORDS, type Role } from './password-vault';

export const MAX_PASSWORD_LENGTH = 32;

/** Error text for the screen and log, or null when acceptable. */
export function newPasswordProblem(role: Role, password: string, minLength: number): string | null {
  if (password.length < minLength) return `Too short: at least ${minLength} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Too long: at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password === DEFAULT_PASSWORDS[role]) return 'The default password is not allowed';
  return null;
}
