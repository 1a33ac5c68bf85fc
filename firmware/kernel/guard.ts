/**
 * Runs a callback from the outside world (key, timer, line event, network
 * answer) so that an exception in it is logged with its stack and the phone
 * stays up.
 */
import type { ComponentLogger } from './logger';

export type Guard = <A extends unknown[]>(label: string, fn: (...args: A) => void) => (...args: A) => void;

export function createGuard(log: ComponentLogger): Guard {
  return (label, fn) => (...args) => {
    try {
      fn(...args);
    } catch (e) {
      log.error(`exception in ${label}: ${describeError(e)}`);
    }
  };
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? ` | ${e.stack.trim().split('\n').map((l) => l.trim()).join(' < ')}` : ''}`;
  return String(e);
}
