/**
 * A user's files on the provisioning server: `<user>.cfg` in
 * USER_PROFILES_DIRECTORY, `<user>-phone.cfg` in OVERRIDES_DIRECTORY,
 * `<user>-directory.xml` in CONTACTS_DIRECTORY, `<user>-calls.xml` in
 * CALL_LISTS_DIRECTORY. One plain GET each (no validators: a login wants the
 * current copy), decrypted when encrypted. With server-based authentication
 * the answer to the user's own credentials is the authentication: 401/403 is
 * `denied`.
 */
import type { Crypto, Net, NetResponse } from '../../hal/contract';
import { utf8Decode } from '../kernel/text-codec';
import { decryptConfigFile, isEncryptedFile, type ConfigEncryptionKey } from '../provisioning/config-encryption';
import { MAX_DOWNLOAD_BYTES, describeNetError, looksLikeHtml } from '../provisioning/server-download';
import { redactedUrl, requestBase, serverUrl, type ProvisioningServer } from '../provisioning/server-settings';

export type UserFileOutcome =
  | { kind: 'found'; text: string }
  | { kind: 'missing' }
  | { kind: 'denied'; status: number }
  | { kind: 'failed'; reason: string };

export interface UserFileSource {
  net: Net;
  crypto: Crypto;
  server: ProvisioningServer;
  encryptionKey: ConfigEncryptionKey | null;
}

export async function fetchUserFile(src: UserFileSource, directory: string, name: string): Promise<UserFileOutcome> {
  const url = serverUrl(src.server, directory, name);
  let res: NetResponse;
  try {
    res = await src.net.request({ method: 'GET', url, maxBodyBytes: MAX_DOWNLOAD_BYTES, ...requestBase(src.server) });
  } catch (e) {
    return { kind: 'failed', reason: describeNetError(e, url) };
  }
  if (res.status === 401 || res.status === 403) return { kind: 'denied', status: res.status };
  if (res.status === 404 || res.status === 410) return { kind: 'missing' };
  if (res.status < 200 || res.status > 299) return { kind: 'failed', reason: `${redactedUrl(url)}: HTTP ${res.status}` };
  if (looksLikeHtml(res)) return { kind: 'failed', reason: `${redactedUrl(url)}: server answered with an HTML page, not a profile file` };
  try {
    const body = isEncryptedFile(res.body) ? decryptConfigFile(src.crypto, src.encryptionKey, res.body) : res.body;
    return { kind: 'found', text: utf8Decode(body) };
  } catch (e) {
    return { kind: 'failed', reason: `${redactedUrl(url)}: cannot decrypt (${(e as Error).message})` };
  }
}

/** Captive portals and error pages answer 200 with HTML. */
