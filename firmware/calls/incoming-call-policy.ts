/**
 * What the phone does with an incoming call before it rings: decided by the
 * directory (a contact's auto-reject `ar`, auto-divert `ad` to `dc`, ring
 * tone `rt`, name), consulted by the call state machine. Kept apart so the
 * call module does not depend on how the directory stores contacts.
 */
import type { Party } from '../../hal/contract';

export interface IncomingCallDecision {
  action: 'ring' | 'reject' | 'divert';
  /** For `divert`: where the call goes (the contact's `dc`). */
  divertTo?: string;
  /** Ring tone 1–21 (`rt`), when the contact has one. */
  ringTone?: number;
  /** Name to show and record, when the directory knows the caller. */
  displayName?: string;
}

export type IncomingCallPolicy = (remote: Party) => IncomingCallDecision;

/** A party's name as the directory knows it (for call lists and the caller display). */
export type PartyNameLookup = (address: string) => string | undefined;

/** Without a directory every call rings and shows the name from signalling. */
export const RING_ALWAYS: IncomingCallPolicy = () => ({ action: 'ring' });
