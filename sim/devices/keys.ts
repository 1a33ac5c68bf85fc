import type { KeyEvent, KeyName, Keys } from '../../hal/contract';

/** Keypad: the host presses keys; the firmware's one handler hears them. */
export class VirtualKeys implements Keys {
  private handler: ((e: KeyEvent) => void) | null = null;

  constructor(readonly available: KeyName[]) {}

  onKey(handler: (event: KeyEvent) => void): void {
    this.handler = handler;
  }

  /** Deliver one key transition; refuses keys this board does not have. */
  send(key: KeyName, down: boolean): void {
    if (!this.available.includes(key)) throw new Error(`this board has no "${key}" key`);
    this.handler?.({ key, down });
  }

  detach(): void {
    this.handler = null;
  }
}
