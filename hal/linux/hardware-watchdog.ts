/**
 * The hardware watchdog (/dev/watchdog): once opened, the board resets unless
 * it is written to within the driver's timeout. The runner feeds it after
 * every entry into the firmware (event gate), and a timer feeds it while the
 * phone is idle — but only while the runner says the firmware is not stuck
 * (its event gate is not inside an entry, its engine is usable), so a stuck
 * firmware lets the watchdog reset the board (Node's event loop being
 * blocked by a runaway loop stops the timer too).
 * A clean stop writes the magic 'V' before closing, which disarms it on
 * drivers without nowayout.
 */
import * as fs from 'fs';

export const IDLE_FEED_MS = 5000;

export class HardwareWatchdog {
  private fd: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Writes that reached the device (for tests). */
  feeds = 0;

  constructor(private readonly o: { device: string; healthy: () => boolean; log: (line: string) => void; idleFeedMs?: number }) {}

  /** Open the device (arming it) and start the idle feeding; a device that cannot be opened is logged and the phone runs without it. */
  start(): boolean {
    try {
      this.fd = fs.openSync(this.o.device, fs.constants.O_WRONLY);
    } catch (e) {
      this.o.log(`watchdog: cannot open ${this.o.device}: ${(e as Error).message}; running without a hardware watchdog`);
      return false;
    }
    this.feed();
    this.timer = setInterval(() => {
      if (this.o.healthy()) this.feed();
    }, this.o.idleFeedMs ?? IDLE_FEED_MS);
    return true;
  }

  feed(): void {
    if (this.fd === null) return;
    try {
      fs.writeSync(this.fd, '\0');
      this.feeds++;
    } catch (e) {
      this.o.log(`watchdog: feeding ${this.o.device} failed: ${(e as Error).message}`);
    }
  }

  /** Clean stop: magic close ('V'), the board is not reset. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.fd === null) return;
    try {
      fs.writeSync(this.fd, 'V');
    } catch {
      // closing without the magic character leaves the watchdog armed: the board resets, which is the safe side
    }
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
