/** The middle value: what a figure of several runs reports (one slow run on a shared machine does not move it). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
