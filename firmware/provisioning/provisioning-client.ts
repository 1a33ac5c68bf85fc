/**
 * The provisioning cycle: ask the server for the master file (`<MAC>.cfg`,
 * then `000000000000.cfg`), the files its CONFIG_FILES lists, this phone's
 * override files and the directory files; decrypt what is encrypted; hand
 * the texts to the config service; cache directory files; reboot when a
 * reboot-flagged value changed.
 *
 * Every request is conditional (If-None-Match / If-Modified-Since with the
 * validators of the last accepted copy), so a cycle in which nothing changed
 * costs a few 304s and no bodies.
 *
 * Failure rules — one bad file is refused alone, the cycle goes on to the next:
 * - transfer failures (4xx/5xx, HTML page) are logged; the file's last good
 *   copy stays in force; the cycle is retried with exponential backoff;
 *   network failures (no answer, refused, TLS) also end the cycle, since
 *   every further request would wait out the same failure;
 * - content failures (body too large, cannot decrypt, malformed) are logged
 *   and shown on the screen; the last good copy stays; no retry is scheduled
 *   (the server works, the file would be the same) and no validators are kept
 *   for the bad copy, so every later cycle (poll, check-sync, boot) downloads
 *   and tries it again, until the server offers a readable one (spec:
 *   "Encryption").
 */
import type { Crypto, Net } from '../../hal/contract';
import type { ComponentLogger } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { utf8Decode } from '../kernel/text-codec';
import type { MasterConfig } from '../config/master-file';
import { bytesToHex } from '../kernel/hex';
import { ConfigDecryptError, decryptConfigFile, isEncryptedFile, parseEncryptionKey, type ConfigEncryptionKey } from './config-encryption';
import type { DownloadCache } from './download-cache';
import type { StagedFile } from './download-staging';
import type { ProvisioningSink } from './provisioning-sink';
import { ProvisioningPoller } from './provisioning-poller';
import { RetryBackoff, macSeed } from './retry-backoff';
import { MAX_DIRECTORY_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES, download, type DownloadOutcome } from './server-download';
import { provisioningServer, redactedUrl, serverUrl, type ProvisioningServer } from './server-settings';
import { t } from '../ui/i18n/messages';

export const KEY_SETTING = 'device.sec.configEncryption.key';
const DEFAULT_MASTER = '000000000000.cfg';
const GLOBAL_DIRECTORY = '000000000000-directory.xml';
/** Polycom's template of the global directory: never used as one (docs/directory.md). */
const DIRECTORY_TEMPLATE = '000000000000-directory~.xml';

export type CycleReason = 'boot' | 'poll' | 'check-sync' | 'retry' | 'request';

export interface DeviceSettingsStore {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export interface ProvisioningClientDeps {
  net: Net;
  crypto: Crypto;
  monotonic: () => number;
  settings: DeviceSettingsStore;
  config: ProvisioningSink;
  cache: DownloadCache;
  timers: Timers;
  log: ComponentLogger;
  phone: { mac: string; model: string };
  /** Show an error to the person at the phone (message screen). */
  showError: (title: string, lines: string[]) => void;
  /** A directory file arrived or changed (`<MAC>-directory.xml`, `000000000000-directory.xml`). */
  onDirectoryFile?: (name: string, text: string) => void;
  /** After each cycle. */
  onCycle?: (report: CycleReport) => void;
  /** UTC wall time, ms (polling in abs/random mode). */
  nowUtc: () => number;
  /** Local time minus UTC at an instant: polling times are local (0 = UTC). */
  localOffsetMs: (utcMs: number) => number;
}

export interface CycleReport {
  reason: CycleReason;
  /** `provisioned`: every file answered (fresh, unchanged or absent); `failed`: some transfer failed (retry scheduled); `no-server`. */
  outcome: 'provisioned' | 'failed' | 'no-server';
  master: string | null;
  /** Files whose new content was applied. */
  changed: string[];
  unchanged: string[];
  transferErrors: string[];
  contentErrors: string[];
  requests: number;
  durationMs: number;
  rebooting: boolean;
}

type FileRole = 'config' | 'override-local' | 'override-web' | 'directory';

export class ProvisioningClient {
  private running: Promise<CycleReport> | null = null;
  private queued: CycleReason | null = null;
  private readonly backoff: RetryBackoff;
  private retryTimer: number | null = null;
  private readonly poller: ProvisioningPoller;
  private lastReport: CycleReport | null = null;
  private keyError = '';
  private userAuth: { user: string; password: string } | null = null;
  /** The server stopped answering during this cycle. */
  private serverGone = false;
  /** URLs of optional directory files reported missing: one info line until the file appears again. */
  private readonly missingDirectoryFiles = new Set<string>();

