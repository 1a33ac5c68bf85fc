/**
 * Strings from the line are bounded (docs/logging.md, "Strings from the
 * line"): a display name is cut to PARTY_NAME_MAX characters, an address
 * (number or SIP URI) to PARTY_ADDRESS_MAX, limits of hal/contract.ts that
 * both hosts import. The hosts cut at their entries (baresip adapter,
 * `phone sim` stdin, scenario steps, the browser UI's API) and the firmware
 * cuts again as the last line of defence, so a 300,000-character caller ID
 * can neither fill the flash nor a log line. Each cut is reported so it is
 * logged.
 */
import { PARTY_ADDRESS_MAX, PARTY_NAME_MAX } from '../../hal/contract';

export interface BoundedParty {
  address: string;
  name: string;
  /** What was cut, e.g. `display name of 300000 characters cut to 128`; empty when nothing was. */
  cuts: string[];
}

export function boundParty(address: string, name: string): BoundedParty {
  const cuts: string[] = [];
  return { address: cut(address, PARTY_ADDRESS_MAX, 'address', cuts), name: cut(name, PARTY_NAME_MAX, 'display name', cuts), cuts };
}

/** One address alone (a transfer or forward target). */
export function boundAddress(address: string, cuts: string[]): string {
  return cut(address, PARTY_ADDRESS_MAX, 'address', cuts);
}

function cut(value: string, max: number, what: string, cuts: string[]): string {
  if (value.length <= max) return value;
  cuts.push(`${what} of ${value.length} characters cut to ${max}`);
  let end = max;
  const c = value.charCodeAt(end - 1);
  // Never leave half a surrogate pair behind.
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return value.slice(0, end);
}
