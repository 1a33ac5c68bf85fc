/**
 * Checks a provisioning server address typed at the phone before it replaces
 * the stored one (Settings > Advanced > Provisioning Server). Accepted:
 * `http://host[:port][/path]`, `https://…`, or a bare `host[:port][/path]`
 * (HTTP, as server-settings.ts reads it). A refused address leaves the
 * stored one in force.
 */

/** Why `text` cannot be the server address, or null when it can. */
export function serverAddressError(text: string): string | null {
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'Control characters are not allowed';
  const url = text.trim();
  if (!url) return 'Enter the server address';
  if (/\s/.test(url)) return 'Spaces are not allowed';
  let rest = url;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1])) return `Scheme "${scheme[1]}" not supported: use http:// or https://`;
    rest = url.slice(scheme[0].length);
  } else if (/^[a-z][a-z0-9+.-]*:(?![0-9])/i.test(url) || url.includes('://')) {
    return 'Bad scheme: use http:// or https://';
  }
  const authority = rest.split(/[/?#]/)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const m = /^(\[[0-9a-f:.]+\]|[^:]*)(?::(.*))?$/i.exec(hostPort);
  const host = m?.[1] ?? '';
  if (!host) return 'Server host is empty';
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(host)) return `Bad host "${host}"`;
  const port = m?.[2];
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return `Bad port "${port}"`;
  return null;
}
