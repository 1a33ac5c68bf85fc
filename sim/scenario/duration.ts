/** Durations for people to read ("1d 2h", "30s", "250ms"); they are parsed by asDuration (argument.ts). */

/** "1d 2h", "30s", "250ms": the largest two units, for reports and the terminal. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const out: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [name, size] of units) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (out.length === 2) break;
  }
  return out.join(' ');
}
