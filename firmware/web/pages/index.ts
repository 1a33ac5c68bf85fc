/** Every page set of the web interface; the server builds its pages with `webPageSets.flatMap((set) => set(context))`. */
import type { WebPages } from '../web-page';
import { accountPages } from './account';

export const webPageSets: WebPages[] = [accountPages];
