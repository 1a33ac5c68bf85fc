/** Every page set of the web interface; the server builds its pages with `webPageSets.flatMap((set) => set(context))`. */
import type { WebPages } from '../web-page';
import { accountPages } from './account';
import { callListPages } from './call-lists';
import { contactPages } from './contacts';
import { diagnosticsLogPages } from './diagnostics-logs';
import { parameterPages } from './parameters';
import { resetPages } from './reset';
import { simpleSetupPages } from './simple-setup';
import { statusPages } from './status';

export const webPageSets: WebPages[] = [
  statusPages,
  simpleSetupPages,
  parameterPages,
  accountPages,
  diagnosticsLogPages,
  resetPages,
  callListPages,
  contactPages,
];
