/**
 * The board's LEDs in the simulator: their state now (what the browser UI
 * shows, a blinking LED as `blink`) and every change in order, so tests can
 * follow a sequence (ringing → on → held → …).
 */
import type { LedName, Leds, LedState } from '../../hal/contract';

export interface LedChange {
  led: LedName;
  state: LedState;
}

/** Changes kept for tests; older ones drop out. */
const HISTORY_MAX = 200;

export class VirtualLeds implements Leds {
  readonly state: Partial<Record<LedName, LedState>> = {};
  readonly history: LedChange[] = [];
  private readonly listeners = new Set<(change: LedChange) => void>();

  set(led: LedName, state: LedState): void {
    if (this.state[led] === state) return;
    this.state[led] = state;
    const change = { led, state };
    this.history.push(change);
    if (this.history.length > HISTORY_MAX) this.history.shift();
    for (const l of this.listeners) l(change);
  }

  onChange(listener: (change: LedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
