import type { LedName, Leds, LedState } from '../../hal/contract';

export class VirtualLeds implements Leds {
  readonly state: Partial<Record<LedName, LedState>> = {};
  set(led: LedName, state: LedState): void {
    this.state[led] = state;
  }
}
