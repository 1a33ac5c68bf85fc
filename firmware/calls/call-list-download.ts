/**
 * GET `<user>-calls.xml` (or `<MAC>-calls.xml`) from the provisioning
 * server's CALL_LISTS_DIRECTORY, for login and check-sync downloads. Uses the
 * provisioning client's server, credentials and download rules (size limit,
 * HTML pages refused); every failure is logged and yields null, a file the
 * server does not have with an info line naming the URL tried (without
 * credentials).
 */
import { utf8Decode } from '../kernel/text-codec';
import { download } from '../provisioning/server-download';
import { redactedUrl, serverUrl, type ProvisioningServer } from '../provisioning/server-settings';
import type { Net } from '../../hal/contract';

export interface CallListSource {
  net: Net;
  server(): ProvisioningServer | null;
  /** CALL_LISTS_DIRECTORY of the master file in force ('' when none). */
  directory(): string;
  log(msg: string): void;
  /** Not a problem, but where the phone looked (a missing file). */
  info?(msg: string): void;
}

export function callListFetcher(s: CallListSource): (name: string) => Promise<string | null> {
  return async (name) => {
    const server = s.server();
    if (!server) return null;
    const url = serverUrl(server, s.directory(), name);
    const outcome = await download(s.net, server, url, {});
    if (outcome.kind === 'fresh') return utf8Decode(outcome.body);
    if (outcome.kind === 'failed' || outcome.kind === 'refused') s.log(`${name}: ${outcome.reason}`);
    if (outcome.kind === 'missing') s.info?.(`${name}: no such file on the server at ${redactedUrl(url)} (HTTP ${outcome.status}); lists kept as they are`);
    return null;
  };
}
