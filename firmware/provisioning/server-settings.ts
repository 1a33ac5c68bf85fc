/**
 * Where the provisioning server is and how to log in: device settings in
 * nvram (spec: "Reset Device Settings" removes them), set at
 * Settings > Advanced > Provisioning Server, by a `device.*` parameter with
 * its `.set`, or by the factory / simulator staging. Names as in Polycom UC
 * Software:
 *
 * - `device.prov.serverName`: base URL (`https://host:port/path/`); a bare
 *   host means `device.prov.serverType` (HTTP unless HTTPS). Credentials in the URL (`http://user:pw@host/`) are
 *   accepted and moved to the auth fields.
 * - `device.prov.user`, `device.prov.password`: basic / digest credentials.
 * - `device.sec.TLS.customCaCert1`: PEM of the CA trusted for HTTPS.
 * - `device.prov.timeoutMs`: per-request timeout (default 10 s).
 */
import type { NetRequest } from '../../hal/contract';

export interface SettingsReader {
  get(name: string): string | undefined;
}

export interface ProvisioningServer {
  /** Always ends with `/`. */
  baseUrl: string;
  auth?: { user: string; password: string };
  trustedCaPem?: string;
  timeoutMs: number;
}

export const SERVER_SETTING = 'device.prov.serverName';
export const USER_SETTING = 'device.prov.user';
export const PASSWORD_SETTING = 'device.prov.password';
export const CA_SETTING = 'device.sec.TLS.customCaCert1';
export const TIMEOUT_SETTING = 'device.prov.timeoutMs';
export const SERVER_TYPE_SETTING = 'device.prov.serverType';
/** The server types this phone provisions with (Polycom's also lists FTP, TFTP, FTPS). */
export const SUPPORTED_SERVER_TYPES = ['HTTP', 'HTTPS'];
export const DEFAULT_TIMEOUT_MS = 10000;

/** The configured server, or null when none is set (the phone then runs on its cached configuration). */
export function provisioningServer(settings: SettingsReader): ProvisioningServer | null {
  let url = (settings.get(SERVER_SETTING) ?? '').trim();
  if (!url) return null;
  // A scheme in the address wins over the server type (Polycom too).
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = (/^https$/i.test(settings.get(SERVER_TYPE_SETTING) ?? '') ? 'https://' : 'http://') + url;
  let user = settings.get(USER_SETTING) ?? '';
  let password = settings.get(PASSWORD_SETTING) ?? '';
  // The user info ends at the authority's last '@'; the password is everything after the first ':'.
  const inline = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@([^/?#@]*(?:[/?#].*)?)$/i.exec(url);
  if (inline) {
    const colon = inline[2].indexOf(':');
    url = inline[1] + inline[3];
    if (!user) {
      user = decodeLenient(colon < 0 ? inline[2] : inline[2].slice(0, colon));
      password = colon < 0 ? '' : decodeLenient(inline[2].slice(colon + 1));
    }
  }
  if (!url.endsWith('/')) url += '/';
  const timeout = Number(settings.get(TIMEOUT_SETTING) ?? '');
  return {
    baseUrl: url,
    ...(user ? { auth: { user, password } } : {}),
    ...(settings.get(CA_SETTING) ? { trustedCaPem: settings.get(CA_SETTING) } : {}),
    timeoutMs: Number.isFinite(timeout) && timeout >= 100 ? timeout : DEFAULT_TIMEOUT_MS,
  };
}

/**
 * URL of `name` in `directory` on the server. CONFIG_FILES entries and
 * directories may be absolute URLs; otherwise they are relative to the base.
 */
export function serverUrl(server: ProvisioningServer, directory: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return name;
  let dir = directory.trim().replace(/^\/+/, '');
  if (dir && !dir.endsWith('/')) dir += '/';
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(dir) ? '' : server.baseUrl;
  return base + dir + name.split('/').map(encodeURIComponent).join('/');
}

/** The request fields every call to this server carries. */
export function requestBase(server: ProvisioningServer): Pick<NetRequest, 'auth' | 'trustedCaPem' | 'timeoutMs'> {
  return {
    ...(server.auth ? { auth: server.auth } : {}),
    ...(server.trustedCaPem ? { trustedCaPem: server.trustedCaPem } : {}),
    timeoutMs: server.timeoutMs,
  };
}

/** The server URL without credentials (everything up to the authority's last '@'), for logs. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** Percent-decoding that keeps a malformed escape (`%zz`) as typed instead of throwing. */
function decodeLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
