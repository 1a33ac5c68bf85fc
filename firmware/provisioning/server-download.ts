/**
 * One conditional GET from the provisioning server, its answer sorted into
 * what the client acts on. Every way a server can go wrong — no answer,
 * refused connection, bad certificate, 4xx/5xx, an HTML page instead of the
 * file (captive portals, web servers' error pages) — ends as `failed` with a
 * reason for the log; a body larger than the phone accepts is `refused`: the
 * server works, that one file is unusable, and asking again soon cannot
 * help. None throws.
 */
import type { Net, NetResponse } from '../../hal/contract';
import type { Validators } from './download-cache';
import { redactedUrl, requestBase, type ProvisioningServer } from './server-settings';

/** Larger configuration files are refused: config parsing needs the whole text and its tree in RAM. */
export const MAX_DOWNLOAD_BYTES = 256 * 1024;
/**
 * Directory files are read item by item (firmware/directory/directory-item-scanner.ts),
 * never as a tree: their bound is the room a 10,000-entry global directory
 * (≈ 1 MiB of XML) needs, with margin, not the parser's.
 */
export const MAX_DIRECTORY_DOWNLOAD_BYTES = 2 * 1024 * 1024;

export type DownloadOutcome =
  /** `body` is empty when it was streamed to the caller's sink. */
  | { kind: 'fresh'; body: Uint8Array; validators: Validators }
  | { kind: 'unchanged' }
  | { kind: 'missing'; status: number }
  /** `network`: no HTTP answer at all (timeout, refused, TLS, link down): the rest of the cycle would fail the same way. */
  | { kind: 'failed'; reason: string; network?: boolean }
  /** The server answered with a file the phone does not take (too large): refused like a malformed file, the cycle goes on. */
  | { kind: 'refused'; reason: string };

/**
 * `sink`: stream a 2xx body to it piece by piece (NetRequest.onBodyChunk) instead of
 * holding it whole; the outcome's body is then empty and the HTML check looks at the
 * first bytes the sink was given.
 */
export async function download(net: Net, server: ProvisioningServer, url: string, validators: Validators, maxBytes = MAX_DOWNLOAD_BYTES, sink?: (chunk: Uint8Array) => void): Promise<DownloadOutcome> {
  const headers: Record<string, string> = {};
  if (validators.etag) headers['If-None-Match'] = validators.etag;
  if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
  let res: NetResponse;
  let head: Uint8Array | null = null;
  const onBodyChunk = sink && ((chunk: Uint8Array) => {
    if (head === null) head = chunk.slice(0, 64);
    sink(chunk);
  });
  try {
    res = await net.request({ method: 'GET', url, headers, maxBodyBytes: maxBytes, ...requestBase(server), ...(onBodyChunk ? { onBodyChunk } : {}) });
  } catch (e) {
    // The HAL aborts a body past maxBodyBytes: the server did answer, so this is no network failure.
    if (e instanceof Error && e.message.startsWith('too-large:')) return tooLarge(url, maxBytes);
    return { kind: 'failed', reason: describeNetError(e, url), network: true };
  }
  return classify(res, url, maxBytes, head);
}

function classify(res: NetResponse, url: string, maxBytes: number, streamedHead: Uint8Array | null): DownloadOutcome {
  const where = redactedUrl(url);
  if (res.status === 304) return { kind: 'unchanged' };
  if (res.status === 404 || res.status === 410) return { kind: 'missing', status: res.status };
  if (res.status === 401 || res.status === 403) return { kind: 'failed', reason: `${where}: server refused the provisioning credentials (HTTP ${res.status})` };
  if (res.status < 200 || res.status > 299) return { kind: 'failed', reason: `${where}: HTTP ${res.status}` };
  if (res.body.length > maxBytes) return tooLarge(url, maxBytes);
  if (looksLikeHtml(streamedHead ? { ...res, body: streamedHead } : res)) return { kind: 'failed', reason: `${where}: server answered with an HTML page, not a provisioning file` };
  const validators: Validators = {};
  if (res.headers['etag']) validators.etag = res.headers['etag'];
  if (res.headers['last-modified']) validators.lastModified = res.headers['last-modified'];
  return { kind: 'fresh', body: res.body, validators };
}

function tooLarge(url: string, maxBytes: number): DownloadOutcome {
  return { kind: 'refused', reason: `${redactedUrl(url)}: refused, file larger than ${maxBytes} bytes` };
}

/** An HTML page (error or login page) where a file was expected: by content type or by its first bytes. */
export function looksLikeHtml(res: NetResponse): boolean {
  if (/^\s*text\/html/i.test(res.headers['content-type'] ?? '')) return true;
  let head = '';
  for (let i = 0; i < Math.min(res.body.length, 64); i++) head += String.fromCharCode(res.body[i]);
  return /^\s*(<!doctype html|<html)/i.test(head);
}

/** The HAL's error codes (`timeout: ...`, `tls: ...`) turned into a log line. */
export function describeNetError(e: unknown, url: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = message.split(':')[0];
  const what: Record<string, string> = {
    timeout: 'no answer in time',
    refused: 'connection refused',
    dns: 'server name not found',
    tls: 'TLS failure (certificate not trusted?)',
    'too-large': `file larger than ${MAX_DOWNLOAD_BYTES} bytes`,
    'link-down': 'network link down',
    io: 'network error',
  };
  return `${redactedUrl(url)}: ${what[code] ?? 'network error'} (${message})`;
}
