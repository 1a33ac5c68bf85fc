/**
 * What a line key's LED says, from the line's registration and its calls
 * (highest first):
 *
 * | line                                   | LED     |
 * |----------------------------------------|---------|
 * | a call ringing in (not yet answered)   | `blink` |
 * | an active call: dialing, ringing out, connected | `on` |
 * | only held calls                        | `blink` |
 * | no call, registered                    | `on`    |
 * | no call, not registered                | `off`   |
 *
 * A ringing and a held line both blink: the screen tells which (the call
 * screen, "Incoming call" on idle); an active call outranks a held one so
 * the key of the line you talk on is steady.
 */
import type { LedState } from '../../hal/contract';

/** A call as the line key sees it. */
export type LineCallState = 'incoming' | 'active' | 'held';

export function lineKeyLed(registered: boolean, calls: readonly LineCallState[]): LedState {
  if (calls.includes('incoming')) return 'blink';
  if (calls.includes('active')) return 'on';
  if (calls.includes('held')) return 'blink';
  return registered ? 'on' : 'off';
}

/** Bus event the calls module emits whenever its calls change: the state of each live call on its line. */
export const LINE_CALLS_EVENT = 'calls:lines';
export interface LineCalls {
  calls: { line: number; state: LineCallState }[];
}
