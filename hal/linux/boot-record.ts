/**
 * Why the board booted, decided from what the previous run left in the state
 * directory (`boot.json`) and what the kernel says now:
 *
 *   reboot     the previous run asked for a reboot (recorded before the OS reboot ran)
 *   watchdog   a new kernel boot, and the watchdog says it reset the board
 *              (/sys/class/watchdog/watchdog0/bootstatus has WDIOF_CARDRESET)
 *              or the board's boot-reason file says `watchdog`
 *   power-cut  the previous run was still running (no clean stop) and the
 *              kernel's boot_id changed: the board lost power under it
 *   crash      the previous run was still running and the boot_id is the
 *              same: the process died and systemd restarted it
 *   power-on   anything else: first boot, or the previous run stopped cleanly
 *
 * Another reason from the board's boot-reason file (`power-cut`, `power-on`)
 * is taken as is on a new kernel boot: the SoC's reset cause register knows
 * better than our guess.
 */
import type { BootReason } from '../contract';

export interface BootRecord {
  bootCount: number;
  reason: BootReason;
  message: string;
  /** Set at boot, cleared by a clean stop: still set at the next start means the run ended uncleanly. */
  running: boolean;
  /** The kernel's boot_id during that run. */
  bootId: string;
  /** The `reason` of the reboot the run asked for (set just before running the reboot command). */
  rebootRequested?: string;
}

export interface KernelView {
  /** /proc/sys/kernel/random/boot_id now. */
  bootId: string;
  /** The watchdog's bootstatus flags (0 when absent). */
  watchdogBootstatus: number;
  /** What the board's boot-reason file says, if it has one. */
  boardReason?: string;
}

/** WDIOF_CARDRESET: "Card previously reset the CPU" (linux/watchdog.h). */
export const WDIOF_CARDRESET = 0x0020;
const REASONS: BootReason[] = ['power-on', 'reboot', 'power-cut', 'crash', 'watchdog'];

/** The reason and message of this boot. */
export function decideBootReason(previous: BootRecord | null, now: KernelView): { reason: BootReason; message: string } {
  if (previous?.rebootRequested !== undefined) return { reason: 'reboot', message: previous.rebootRequested };
  const newKernelBoot = !previous || previous.bootId !== now.bootId;
  if (newKernelBoot) {
    if ((now.watchdogBootstatus & WDIOF_CARDRESET) !== 0) return { reason: 'watchdog', message: 'the hardware watchdog reset the board' };
    const board = now.boardReason?.trim();
    if (board && (REASONS as string[]).includes(board)) return { reason: board as BootReason, message: 'reported by the board' };
  }
  if (previous?.running) {
    return newKernelBoot
      ? { reason: 'power-cut', message: 'the previous run did not stop and the board booted again' }
      : { reason: 'crash', message: 'the previous run ended without stopping (process died)' };
  }
  return { reason: 'power-on', message: '' };
}

/** The record of a boot that follows `previous`. */
export function nextBootRecord(previous: BootRecord | null, now: KernelView): BootRecord {
  const { reason, message } = decideBootReason(previous, now);
  return { bootCount: (previous?.bootCount ?? 0) + 1, reason, message, running: true, bootId: now.bootId };
}

/** Parse a saved record; null when absent or not a record (logged by the caller). */
export function parseBootRecord(text: string): BootRecord | null {
  const r = JSON.parse(text) as Partial<BootRecord>;
  if (typeof r !== 'object' || r === null || typeof r.bootCount !== 'number' || !(REASONS as unknown[]).includes(r.reason) || typeof r.bootId !== 'string') return null;
  return {
    bootCount: r.bootCount, reason: r.reason as BootReason, message: String(r.message ?? ''), running: r.running === true, bootId: r.bootId,
    ...(typeof r.rebootRequested === 'string' ? { rebootRequested: r.rebootRequested } : {}),
  };
}
