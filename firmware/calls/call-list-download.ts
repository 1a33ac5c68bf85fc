/**
 * GET `<user>-calls.xml` (or `<MAC>-calls.xml`) from the provisioning
 * server's CALL_LISTS_DIRECTORY, for login and check-sync downloads. Uses the
 * provisioning client's server, credentials and download rules (size limit,
 * HTML pages refused); every failure is logged and yields null.
 */
import { utf8Decode } from '../kernel/text-codec';
import { download } from '../provisioning/server-download';
import { serverUrl, type ProvisioningServer } from '../provisioning/server-settings';
import type { Net } from '../../hal/contract';

export interface CallListSource {
  net: Net;
  server(): ProvisioningServer | null;
  /** CALL_LISTS_DIRECTORY of the master file in force ('' when none). */
  directory(): string;
  log(msg: string): void;
}

export function callListFetcher(s: CallListSource): (name: string) => Promise<string | null> {
  return async (name) => {
    const server = s.server();
    if (!server) return null;
    const outcome = await download(s.net, server, serverUrl(server, s.directory(), name), {});
    if (outcome.kind === 'fresh') return utf8Decode(outcome.body);
    if (outcome.kind === 'failed' || outcome.kind === 'refused') s.log(`${name}: ${outcome.reason}`);
    return null;
  };
}
