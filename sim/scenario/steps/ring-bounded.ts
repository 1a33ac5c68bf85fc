/**
 * The far end rings the phone from a scenario step: the caller's address and
 * display name cut to the line's limits first (firmware/calls/party-bounds.ts),
 * each cut noted in the scenario's summary, as a SIP stack would refuse or
 * cut them before the phone sees them.
 */
import { boundParty } from '../../../firmware/calls/party-bounds';
import type { StepContext } from '../scenario';

export function ringBounded(ctx: Pick<StepContext, 'phone' | 'note'>, from: string, name: string): string {
  const caller = boundParty(from, name);
  for (const c of caller.cuts) ctx.note(`ring: caller ${c}`);
  return ctx.phone.farEnd.ring(caller.address, caller.name);
}
