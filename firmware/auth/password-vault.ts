/**
 * Admin and user passwords, stored only as salted PBKDF2-SHA256 hashes
 * computed by the HAL crypto engine. Until a password is changed, the spec's
 * defaults apply (admin 456, user 123).
 */
import { bytesToHex, hexToBytes } from '../kernel/hex';
import type { Crypto } from '../../hal/contract';
import { utf8Encode } from '../kernel/text-codec';

export type Role = 'user' | 'admin';

export const DEFAULT_PASSWORDS: Record<Role, string> = { admin: '456', user: '123' };
const ITERATIONS = 10000;

/** Where the hashes live (device settings in nvram). */
export interface SecretStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class PasswordVault {
  constructor(private readonly crypto: Crypto, private readonly store: SecretStore) {}

  /** The role a password grants: admin's opens user menus too. */
  check(password: string): Role | null {
    if (this.matches('admin', password)) return 'admin';
    if (this.matches('user', password)) return 'user';
    return null;
  }

  isDefault(role: Role): boolean {
    return this.store.get(`auth.${role}`) === undefined;
  }

  set(role: Role, password: string): void {
    const salt = this.crypto.randomBytes(16);
    const hash = this.crypto.pbkdf2Sha256(utf8Encode(password), salt, ITERATIONS, 32);
    this.store.set(`auth.${role}`, `pbkdf2-sha256$${ITERATIONS}$${bytesToHex(salt)}$${bytesToHex(hash)}`);
  }

  private matches(role: Role, password: string): boolean {
    const stored = this.store.get(`auth.${role}`);
    if (stored === undefined) return password === DEFAULT_PASSWORDS[role];
    const [scheme, iterations, saltHex, hashHex] = stored.split('$');
    if (scheme !== 'pbkdf2-sha256') return false;
    const salt = hexToBytes(saltHex);
    const hash = this.crypto.pbkdf2Sha256(utf8Encode(password), salt, Number(iterations), 32);
    return constantTimeEqual(bytesToHex(hash), hashHex);
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
