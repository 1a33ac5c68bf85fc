/**
 * Phone-based authentication (spec: "User Profile Phone Authentication"):
 * the password typed at the login screen against `prov.login.localPassword`
 * of the user's files — clear text, or with `prov.login.localPassword.hash=1`
 * the SHA-1 of the password as hex — hashed by the HAL crypto engine.
 */
import { bytesToHex } from '../kernel/hex';
import type { Crypto } from '../../hal/contract';
import { utf8Encode } from '../kernel/text-codec';

export interface LocalPassword {
  value: string;
  hashed: boolean;
}

export function sha1Hex(crypto: Crypto, text: string): string {
  return bytesToHex(crypto.sha1(utf8Encode(text)));
}

export function localPasswordMatches(crypto: Crypto, stored: LocalPassword, typed: string): boolean {
  const expected = stored.hashed ? stored.value.trim().toLowerCase() : stored.value;
  const got = stored.hashed ? sha1Hex(crypto, typed) : typed;
  // Same time whatever the first differing character.
  let diff = expected.length ^ got.length;
  for (let i = 0; i < Math.max(expected.length, got.length); i++) diff |= (expected.charCodeAt(i) || 0) ^ (got.charCodeAt(i) || 0);
  return diff === 0;
}

/** What `<user>-phone.cfg` stores after a password change on the phone. */
export function storedForm(crypto: Crypto, password: string, hashed: boolean): string {
  return hashed ? sha1Hex(crypto, password) : password;
}