  constructor(private readonly d: ProvisioningClientDeps) {
    this.backoff = new RetryBackoff(macSeed(d.phone.mac));
    this.poller = new ProvisioningPoller({
      timers: d.timers, log: d.log, mac: d.phone.mac, param: (name) => d.config.get(name),
      nowUtc: d.nowUtc, monotonic: d.monotonic, localOffsetMs: d.localOffsetMs,
      poll: () => void this.request('poll'),
    });
  }

  /** The server in use, or null. */
  server(): ProvisioningServer | null {
    const server = provisioningServer(this.d.settings);
    // Server-based user profiles: the logged-in user's credentials replace the generic ones.
    if (server && this.userAuth && this.d.config.get('prov.login.useProvAuth') === '1') return { ...server, auth: this.userAuth };
    return server;
  }

  /**
   * The logged-in user's credentials (login module), used for the server when
   * `prov.login.useProvAuth=1`; null at logout (back to the generic account).
   */
  setUserCredentials(auth: { user: string; password: string } | null): void {
    this.userAuth = auth;
  }

  last(): CycleReport | null {
    return this.lastReport;
  }

  /** The encryption key from device settings (null when none or unreadable; the reason is logged once). */
  encryptionKey(): ConfigEncryptionKey | null {
    const text = this.d.settings.get(KEY_SETTING);
    if (!text) return null;
    try {
      return parseEncryptionKey(text);
    } catch (e) {
      const msg = `stored ${KEY_SETTING} unusable: ${(e as Error).message}`;
      if (msg !== this.keyError) this.d.log.error(msg);
      this.keyError = msg;
      return null;
    }
  }

  /** Run a cycle now (or right after the one running). Never rejects. */
  request(reason: CycleReason): Promise<CycleReport> {
    if (this.running) {
      if (reason !== 'retry') this.queued = reason;
      return this.running;
    }
    this.running = this.cycle(reason)
      .catch((e): CycleReport => {
        this.d.log.error(`cycle (${reason}) failed: ${(e as Error)?.message ?? e}`);
        return this.report(reason, 'failed', this.d.monotonic(), { transferErrors: [String((e as Error)?.message ?? e)] });
      })
      .then((r) => {
        this.running = null;
        this.after(r);
        const next = this.queued;
        this.queued = null;
        if (next && !r.rebooting) void this.request(next);
        return r;
      });
    return this.running;
  }

  /** Stop timers (shutdown, tests). */
  stop(): void {
    if (this.retryTimer !== null) this.d.timers.cancel(this.retryTimer);
    this.poller.stop();
    this.retryTimer = null;
  }

  private after(r: CycleReport): void {
    this.lastReport = r;
    if (r.rebooting) return;
    if (r.outcome === 'failed') {
      const delay = this.backoff.next();
      this.d.log.warning(`retrying in ${Math.round(delay / 1000)} s (attempt ${this.backoff.attempts}); running on the cached configuration`);
      if (this.retryTimer !== null) this.d.timers.cancel(this.retryTimer);
      this.retryTimer = this.d.timers.after(delay, 'provisioning retry', () => {
        this.retryTimer = null;
        void this.request('retry');
      });
    } else {
      this.backoff.reset();
      if (this.retryTimer !== null) this.d.timers.cancel(this.retryTimer);
      this.retryTimer = null;
    }
    this.schedulePoll();
    this.d.onCycle?.(r);
  }

  /** (Re)arm polling from the current `prov.polling.*` values (provisioning-poller.ts). */
  schedulePoll(): void {
    this.poller.arm();
  }

  /** The armed poll, for tests and the status screen. */
  nextPoll(): { clock: 'wall' | 'monotonic'; at: number } | null {
    return this.poller.next();
  }

  private report(reason: CycleReason, outcome: CycleReport['outcome'], started: number, partial: Partial<CycleReport> = {}): CycleReport {
    return {
      reason, outcome, master: null, changed: [], unchanged: [], transferErrors: [], contentErrors: [], requests: 0, rebooting: false,
      ...partial, durationMs: this.d.monotonic() - started,
    };
  }

