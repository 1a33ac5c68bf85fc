/**
 * Numbers anyone may call from a phone nobody is logged in to (spec note in
 * "User Profiles"; `dialplan.routing.emergency.<n>.value`, comma-separated
 * numbers, n = 1..MAX_EMERGENCY_ENTRIES). The calls module asks
 * `isDialAllowedWhileLoggedOut` before dialing while the login module says
 * the phone is locked.
 *
 * Real Polycom files also give each line's dial plan its own list,
 * `dialplan.<line>.routing.emergency.<n>.value` (line 1..the board's lines).
 * A call here is not tied to a line before it is placed, so the phone's
 * emergency numbers are the generic list plus every line's list of the board
 * (a number emergency on one line is let through on a locked phone).
 */
import type { ParameterDeclaration } from '../kernel/declaration';
import type { ConfigReader } from './config-reader';

export const MAX_EMERGENCY_ENTRIES = 5;
/** Per-line dial plans are declared for the largest board (4 lines); a board reads only its own lines. */
export const MAX_DIAL_PLAN_LINES = 4;

/** The board's line count: its line keys (`line1`..`lineN`). */
export function boardLineCount(board: { keys: readonly string[] }): number {
  return board.keys.filter((k) => /^line\d+$/.test(k)).length;
}

export function emergencyParameters(): ParameterDeclaration[] {
  const out: ParameterDeclaration[] = [];
  for (let i = 1; i <= MAX_EMERGENCY_ENTRIES; i++) {
    out.push({
      name: `dialplan.routing.emergency.${i}.value`, type: 'string', default: i === 1 ? '911,112' : '', maxLength: 256,
      description: `Emergency or authorized numbers (comma-separated), callable also while no user is logged in (entry ${i}).`,
    });
  }
  for (let line = 1; line <= MAX_DIAL_PLAN_LINES; line++) {
    for (let i = 1; i <= MAX_EMERGENCY_ENTRIES; i++) {
      out.push({
        name: `dialplan.${line}.routing.emergency.${i}.value`, type: 'string', default: '', maxLength: 256,
        description: `Emergency numbers (comma-separated) of line ${line}'s dial plan, entry ${i}; callable also while no user is logged in (lines the board lacks are ignored).`,
      });
    }
  }
  return out;
}

/** The configured emergency and authorized numbers: the generic list, then each of the board's lines' lists (no duplicates). */
export function emergencyNumbers(config: ConfigReader, lineCount = MAX_DIAL_PLAN_LINES): string[] {
  const out: string[] = [];
  const prefixes = ['dialplan.routing.emergency'];
  for (let line = 1; line <= Math.min(lineCount, MAX_DIAL_PLAN_LINES); line++) prefixes.push(`dialplan.${line}.routing.emergency`);
  for (const prefix of prefixes) {
    for (let i = 1; i <= MAX_EMERGENCY_ENTRIES; i++) {
      for (const n of (config.get(`${prefix}.${i}.value`) ?? '').split(',')) {
        const t = n.trim();
        if (t && !out.includes(t)) out.push(t);
      }
    }
  }
  return out;
}

/** Digits as dialled, without visual separators; a SIP URI's user part. */
function normalise(number: string): string {
  const user = number.replace(/^sips?:/i, '').split('@')[0];
  return user.replace(/[\s().-]/g, '');
}

export function isEmergencyNumber(config: ConfigReader, number: string, lineCount = MAX_DIAL_PLAN_LINES): boolean {
  const n = normalise(number);
  return n !== '' && emergencyNumbers(config, lineCount).some((e) => normalise(e) === n);
}
