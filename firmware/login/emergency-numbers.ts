/**
 * Numbers anyone may call from a phone nobody is logged in to (spec note in
 * "User Profiles"; `dialplan.routing.emergency.<n>.value`, comma-separated
 * numbers, n = 1..MAX_EMERGENCY_ENTRIES). The calls module asks
 * `isDialAllowedWhileLoggedOut` before dialing while the login module says
 * the phone is locked.
 */
import type { ParameterDeclaration } from '../kernel/declaration';
import type { ConfigReader } from './config-reader';

export const MAX_EMERGENCY_ENTRIES = 5;

export function emergencyParameters(): ParameterDeclaration[] {
  const out: ParameterDeclaration[] = [];
  for (let i = 1; i <= MAX_EMERGENCY_ENTRIES; i++) {
    out.push({
      name: `dialplan.routing.emergency.${i}.value`, type: 'string', default: i === 1 ? '911,112' : '', maxLength: 256,
      description: `Emergency or authorized numbers (comma-separated), callable also while no user is logged in (entry ${i}).`,
    });
  }
  return out;
}

/** The configured emergency and authorized numbers. */
export function emergencyNumbers(config: ConfigReader): string[] {
  const out: string[] = [];
  for (let i = 1; i <= MAX_EMERGENCY_ENTRIES; i++) {
    for (const n of (config.get(`dialplan.routing.emergency.${i}.value`) ?? '').split(',')) {
      const t = n.trim();
      if (t) out.push(t);
    }
  }
  return out;
}

/** Digits as dialled, without visual separators; a SIP URI's user part. */
function normalise(number: string): string {
  const user = number.replace(/^sips?:/i, '').split('@')[0];
  return user.replace(/[\s().-]/g, '');
}

export function isEmergencyNumber(config: ConfigReader, number: string): boolean {
  const n = normalise(number);
  return n !== '' && emergencyNumbers(config).some((e) => normalise(e) === n);
}
