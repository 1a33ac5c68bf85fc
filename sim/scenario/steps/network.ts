/** Steps for scenarios with several phones on one SIP network (`"phones": ["A", "B"]`). */
import { asString } from '../argument';
import type { StepKind } from '../scenario';

export const onPhone: StepKind<string> = {
  name: 'onPhone',
  help: 'with "phones": ["A", "B", …] (one SIP network; A is extension 1001, B 1002, …): the steps that follow address this phone',
  example: 'B',
  parse: (a) => asString(a, 'onPhone'),
  label: (name) => `on phone ${name}`,
  run: async (ctx, name) => {
    const phone = ctx.phones?.get(name);
    if (!phone) throw new Error(ctx.phones ? `no phone "${name}" (phones: ${[...ctx.phones.keys()].join(', ')})` : 'onPhone: the scenario has one phone; name several with "phones": ["A", "B"]');
    ctx.phone = phone;
  },
};

export const networkSteps: StepKind[] = [onPhone];
