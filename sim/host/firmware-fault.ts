/** How a failure inside the firmware is named when it reaches the host. */
import type { FirmwareFault } from './event-gate';

export class FaultError extends Error {
  constructor(
    readonly kind: FirmwareFault['kind'],
    message: string,
    readonly guestStack: string,
    /** The firmware caught the error and ran on (a swallowed budget fault): it was not stopped. */
    readonly firmwareCarriedOn = false,
  ) {
    super(message);
    this.name = 'FaultError';
  }
}

/**
 * QuickJS reports its limits as InternalErrors: "out of memory", "stack
 * overflow", "interrupted" (our CPU budget). Node reports stack exhaustion as
 * a RangeError.
 */
export function classifyFault(name: string, message: string, stack: string, overBudget: boolean): FirmwareFault {
  let kind: FirmwareFault['kind'] = 'firmware-exception';
  if (/out of memory/i.test(message)) kind = 'memory-budget';
  else if (/stack overflow|maximum call stack/i.test(message)) kind = 'stack-budget';
  else if (overBudget || (name === 'InternalError' && /interrupted/i.test(message))) kind = 'cpu-budget';
  else if (/power cut/i.test(message)) kind = 'power-cut';
  return { kind, message: `${name}: ${message}`, stack };
}
