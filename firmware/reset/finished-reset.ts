/**
 * The notice a finished reset leaves for the modules that report it (device
 * analytics' `resettofactory` event): which variant, who asked and when.
 * Written by the boot that finishes the reset, as a device setting so it
 * survives the reboots that follow (Reset to Factory erases the analytics
 * class and the configuration: analytics is only on again after provisioning
 * turns it on, often one reboot later). The reader acknowledges it once
 * reported; a later reset overwrites it. Names no person: variant, requester
 * kind ("keypad", "updater key combination", ...) and the request time.
 */
import type { DeviceSettings } from '../settings/device-settings';
import type { ResetIntent } from './reset-journal';

export const FINISHED_RESET_SETTING = 'reset.finished';

export interface FinishedReset {
  variant: string;
  by: string;
  /** Wall-clock ms of the request. */
  at: number;
}

/** Idempotent: a power cut before the journal is cleared writes the same value again. */
export function recordFinishedReset(settings: DeviceSettings, intent: ResetIntent): void {
  const value = JSON.stringify({ variant: intent.variant, by: intent.by, at: intent.at });
  if (settings.get(FINISHED_RESET_SETTING) !== value) settings.set(FINISHED_RESET_SETTING, value);
}

/** The reset not yet reported; null when none (or the notice is unreadable, then it is dropped). */
export function finishedReset(settings: Pick<DeviceSettings, 'get'>): FinishedReset | null {
  const raw = settings.get(FINISHED_RESET_SETTING);
  if (raw === undefined) return null;
  try {
    const p = JSON.parse(raw) as Partial<FinishedReset>;
    return typeof p.variant === 'string' ? { variant: p.variant, by: String(p.by ?? '?'), at: Number(p.at) || 0 } : null;
  } catch {
    return null;
  }
}

export function acknowledgeFinishedReset(settings: Pick<DeviceSettings, 'get' | 'remove'>): void {
  if (settings.get(FINISHED_RESET_SETTING) !== undefined) settings.remove(FINISHED_RESET_SETTING);
}
