/**
 * The board's LEDs through /sys/class/leds/<name>: `brightness` for on and
 * off (max_brightness for on), the kernel's `timer` trigger for blink (the
 * LED blinks without the phone waking up for it). The board file maps each
 * HAL LED to its sysfs name; an LED the board file does not list is not
 * fitted and is ignored. A listed LED that is missing or refuses a write is
 * logged once, not at every change.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LedName, Leds, LedState } from '../contract';

export const BLINK_ON_MS = 500;
export const BLINK_OFF_MS = 500;

export class SysfsLeds implements Leds {
  private readonly states = new Map<LedName, LedState>();
  private readonly failed = new Set<LedName>();

  constructor(private readonly o: { map: Partial<Record<LedName, string>>; ledsDir?: string; log: (line: string) => void }) {}

  set(led: LedName, state: LedState): void {
    const name = this.o.map[led];
    if (!name || this.states.get(led) === state) return;
    const dir = path.join(this.o.ledsDir ?? '/sys/class/leds', name);
    try {
      if (!fs.existsSync(path.join(dir, 'brightness'))) throw new Error(`no LED ${dir}`);
      if (state === 'blink') {
        fs.writeFileSync(path.join(dir, 'trigger'), 'timer');
        // The timer trigger creates delay_on / delay_off once selected.
        for (const [file, ms] of [['delay_on', BLINK_ON_MS], ['delay_off', BLINK_OFF_MS]] as const) {
          if (fs.existsSync(path.join(dir, file))) fs.writeFileSync(path.join(dir, file), String(ms));
        }
      } else {
        fs.writeFileSync(path.join(dir, 'trigger'), 'none');
        fs.writeFileSync(path.join(dir, 'brightness'), state === 'on' ? String(maxBrightness(dir)) : '0');
      }
      this.states.set(led, state);
      this.failed.delete(led);
    } catch (e) {
      if (!this.failed.has(led)) this.o.log(`leds: ${led} (${name}) cannot be set ${state}: ${(e as Error).message}`);
      this.failed.add(led);
    }
  }
}

function maxBrightness(dir: string): number {
  try {
    const n = Number(fs.readFileSync(path.join(dir, 'max_brightness'), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : 1;
  } catch {
    return 1;
  }
}