  private async cycle(reason: CycleReason): Promise<CycleReport> {
    const { log } = this.d;
    const started = this.d.monotonic();
    const server = this.server();
    if (!server) {
      log.info(`no provisioning server configured (device.prov.serverName): running on the cached configuration`);
      return this.report(reason, 'no-server', started);
    }
    log.info(`cycle (${reason}) with ${redactedUrl(server.baseUrl)}`);
    this.serverGone = false;
    const r = this.report(reason, 'provisioned', started);

    // ── master file ──
    const master = await this.fetchMaster(server, r);
    if (!master) {
      r.outcome = 'failed';
      return this.finish(r, started);
    }

    // ── CONFIG_FILES, left to right ──
    for (const name of master.configFiles) {
      await this.fetchFile(server, r, name, serverUrl(server, '', name), 'config');
    }

    // ── this phone's override files ──
    const overrides = master.fields.OVERRIDES_DIRECTORY;
    await this.fetchFile(server, r, `${this.d.phone.mac}-phone.cfg`, serverUrl(server, overrides, `${this.d.phone.mac}-phone.cfg`), 'override-local');
    await this.fetchFile(server, r, `${this.d.phone.mac}-web.cfg`, serverUrl(server, overrides, `${this.d.phone.mac}-web.cfg`), 'override-web');

    // ── directory files (checksync: only when voIpProt...downloadDirectory=0 or configuration changed) ──
    const withConfig = this.d.config.get('voIpProt.SIP.specialEvent.checkSync.downloadDirectory') === '1';
    if (reason !== 'check-sync' || !withConfig || r.changed.length > 0) {
      const contacts = master.fields.CONTACTS_DIRECTORY;
      for (const name of [GLOBAL_DIRECTORY, `${this.d.phone.mac}-directory.xml`]) {
        await this.fetchFile(server, r, name, serverUrl(server, contacts, name), 'directory');
      }
    }
    if (r.transferErrors.length) r.outcome = 'failed';
    return this.finish(r, started);
  }

  private finish(r: CycleReport, started: number): CycleReport {
    r.durationMs = this.d.monotonic() - started;
    if (r.contentErrors.length) {
      this.d.showError(t('provisioning.error'), r.contentErrors.slice(0, 3).map((e) => e.slice(0, 120)));
    }
    const cycle = this.d.config.finishCycle();
    r.rebooting = cycle.rebooting;
    const summary = `${r.changed.length} changed, ${r.unchanged.length} unchanged, ${r.requests} requests, ${r.durationMs} ms`;
    if (r.outcome === 'provisioned') this.d.log.notice(`provisioned from ${r.master} (${r.reason}): ${summary}${r.contentErrors.length ? `, ${r.contentErrors.length} files refused` : ''}`);
    else this.d.log.error(`provisioning incomplete (${r.reason}): ${r.transferErrors.length} transfer errors, ${summary}`);
    return r;
  }

