/**
 * Local time from a GMT offset and a Polycom daylight-saving rule
 * (`tcpIpApp.sntp.daylightSavings.*`). Pure functions of UTC milliseconds.
 *
 * Polycom's rule, per edge (start / stop): a month, a `date`, a `dayOfWeek`
 * (1 = Sunday … 7 = Saturday), `dayOfWeek.lastInMonth`, and an hour.
 * - fixedDayEnable = 1: the edge is that month's `date` (a date past the month's
 *   end means its last day).
 * - otherwise the edge is the first `dayOfWeek` on or after `date` (1 = first,
 *   8 = second, 15 = third, 22 = fourth occurrence), or, with lastInMonth, the
 *   last `dayOfWeek` of the month (`date` ignored).
 * The start hour is local standard time, the stop hour local daylight time
 * (US: 2:00 → 3:00 in March, 2:00 → 1:00 in November; EU: start 2, stop 3).
 * DST adds one hour. A stop before the start in the year (southern hemisphere)
 * means DST spans the new year.
 */

export interface DstEdge {
  /** 1–12. */
  month: number;
  /** 1–31. */
  date: number;
  /** 1 = Sunday … 7 = Saturday. */
  dayOfWeek: number;
  lastInMonth: boolean;
  /** 0–23, local time (standard time for the start, daylight time for the stop). */
  hour: number;
}

export interface TimeZoneRule {
  /** Offset of local standard time from GMT, seconds. */
  gmtOffsetSec: number;
  dst: { enabled: boolean; fixedDay: boolean; start: DstEdge; stop: DstEdge };
}

const HOUR_MS = 3600_000;

/** Polycom's defaults: US rules, second Sunday of March 2:00 to first Sunday of November 2:00. */
export const US_DST_RULE: TimeZoneRule['dst'] = {
  enabled: true,
  fixedDay: false,
  start: { month: 3, date: 8, dayOfWeek: 1, lastInMonth: false, hour: 2 },
  stop: { month: 11, date: 1, dayOfWeek: 1, lastInMonth: false, hour: 2 },
};

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of the month (1–31) an edge falls on in `year`. */
export function edgeDay(year: number, edge: DstEdge, fixedDay: boolean): number {
  const last = daysIn(year, edge.month);
  const date = Math.min(Math.max(1, edge.date), last);
  if (fixedDay) return date;
  const wanted = edge.dayOfWeek - 1; // 0 = Sunday, as Date counts
  if (edge.lastInMonth) {
    const lastDow = new Date(Date.UTC(year, edge.month - 1, last)).getUTCDay();
    return last - ((lastDow - wanted + 7) % 7);
  }
  const dow = new Date(Date.UTC(year, edge.month - 1, date)).getUTCDay();
  const day = date + ((wanted - dow + 7) % 7);
  // "On or after" running past the month's end: the last such day of the month.
  return day > last ? day - 7 : day;
}

/** UTC instants (ms) at which DST starts and stops in the local year `year`. */
export function dstTransitions(year: number, rule: TimeZoneRule): { start: number; stop: number } {
  const { dst, gmtOffsetSec } = rule;
  const at = (edge: DstEdge) => Date.UTC(year, edge.month - 1, edgeDay(year, edge, dst.fixedDay), edge.hour);
  return {
    start: at(dst.start) - gmtOffsetSec * 1000,
    stop: at(dst.stop) - gmtOffsetSec * 1000 - HOUR_MS,
  };
}

/** Whether daylight-saving time is in force at `utcMs`. */
export function isDaylightTime(utcMs: number, rule: TimeZoneRule): boolean {
  if (!rule.dst.enabled) return false;
  const year = new Date(utcMs + rule.gmtOffsetSec * 1000).getUTCFullYear();
  const { start, stop } = dstTransitions(year, rule);
  if (start === stop) return false;
  return start < stop ? utcMs >= start && utcMs < stop : utcMs >= start || utcMs < stop;
}

/** Offset of local time from UTC at `utcMs`, ms. */
export function localOffsetMs(utcMs: number, rule: TimeZoneRule): number {
  return rule.gmtOffsetSec * 1000 + (isDaylightTime(utcMs, rule) ? HOUR_MS : 0);
}

/** Local wall time as "UTC-shaped" ms: read it with getUTC* methods. */
export function toLocal(utcMs: number, rule: TimeZoneRule): number {
  return utcMs + localOffsetMs(utcMs, rule);
}
