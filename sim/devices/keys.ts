import type { KeyEvent, KeyName, Keys } from '../../hal/contract';

/** Keypad: the host presses keys; the firmware's one handler hears them. */
export class VirtualKeys implements Keys {
  private handler: ((e: KeyEvent) => void) | null = null;
  /** Keys the tester holds down through the next power-on (the updater's recovery combination). */
  private held: KeyName[] = [];

  constructor(readonly available: KeyName[]) {}

  onKey(handler: (event: KeyEvent) => void): void {
    this.handler = handler;
  }

  /** Deliver one key transition; refuses keys this board does not have. */
  send(key: KeyName, down: boolean): void {
    if (!this.available.includes(key)) throw new Error(`this board has no "${key}" key`);
    this.handler?.({ key, down });
  }

  /** Hold these keys down through the next power-on; released once that boot has run. */
  holdAtPowerOn(keys: KeyName[]): void {
    for (const k of keys) if (!this.available.includes(k)) throw new Error(`this board has no "${k}" key`);
    this.held = [...keys];
  }

  heldAtPowerOn(): KeyName[] {
    return [...this.held];
  }

  release(): void {
    this.held = [];
  }

  detach(): void {
    this.handler = null;
  }
}