  /** `<MAC>.cfg` first, then `000000000000.cfg`. Returns the master in force (new or last good), or null when there is none or the server failed. */
  private async fetchMaster(server: ProvisioningServer, r: CycleReport): Promise<MasterConfig | null> {
    for (const name of [`${this.d.phone.mac}.cfg`, DEFAULT_MASTER]) {
      const url = serverUrl(server, '', name);
      const key = `master:${name}`;
      const outcome = await this.get(server, r, url, key);
      if (outcome.kind === 'missing') continue;
      if (outcome.kind === 'refused') {
        const inForce = this.d.config.masterConfig();
        this.contentError(r, key, `${outcome.reason}; ${inForce ? 'last good master file stays in force' : 'no master file in force yet'}`);
        r.master = name;
        return inForce;
      }
      if (outcome.kind === 'failed') {
        // The server is not usable now: stop here rather than wait out every other file.
        r.transferErrors.push(outcome.reason);
        this.d.log.error(`master file: ${outcome.reason}`);
        return null;
      }
      r.master = name;
      if (outcome.kind === 'unchanged') {
        const inForce = this.d.config.masterConfig();
        if (!inForce) {
          this.d.cache.invalidate(key);
          r.transferErrors.push(`${name}: unchanged on the server but no copy in force; downloading it whole next time`);
        } else r.unchanged.push(name);
        return inForce;
      }
      const masterDigest = bytesToHex(this.d.crypto.sha256(outcome.body));
      const inForce = this.d.config.masterConfig();
      if (inForce && masterDigest === this.d.cache.digest(key)) {
        // Same bytes again (a server without ETag / Last-Modified): nothing to apply.
        r.unchanged.push(name);
        return inForce;
      }
      if (isEncryptedFile(outcome.body)) {
        // Spec: the primary configuration file cannot be encrypted.
        this.contentError(r, key, `${name}: refused, the master configuration file must not be encrypted`);
        return this.d.config.masterConfig();
      }
      const applied = this.d.config.applyMaster(utf8Decode(outcome.body), name);
      if (!applied.ok || !applied.master) {
        this.contentError(r, key, `${name}: refused, ${applied.error ?? 'not a master file'}`);
        return this.d.config.masterConfig();
      }
      this.d.cache.save(key, null, outcome.validators, 'config', masterDigest);
      // Files no longer listed are forgotten by the config service: forget their validators too,
      // so a file listed again later is downloaded whole.
      const listed = applied.master.configFiles.map((n) => `config:${n}`);
      this.d.cache.keepOnly(this.d.cache.keys().filter((k) => !k.startsWith('config:') || listed.includes(k)));
      // The other candidate's validators are stale now.
      this.d.cache.invalidate(`master:${name === DEFAULT_MASTER ? `${this.d.phone.mac}.cfg` : DEFAULT_MASTER}`);
      r.changed.push(name);
      return applied.master;
    }
    this.d.log.error(`no master file on the server (${this.d.phone.mac}.cfg, ${DEFAULT_MASTER})`);
    r.transferErrors.push('no master file on the server');
    return null;
  }

  private async fetchFile(server: ProvisioningServer, r: CycleReport, name: string, url: string, role: FileRole): Promise<void> {
    const key = `${role}:${name}`;
    if (this.serverGone) return; // already logged; each further request would wait out its timeout too
    // Directory files (up to 2 MiB) stream to flash as they arrive: never whole in RAM.
    const staging = role === 'directory' ? this.d.cache.stage(this.d.crypto, 'directory') : null;
    const outcome = await this.get(server, r, url, key, staging?.write);
    if (staging && outcome.kind !== 'fresh') staging.discard();
    if (outcome.kind !== 'missing') this.missingDirectoryFiles.delete(url);
    if (outcome.kind === 'unchanged') {
      r.unchanged.push(name);
      return;
    }
    if (outcome.kind === 'missing') {
      // Override and directory files are optional; a listed config file must exist.
      if (role === 'directory' && !this.missingDirectoryFiles.has(url)) {
        // Where the phone looked, for the admin whose CONTACTS_DIRECTORY points elsewhere (credentials never logged).
        this.missingDirectoryFiles.add(url);
        this.d.log.info(`${name}: no such file on the server at ${redactedUrl(url)} (HTTP ${outcome.status}); ${this.d.cache.has(key) ? 'the last downloaded copy stays' : 'no directory file of this name'}`);
        if (name === GLOBAL_DIRECTORY) await this.noticeDirectoryTemplate(server, r, url);
      }
      if (role === 'config') {
        r.transferErrors.push(`${name}: listed in CONFIG_FILES but not on the server (HTTP ${outcome.status})`);
        this.d.log.error(`${name}: listed in CONFIG_FILES but not on the server (HTTP ${outcome.status}); last good copy stays in force`);
      }
      return;
    }
    if (outcome.kind === 'refused') {
      this.contentError(r, key, `${outcome.reason}; last good copy stays in force`);
      return;
    }
    if (outcome.kind === 'failed') {
      r.transferErrors.push(outcome.reason);
      this.d.log.error(`${outcome.reason}; last good copy of ${name} stays in force${outcome.network ? '; skipping the rest of this cycle' : ''}`);
      if (outcome.network) this.serverGone = true;
      return;
    }
    let body = outcome.body;
    let streamed: StagedFile | null = null;
    if (staging) {
      const finished = staging.finish();
      if (!finished.ok) {
        staging.discard();
        r.transferErrors.push(`${name}: ${finished.error}`);
        this.d.log.error(`${name}: ${finished.error}; last good copy stays in force`);
        return;
      }
      streamed = finished.file;
    }
    const digest = streamed ? streamed.digest : bytesToHex(this.d.crypto.sha256(body));
    if (digest === this.d.cache.digest(key) && (role !== 'directory' || this.d.cache.has(key))) {
      // Same bytes again (a server without ETag / Last-Modified): nothing to apply.
      staging?.discard();
      r.unchanged.push(name);
      return;
    }
    if (staging && streamed && streamed.bytes > 0 && !isEncryptedFile(streamed.head)) {
      // Plain text on flash already: the cache refers to it from now on, the directory reads it from there.
      try {
        this.d.cache.adopt(key, streamed, outcome.validators, 'directory');
      } catch (e) {
        staging.discard();
        this.contentError(r, key, `${name}: cannot store the download (${(e as Error).message}); last good copy stays in force`);
        return;
      }
      r.changed.push(name);
      this.d.onDirectoryFile?.(name, this.d.cache.text(key) ?? '');
      return;
    }
    if (staging) {
      // Encrypted (or empty): decryption takes the whole body, so it is read back once and its plain text cached instead.
      body = staging.readWhole();
      staging.discard();
    }
    let text: string;
    try {
      text = this.open(name, body);
    } catch (e) {
      this.contentError(r, key, (e as Error).message);
      return;
    }
    const result = role === 'config' ? this.d.config.applyConfigFile(name, text)
      : role === 'override-local' ? this.d.config.applyOverrideFile('local', text)
      : role === 'override-web' ? this.d.config.applyOverrideFile('web', text)
      : { ok: true };
    if (!result.ok) {
      this.contentError(r, key, `${name}: refused, ${result.error ?? 'unreadable'}`);
      return;
    }
    if (role === 'directory') {
      this.d.cache.save(key, text, outcome.validators, 'directory', digest);
      this.d.onDirectoryFile?.(name, text);
    } else this.d.cache.save(key, null, outcome.validators, 'config', digest);
    r.changed.push(name);
  }

