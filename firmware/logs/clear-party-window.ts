/**
 * The admin's bounded window of clear-text party logging
 * (`log.clearParty.hours`, docs/logging.md "Clear-text party logging").
 * Setting the parameter to N > 0 opens the window for N hours from that
 * moment; it closes by itself at that absolute time (kept on flash as
 * `logs/clear-party.window`, class `logs`, so a reboot neither ends it early
 * nor extends it, and a reset that erases the logs ends it). Setting 0
 * closes it at once. The window opens on a change of the parameter only: a
 * value left at N after the window ended does not reopen it at the next
 * boot; an admin sets it again (0, then N) to reopen it.
 */
import type { ComponentLogger } from '../kernel/logger';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { Timers } from '../kernel/timers';
import type { FileStore } from '../storage/file-store';

export const CLEAR_PARTY_PARAMETER = 'log.clearParty.hours';
export const CLEAR_PARTY_MAX_HOURS = 72;
export const CLEAR_PARTY_PATH = 'logs/clear-party.window';
const HOUR_MS = 3_600_000;

interface StoredWindow {
  hours: number;
  /** Wall-clock ms at which the window closes. */
  endsAt: number;
}

export interface ClearPartyDeps {
  fs: FileStore;
  timers: Timers;
  /** Wall-clock ms. */
  now: () => number;
  log: ComponentLogger;
  /** Told whenever the window opens (its end) or closes (null). */
  onChange: (until: number | null) => void;
}

export class ClearPartyWindow {
  private endsAt: number | null = null;
  private timer: number | null = null;

  constructor(private readonly d: ClearPartyDeps) {}

  /** Until when party data is logged in clear; null: redacted. */
  openUntil(): number | null {
    return this.endsAt;
  }

  /** At boot: the stored window is open again if it has not ended and the parameter still asks for one. */
  restore(hours: number): void {
    const stored = this.read();
    if (!stored) return;
    const left = stored.endsAt - this.d.now();
    // A clock set back could stretch the window past its hours: closed instead (the safe side).
    if (hours <= 0 || left <= 0 || left > stored.hours * HOUR_MS) {
      this.close(left <= 0 ? 'its hours are over' : hours <= 0 ? `${CLEAR_PARTY_PARAMETER}=0` : 'the clock went back');
      return;
    }
    this.open(stored.endsAt, stored.hours, false);
  }

  /** The parameter changed to `hours`: open a new window of that length from now, or close it (0). */
  changed(hours: number): void {
    if (hours > 0) this.open(this.d.now() + Math.min(hours, CLEAR_PARTY_MAX_HOURS) * HOUR_MS, hours, true);
    else if (this.endsAt !== null || this.read()) this.close(`${CLEAR_PARTY_PARAMETER}=0`);
  }

  private open(endsAt: number, hours: number, fresh: boolean): void {
    if (fresh) {
      try {
        this.d.fs.write(CLEAR_PARTY_PATH, utf8Encode(JSON.stringify({ hours, endsAt } satisfies StoredWindow)), { cls: 'logs' });
      } catch (e) {
        // Not kept: the window still ends on time in this boot, and a reboot ends it early (the safe side).
        this.d.log.error(`clear-text party logging window not stored (${(e as Error).message}): it ends at the next reboot at the latest`);
      }
    }
    this.endsAt = endsAt;
    this.arm();
    this.d.onChange(endsAt);
    this.d.log.warning(`party data (numbers, names, user IDs) logged in clear until ${new Date(endsAt).toISOString()} (${CLEAR_PARTY_PARAMETER}=${hours})`);
  }

  private close(why: string): void {
    if (this.timer !== null) this.d.timers.cancel(this.timer);
    this.timer = null;
    const wasOpen = this.endsAt !== null;
    this.endsAt = null;
    try {
      if (this.d.fs.exists(CLEAR_PARTY_PATH)) this.d.fs.delete(CLEAR_PARTY_PATH);
    } catch (e) {
      // The stored end still closes it at the next boot.
      this.d.log.error(`clear-text party logging window record not removed (${(e as Error).message})`);
    }
    this.d.onChange(null);
    if (wasOpen) this.d.log.notice(`party data redacted again in the logs (${why})`);
  }

  /** Timers take 32-bit delays and the clock may move: re-check the absolute end at each firing. */
  private arm(): void {
    if (this.timer !== null) this.d.timers.cancel(this.timer);
    const left = (this.endsAt ?? 0) - this.d.now();
    if (left <= 0) return this.close('its hours are over');
    this.timer = this.d.timers.after(Math.min(left, 2_147_483_647), 'clear-party window end', () => {
      this.timer = null;
      this.arm();
    });
  }

  private read(): StoredWindow | null {
    try {
      const bytes = this.d.fs.read(CLEAR_PARTY_PATH);
      if (!bytes) return null;
      const w = JSON.parse(utf8Decode(bytes)) as StoredWindow;
      return Number.isFinite(w.endsAt) && Number.isFinite(w.hours) && w.hours > 0 ? w : null;
    } catch {
      return null;
    }
  }
}
