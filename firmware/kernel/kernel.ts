/**
 * The kernel: what every module is given. One instance per boot.
 */
import type { Hal, KeyEvent, LineEvent } from '../../hal/contract';
import { EventBus } from './event-bus';
import { createGuard, type Guard } from './guard';
import { installTextCodec } from './text-codec';
import { Logger, type ComponentLogger } from './logger';
import { ModuleRegistry } from './module-registry';
import { Timers } from './timers';

/** Events modules exchange. */
export interface PhoneEvents extends Record<string, unknown> {
  key: KeyEvent;
  line: LineEvent;
  link: boolean;
  /** The UI asks for a redraw (state changed outside a key press). */
  redraw: void;
  /** A user logged in (`user` set) or out (`user` null): per-user calls, directory and settings follow. */
  'user:changed': { user: string | null; reason: string };
  /** The phone reboots when the current event returns: last chance to write what is held in RAM (the log buffer). */
  rebooting: { reason: string };
}

export class Kernel {
  readonly log: Logger;
  readonly sys: ComponentLogger;
  readonly guard: Guard;
  readonly timers: Timers;
  readonly bus: EventBus<PhoneEvents>;
  readonly modules = new ModuleRegistry();
  readonly bootStartedAt: number;

  constructor(readonly hal: Hal, readonly version: string) {
    this.bootStartedAt = hal.clock.monotonic();
    installTextCodec(hal.text ?? null);
    this.log = new Logger(() => hal.clock.now());
    this.log.addSink((line) => hal.serial.write(line));
    this.sys = this.log.component('sys');
    this.guard = createGuard(this.sys);
    this.timers = new Timers(hal.clock, this.guard);
    this.bus = new EventBus<PhoneEvents>(this.guard);
  }

  /** Reboot the phone (after the current event returns), telling modules first. */
  reboot(reason: string): void {
    this.bus.emit('rebooting', { reason });
    this.hal.power.reboot(reason);
  }

  /** Wire the HAL's inputs to the event bus (each delivery guarded). */
  attachInputs(): void {
    this.hal.keys.onKey(this.guard('key', (e: KeyEvent) => this.bus.emit('key', e)));
    this.hal.line.onEvent(this.guard('line event', (e: LineEvent) => this.bus.emit('line', e)));
    this.hal.net.onLink(this.guard('link', (up: boolean) => this.bus.emit('link', up)));
  }

  /** Start every registered module's hook in the declared dependency order; one that fails is logged and skipped. */
  startModules(): void {
    for (const m of this.modules.startOrder()) {
      if (!m.start) continue;
      this.guard(`start ${m.declaration.name}`, () => m.start!(this))();
    }
  }
}
