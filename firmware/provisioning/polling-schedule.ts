/**
 * When the phone polls its provisioning server, as Polycom UC Software
 * schedules it (`prov.polling.*`). Pure functions of the settings and the
 * clocks, so a fleet's schedule can be checked without a phone.
 *
 * - `abs`: every day at `prov.polling.time` (local time); a period longer than
 *   a day is rounded up to whole days and the phone polls on every Nth
 *   calendar day (days counted from the epoch, so the schedule survives reboots).
 * - `rel`: every `prov.polling.period` seconds counted from boot (monotonic).
 * - `random`: once per period (whole days) at a time in
 *   [`prov.polling.time`, `prov.polling.timeRandomEnd`). The time within the
 *   window and the day within a multi-day period come from a hash of the MAC:
 *   stable for one phone across reboots, spread over the window for a fleet
 *   (Polycom re-draws the time at each reboot; a stable one lets an admin
 *   predict a phone's poll, and spreads the fleet just as well).
 *   A window that ends before it starts runs over midnight; an empty or
 *   unreadable end means a window of length 0 (polls at `time`, like abs).
 *
 * Wall times are local: the caller passes the local-time offset from UTC in
 * force (0 when the phone knows no time zone).
 */
export type PollingMode = 'abs' | 'rel' | 'random';

export interface PollingSettings {
  enabled: boolean;
  mode: PollingMode;
  periodS: number;
  /** Minutes after local midnight. */
  timeMin: number;
  /** Minutes after local midnight (random mode), or null for none. */
  randomEndMin: number | null;
}

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
export const DEFAULT_POLL_TIME = '03:00';

/** `hh:mm` (24 h) → minutes after midnight, or null when not such a time. */
export function parseClockTime(text: string | undefined): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text ?? '');
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** The `prov.polling.*` values in force; `problems` lists the ones that could not be read (their defaults are used). */
export function readPollingSettings(get: (name: string) => string | undefined): { settings: PollingSettings; problems: string[] } {
  const problems: string[] = [];
  const modeText = get('prov.polling.mode') ?? 'abs';
  const mode: PollingMode = modeText === 'rel' || modeText === 'random' ? modeText : 'abs';
  if (modeText !== mode) problems.push(`prov.polling.mode "${modeText}" is not abs, rel or random: using abs`);
  const period = Number(get('prov.polling.period') ?? '86400');
  const timeText = get('prov.polling.time') ?? DEFAULT_POLL_TIME;
  let timeMin = parseClockTime(timeText);
  if (timeMin === null) {
    problems.push(`prov.polling.time "${timeText}" is not hh:mm: using ${DEFAULT_POLL_TIME}`);
    timeMin = parseClockTime(DEFAULT_POLL_TIME) as number;
  }
  const endText = get('prov.polling.timeRandomEnd') ?? '';
  const randomEndMin = endText.trim() === '' ? null : parseClockTime(endText);
  if (endText.trim() !== '' && randomEndMin === null) problems.push(`prov.polling.timeRandomEnd "${endText}" is not hh:mm: random window of length 0`);
  return {
    settings: { enabled: get('prov.polling.enabled') === '1', mode, periodS: Number.isFinite(period) && period > 0 ? period : 86400, timeMin, randomEndMin },
    problems,
  };
}

/** A well-mixed 32-bit hash of the MAC (FNV-1a then a murmur3 finaliser): neighbouring MACs land far apart. */
export function macHash(mac: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  const text = mac.toLowerCase();
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whole days of a period in abs and random modes (rounded up, at least one). */
export function periodDays(periodS: number): number {
  return Math.max(1, Math.ceil(periodS / 86400));
}

/** Offset in ms after local midnight at which this phone polls on a polling day. */
export function pollTimeOfDayMs(s: PollingSettings, mac: string): number {
  const start = s.timeMin * MIN_MS;
  if (s.mode !== 'random' || s.randomEndMin === null) return start;
  const windowMs = ((s.randomEndMin - s.timeMin + 1440) % 1440) * MIN_MS;
  if (windowMs === 0) return start;
  // Second resolution within the window: 100 phones in a 2-hour window get 100 distinct times.
  const offset = (macHash(mac) % Math.floor(windowMs / 1000)) * 1000;
  return (start + offset) % DAY_MS;
}

/**
 * Next poll of abs or random mode as UTC ms, strictly after `nowUtcMs`.
 * `offsetMs` is local time minus UTC.
 */
export function nextCalendarPollUtc(s: PollingSettings, mac: string, nowUtcMs: number, offsetMs: number): number {
  const days = periodDays(s.periodS);
  const dayPhase = s.mode === 'random' ? macHash(mac, 0x5eed) % days : 0;
  const timeOfDay = pollTimeOfDayMs(s, mac);
  const nowLocal = nowUtcMs + offsetMs;
  let day = Math.floor(nowLocal / DAY_MS);
  // At most days+1 candidate days hold the next poll day.
  for (let i = 0; i <= days + 1; i++, day++) {
    if (((day - dayPhase) % days + days) % days !== 0) continue;
    const atLocal = day * DAY_MS + timeOfDay;
    if (atLocal > nowLocal) return atLocal - offsetMs;
  }
  return nowUtcMs + days * DAY_MS; // not reached
}

/** Next poll of rel mode as monotonic ms (boot = 0), strictly after `nowMonotonicMs`. */
export function nextRelativePollMonotonic(s: PollingSettings, nowMonotonicMs: number): number {
  const periodMs = s.periodS * 1000;
  return (Math.floor(nowMonotonicMs / periodMs) + 1) * periodMs;
}
