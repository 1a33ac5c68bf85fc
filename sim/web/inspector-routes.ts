/** The inspector panel's API: `GET /api/inspect` (see sim/web/inspector.ts). */
import type { RouteContext, RouteReply } from './routes';
import { inspectPhone } from './inspector';

export const INSPECTOR_ROUTES: Record<string, (ctx: RouteContext) => Promise<RouteReply>> = {
  // Through the pacer: the flash is copied between ticks, never halfway through a write.
  'GET /api/inspect': async ({ phone, pacer }) => ({ json: await pacer.run(async () => inspectPhone(phone)) }),
};