  /**
   * The global directory is missing: a server holding only the template
   * `000000000000-directory~.xml` (as Polycom ships it) most likely means the
   * admin forgot to rename it. Say so (docs/directory.md); it is never merged.
   * Asked once per boot, with the missing-file line.
   */
  private async noticeDirectoryTemplate(server: ProvisioningServer, r: CycleReport, globalUrl: string): Promise<void> {
    const url = globalUrl.replace(/000000000000-directory\.xml$/, encodeURIComponent(DIRECTORY_TEMPLATE));
    const outcome = await this.get(server, r, url, `directory:${DIRECTORY_TEMPLATE}`);
    if (outcome.kind === 'fresh' || outcome.kind === 'refused') {
      this.d.log.notice(`directory: ${DIRECTORY_TEMPLATE} is on the server but is the template: not merged (remove the ~ from its name on the server to use it as the global directory)`);
    }
  }

  /** `sink`: where a directory file's body streams to (without one it is only counted, as for the template check). */
  private async get(server: ProvisioningServer, r: CycleReport, url: string, key: string, sink?: (chunk: Uint8Array) => void): Promise<DownloadOutcome> {
    r.requests++;
    const directory = key.startsWith('directory:');
    const maxBytes = directory ? MAX_DIRECTORY_DOWNLOAD_BYTES : MAX_DOWNLOAD_BYTES;
    const streamTo = sink ?? (directory ? () => {} : undefined);
    let outcome = await download(this.d.net, server, url, this.d.cache.validators(key), maxBytes, streamTo);
    if (outcome.kind === 'unchanged' && !this.d.cache.keys().includes(key)) {
      // A 304 for a file we hold no copy of: ask again for the whole file.
      r.requests++;
      outcome = await download(this.d.net, server, url, {}, maxBytes, streamTo);
    }
    return outcome;
  }

  /** Plain text of a downloaded file, decrypting it when it carries the `Crypt=` header. Throws with a message for the log. */
  private open(name: string, body: Uint8Array): string {
    if (!isEncryptedFile(body)) return utf8Decode(body);
    try {
      const text = utf8Decode(decryptConfigFile(this.d.crypto, this.encryptionKey(), body));
      this.d.log.info(`${name}: decrypted`);
      return text;
    } catch (e) {
      if (e instanceof ConfigDecryptError) throw new Error(`${name}: cannot decrypt (${e.reason}): ${e.message}; last good copy stays in force`);
      throw e;
    }
  }

  private contentError(r: CycleReport, key: string, message: string): void {
    this.d.log.error(message);
    r.contentErrors.push(message);
    // Ask for the whole file next time, so the error repeats until the server offers a readable file.
    this.d.cache.invalidate(key);
  }
}
