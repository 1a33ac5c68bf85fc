/**
 * Order of firmware versions for the downgrade rule: dotted numbers compare
 * numerically part by part (0.10.0 > 0.9.1); a pre-release suffix (`-rc1`)
 * sorts before the release; anything else compares as text.
 */
export function compareVersions(a: string, b: string): number {
  const pa = split(a);
  const pb = split(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(pa.numbers.length, pb.numbers.length); i++) {
    const d = (pa.numbers[i] ?? 0) - (pb.numbers[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (pa.suffix === pb.suffix) return 0;
  if (!pa.suffix) return 1;
  if (!pb.suffix) return -1;
  return pa.suffix < pb.suffix ? -1 : 1;
}

function split(v: string): { numbers: number[]; suffix: string } | null {
  const m = /^(\d+(?:\.\d+)*)(?:[-+](.*))?$/.exec(v);
  return m ? { numbers: m[1].split('.').map(Number), suffix: m[2] ?? '' } : null;
}
