/**
 * Arms the timer of the next provisioning poll from `prov.polling.*`
 * (schedule: polling-schedule.ts). Timers run on the monotonic clock while
 * abs/random polls are wall-clock times, and the wall clock may jump (NTP,
 * time zone change): the poller never sleeps longer than an hour, and on each
 * wake compares the wall clock with the target again, so a jump moves the
 * poll with it instead of firing at a stale instant. A forward jump that
 * skips the target altogether (the first NTP sync of a phone whose clock
 * started months behind) re-arms for the next window instead of polling at
 * once, outside it.
 */
import type { ComponentLogger } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { nextCalendarPollUtc, nextRelativePollMonotonic, readPollingSettings } from './polling-schedule';

const MAX_SLEEP_MS = 3_600_000;
/** Timer lateness that is not a clock step. */
const JUMP_TOLERANCE_MS = 60_000;

export interface PollerDeps {
  timers: Timers;
  log: ComponentLogger;
  mac: string;
  param: (name: string) => string | undefined;
  nowUtc: () => number;
  monotonic: () => number;
  /** Local time minus UTC at this instant (see localTimeOffsetMs in provisioning-module.ts). */
  localOffsetMs: (utcMs: number) => number;
  poll: () => void;
}

export class ProvisioningPoller {
  private timer: number | null = null;
  private lastProblems = '';
  /** The armed target: wall (abs/random, UTC ms) or monotonic (rel) ms. */
  private target: { clock: 'wall' | 'monotonic'; at: number } | null = null;
  /** Monotonic time of the last look at the clocks (start of the current sleep). */
  private lookedAt = 0;
  /** This look follows a sleep (not an arm): only then can the target have been jumped over. */
  private slept = false;

  constructor(private readonly d: PollerDeps) {}

  /** (Re)arm from the current values; nothing armed when polling is off. */
  arm(): void {
    this.stop();
    const { settings, problems } = readPollingSettings(this.d.param);
    const text = problems.join('; ');
    if (text && text !== this.lastProblems) this.d.log.error(text);
    this.lastProblems = text;
    if (!settings.enabled) return;
    if (settings.mode === 'rel') {
      this.target = { clock: 'monotonic', at: nextRelativePollMonotonic(settings, this.d.monotonic()) };
    } else {
      const now = this.d.nowUtc();
      this.target = { clock: 'wall', at: nextCalendarPollUtc(settings, this.d.mac, now, this.d.localOffsetMs(now)) };
    }
    this.d.log.info(`next poll (${settings.mode}) ${this.target.clock === 'wall' ? `at ${new Date(this.target.at).toISOString()}` : `in ${Math.round((this.target.at - this.d.monotonic()) / 1000)} s`}`);
    this.sleep();
  }

  stop(): void {
    if (this.timer !== null) this.d.timers.cancel(this.timer);
    this.timer = null;
    this.target = null;
  }

  /** The armed poll: UTC ms (abs/random) or monotonic ms (rel); null when none. */
  next(): { clock: 'wall' | 'monotonic'; at: number } | null {
    return this.target;
  }

  private sleep(): void {
    const target = this.target;
    if (!target) return;
    const now = target.clock === 'wall' ? this.d.nowUtc() : this.d.monotonic();
    const remaining = target.at - now;
    const monotonic = this.d.monotonic();
    // The wall time this sleep began at, read on today's clock: a target before it was jumped over, not slept through.
    if (remaining <= 0 && target.clock === 'wall' && this.slept && target.at < now - (monotonic - this.lookedAt) - JUMP_TOLERANCE_MS) {
      this.d.log.info(`wall clock stepped past the poll at ${new Date(target.at).toISOString()}: next window instead`);
      this.arm();
      return;
    }
    this.lookedAt = monotonic;
    this.slept = false;
    if (remaining <= 0) {
      this.target = null;
      this.d.poll();
      return;
    }
    this.timer = this.d.timers.after(Math.min(remaining, MAX_SLEEP_MS), 'provisioning poll', () => {
      this.timer = null;
      this.slept = true;
      this.sleep();
    });
  }
}
