/**
 * Admin and user passwords, stored only as salted PBKDF2-SHA256 hashes
 * computed by the HAL crypto engine. Until a password is changed, the spec's
 * defaults apply (admin 456, user 123).
 *
 * A check costs the same whatever is typed: both roles' hashes are always
 * computed (a default password is hashed too, under a fixed salt, though it
 * is compared as typed), so the time of an attempt does not tell a right
 * password from a wrong one, nor which role it matched.
 */
import { bytesToHex, hexToBytes } from '../kernel/hex';
import type { Crypto } from '../../hal/contract';
import { utf8Encode } from '../kernel/text-codec';

export type Role = 'user' | 'admin';

export const DEFAULT_PASSWORDS: Record<Role, string> = { admin: '456', user: '123' };
const ITERATIONS = 10000;
/** Salt for the equal-cost hash of an attempt against a default (unstored) password. */
const DEFAULT_CHECK_SALT = new Uint8Array(16);

/** Where the hashes live (device settings in nvram). */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class PasswordVault {
  constructor(private readonly crypto: Crypto, private readonly store: SecretStore) {}

  /** The role a password grants: admin's opens user menus too. */
  check(password: string): Role | null {
    const admin = this.matches('admin', password);
    const user = this.matches('user', password);
    return admin ? 'admin' : user ? 'user' : null;
  }

  isDefault(role: Role): boolean {
    return this.store.get(`auth.${role}`) === undefined;
  }

  set(role: Role, password: string): void {
    const salt = this.crypto.randomBytes(16);
    const hash = this.crypto.pbkdf2Sha256(utf8Encode(password), salt, ITERATIONS, 32);
    this.store.set(`auth.${role}`, `pbkdf2-sha256$${ITERATIONS}$${bytesToHex(salt)}$${bytesToHex(hash)}`);
  }

  /** One PBKDF2 run, whether the role's password is stored, default or unreadable. */
  private matches(role: Role, password: string): boolean {
    const stored = this.store.get(`auth.${role}`);
    const [scheme, iterations, saltHex, hashHex] = (stored ?? '').split('$');
    const usable = scheme === 'pbkdf2-sha256' && Number(iterations) > 0 && /^([0-9a-f]{2})+$/i.test(saltHex ?? '');
    const salt = usable ? hexToBytes(saltHex) : DEFAULT_CHECK_SALT;
    const hash = bytesToHex(this.crypto.pbkdf2Sha256(utf8Encode(password), salt, usable ? Number(iterations) : ITERATIONS, 32));
    if (stored === undefined) return constantTimeEqual(password, DEFAULT_PASSWORDS[role]);
    return usable && constantTimeEqual(hash, hashHex ?? '');
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
