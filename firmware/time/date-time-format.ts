/**
 * The idle screen's date and the status bar's clock in Polycom's formats:
 * `lcl.datetime.date.format`, `lcl.datetime.date.longFormat`,
 * `lcl.datetime.time.24HourClock`. Inputs are local times (toLocal in ./dst-rule).
 *
 * Date format letters: D day of the week, d day of the month, M month,
 * Y year; a comma between two letters prints ", ", letters side by side print
 * a space. Polycom's own examples: `D,dM` (Thursday, 3 July), `D,Md`
 * (Thursday, July 3), `dM,D`, `Md,D`, `D,dMY`, `dMY`, `Y,Md`, `DdMY`.
 * With longFormat 0, day and month names are abbreviated (Thu, Jul). Names
 * are in the phone's language (message catalog).
 * Numeric formats as later Polycom software and real fleet files use them:
 * DD, MM, YY or YYYY, three fields joined by '/', '-' or '.' (DD/MM/YYYY,
 * MM/DD/YY, YYYY-MM-DD, …); longFormat does not apply to them.
 */

import { t } from '../ui/i18n/messages';

/** Day (Sunday first) and month names in the phone's language, long or abbreviated. */
function names(kind: 'days' | 'months', long: boolean): string[] {
  if (kind === 'days') return t(long ? 'date.days' : 'date.daysShort').split(',');
  return t(long ? 'date.months' : 'date.monthsShort').split(',');
}

export const DEFAULT_DATE_FORMAT = 'D,dM';

const NUMERIC = /^(DD|MM|YYYY|YY)([/.-])(DD|MM|YYYY|YY)\2(DD|MM|YYYY|YY)$/;

/** A date format is one to four distinct letters of DdMY, commas only between letters, or a numeric one (DD/MM/YYYY). */
export function dateFormatProblem(format: string): string | null {
  const numeric = NUMERIC.exec(format);
  if (numeric) {
    const fields = [numeric[1], numeric[3], numeric[4]].map((f) => f[0]);
    return new Set(fields).size === 3 ? null : 'a numeric format has each of DD, MM and YY or YYYY once';
  }
  if (!/^[DdMY](,?[DdMY]){0,3}$/.test(format)) return 'letters D, d, M, Y with at most one comma between two letters, or DD/MM/YYYY-style fields';
  const letters = format.replace(/,/g, '');
  if (new Set(letters.split('')).size !== letters.length) return 'a letter appears twice';
  return null;
}

/** The date of `localMs` (read with getUTC*) in `format`; an invalid format falls back to the default. */
export function formatDate(localMs: number, format: string, long: boolean): string {
  const d = new Date(localMs);
  const fmt = dateFormatProblem(format) ? DEFAULT_DATE_FORMAT : format;
  const numeric = NUMERIC.exec(fmt);
  if (numeric) {
    const two = (n: number) => (n < 10 ? '0' : '') + n;
    const field = (f: string) => (f === 'DD' ? two(d.getUTCDate()) : f === 'MM' ? two(d.getUTCMonth() + 1) : f === 'YY' ? two(d.getUTCFullYear() % 100) : String(d.getUTCFullYear()));
    return [numeric[1], numeric[3], numeric[4]].map(field).join(numeric[2]);
  }
  const days = names('days', long);
  const months = names('months', long);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === ',') {
      out += ',';
      continue;
    }
    if (out) out += ' ';
    if (c === 'D') out += days[d.getUTCDay()];
    else if (c === 'd') out += String(d.getUTCDate());
    else if (c === 'M') out += months[d.getUTCMonth()];
    else out += String(d.getUTCFullYear());
  }
  return out;
}

/** Hours and minutes of `localMs`: `14:05` on a 24-hour clock, `2:05 PM` on a 12-hour one. */
export function formatTime(localMs: number, twentyFourHour: boolean): string {
  const d = new Date(localMs);
  const mm = (d.getUTCMinutes() < 10 ? '0' : '') + d.getUTCMinutes();
  const h = d.getUTCHours();
  if (twentyFourHour) return `${h < 10 ? '0' : ''}${h}:${mm}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${mm} ${h < 12 ? 'AM' : 'PM'}`;
}
