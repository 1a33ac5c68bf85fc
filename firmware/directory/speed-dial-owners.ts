/**
 * Which item first claimed each speed dial index in one pass over a
 * directory file: an array indexed by the number (1–9999, 40 KB) rather than
 * a Map of index strings, which for a 10,000-entry global file held a few
 * thousand entries through the whole pass. An index written otherwise (a
 * leading zero, beyond the range) is kept in a Map by its text, as before.
 */
import { MAX_SPEED_DIAL } from './contact';

export class SpeedDialOwners {
  private readonly byNumber = new Int32Array(MAX_SPEED_DIAL + 1);
  private readonly others = new Map<string, number>();

  /** The owner (not 0) that claimed `sd` before, or 0: then `owner` claims it. */
  claim(sd: string, owner: number): number {
    if (/^\d{1,4}$/.test(sd) && sd[0] !== '0') {
      const i = Number(sd);
      const before = this.byNumber[i];
      if (before === 0) this.byNumber[i] = owner;
      return before;
    }
    const before = this.others.get(sd);
    if (before === undefined) this.others.set(sd, owner);
    return before ?? 0;
  }
}
