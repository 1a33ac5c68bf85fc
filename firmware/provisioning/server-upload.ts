/**
 * Uploads to the provisioning server: HTTP PUT to base URL + directory (from
 * the master file) + file name; HTTP DELETE for "Clear Uploaded
 * Calls/Directory". Each kind of file is governed by its parameter (spec:
 * "Provisioning Settings", "Encryption"):
 *
 * | file                              | directory            | sent only when               | encrypted when                    |
 * |-----------------------------------|----------------------|------------------------------|-----------------------------------|
 * | `<MAC>-calls.xml`/`<user>-calls.xml` | CALL_LISTS_DIRECTORY | feature.uploadDir.enabled=1  | sec.encryption.upload.callLists=1 |
 * | `<MAC>-directory.xml`/`<user>-…`  | CONTACTS_DIRECTORY   | feature.uploadDir.enabled=1  | sec.encryption.upload.dir=1       |
 * | `<MAC>-phone.cfg`, `<MAC>-web.cfg` | OVERRIDES_DIRECTORY | always (server may answer 405) | sec.encryption.upload.overrides=1 |
 * | phone-specific config file        | (base)               | always                       | sec.encryption.upload.config=1    |
 * | `<MAC>-app.log`, `<MAC>-boot.log` | LOG_FILE_DIRECTORY   | log.render.file=1 (generic account) | never                      |
 *
 * Logs in append mode (`log.render.file.upload.append=1`, decided by the
 * logs module) are appended: the server file is read (GET) and written back
 * with the new lines at its end, since plain HTTP PUT cannot append.
 *
 * When encryption is asked for and the phone has no key, the file is not sent
 * (never silently in plain text). A failed upload is logged and retried with
 * backoff; a newer upload of the same file replaces the waiting one.
 */
import type { Crypto, Net } from '../../hal/contract';
import { concatBytes } from '../kernel/bytes';
import type { ComponentLogger } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { utf8Encode } from '../kernel/text-codec';
import type { MasterField } from '../config/master-file';
import { encryptConfigFile, type ConfigEncryptionKey } from './config-encryption';
import { RetryBackoff, macSeed } from './retry-backoff';
import { describeNetError } from './server-download';
import { redactedUrl, requestBase, serverUrl, type ProvisioningServer } from './server-settings';

export type UploadKind = 'callList' | 'directory' | 'overrides' | 'config' | 'log';

export interface UploadResult {
  file: string;
  status: 'uploaded' | 'deleted' | 'suppressed' | 'failed';
  /** Why suppressed or failed. */
  reason?: string;
  encrypted?: boolean;
}

export interface UploaderDeps {
  net: Net;
  crypto: Crypto;
  timers: Timers;
  log: ComponentLogger;
  mac: string;
  server: () => ProvisioningServer | null;
  /** The server with the generic account's credentials: logs always go there (spec: log files upload to the generic profile). */
  genericServer?: () => ProvisioningServer | null;
  /** Effective parameter value. */
  param: (name: string) => string | undefined;
  /** APPLICATION field of the master file in force ('' when unset). */
  masterField: (field: MasterField) => string;
  encryptionKey: () => ConfigEncryptionKey | null;
  /** Restrict Personal Data Upload is on: call lists, directory and logs stay on the phone. */
  personalUploadsRestricted?: () => boolean;
}

interface Rule {
  directory: MasterField | null;
  gate: string | null;
  encryptParam: string | null;
  /** Carries personal data (stopped by Restrict Personal Data Upload). */
  personal: boolean;
}

const RULES: Record<UploadKind, Rule> = {
  callList: { directory: 'CALL_LISTS_DIRECTORY', gate: 'feature.uploadDir.enabled', encryptParam: 'sec.encryption.upload.callLists', personal: true },
  directory: { directory: 'CONTACTS_DIRECTORY', gate: 'feature.uploadDir.enabled', encryptParam: 'sec.encryption.upload.dir', personal: true },
  overrides: { directory: 'OVERRIDES_DIRECTORY', gate: null, encryptParam: 'sec.encryption.upload.overrides', personal: false },
  config: { directory: null, gate: null, encryptParam: 'sec.encryption.upload.config', personal: false },
  log: { directory: 'LOG_FILE_DIRECTORY', gate: 'log.render.file', encryptParam: null, personal: true },
};

interface Pending {
  kind: UploadKind;
  name: string;
  text: string;
  append?: boolean;
}

export class ServerUploader {
  private readonly pending = new Map<string, Pending>();
  private readonly backoff: RetryBackoff;
  private retryTimer: number | null = null;

  constructor(private readonly d: UploaderDeps) {
    this.backoff = new RetryBackoff(macSeed(d.mac));
  }

  /** `<MAC>-calls.xml`, or `<user>-calls.xml` for a logged-in user. */
  uploadCallList(xml: string, user?: string): Promise<UploadResult> {
    return this.upload('callList', `${user ?? this.d.mac}-calls.xml`, xml);
  }

  uploadDirectory(xml: string, user?: string): Promise<UploadResult> {
    return this.upload('directory', `${user ?? this.d.mac}-directory.xml`, xml);
  }

  /** Override file of a layer: local → `<MAC>-phone.cfg`, web → `<MAC>-web.cfg`, user → `<user>-phone.cfg`. */
  uploadOverrides(layer: 'local' | 'web' | 'user', text: string, user?: string): Promise<UploadResult> {
    const name = layer === 'web' ? `${this.d.mac}-web.cfg` : layer === 'user' ? `${user}-phone.cfg` : `${this.d.mac}-phone.cfg`;
    return this.upload('overrides', name, text);
  }

  uploadConfig(name: string, text: string): Promise<UploadResult> {
    return this.upload('config', name, text);
  }

  /** `append`: add `text` at the end of the server file instead of replacing it. */
  uploadLog(which: 'app' | 'boot', text: string, append = false): Promise<UploadResult> {
    const name = `${this.d.mac}-${which}.log`;
    const waiting = this.pending.get(name);
    // Appended lines still waiting for a retry go first, so none is lost or reordered.
    if (append && waiting?.append) return this.upload('log', name, waiting.text + text, true);
    return this.upload('log', name, text, append);
  }

  /** "Clear Uploaded Calls/Directory": DELETE the uploaded call list and directory. A file already absent counts as deleted. */
  async clearUploaded(user?: string): Promise<UploadResult[]> {
    const server = this.d.server();
    const files: [UploadKind, string][] = [['callList', `${user ?? this.d.mac}-calls.xml`], ['directory', `${user ?? this.d.mac}-directory.xml`]];
    const out: UploadResult[] = [];
    for (const [kind, name] of files) {
      this.pending.delete(name);
      if (!server) {
        out.push({ file: name, status: 'failed', reason: 'no provisioning server configured' });
        continue;
      }
      const url = this.url(server, kind, name);
      try {
        const res = await this.d.net.request({ method: 'DELETE', url, ...requestBase(server) });
        if ((res.status >= 200 && res.status < 300) || res.status === 404) {
          this.d.log.notice(`cleared uploaded ${name} (${redactedUrl(url)}: HTTP ${res.status})`);
          out.push({ file: name, status: 'deleted' });
        } else {
          this.d.log.error(`clearing uploaded ${name}: ${redactedUrl(url)} answered HTTP ${res.status}`);
          out.push({ file: name, status: 'failed', reason: `HTTP ${res.status}` });
        }
      } catch (e) {
        const reason = describeNetError(e, url);
        this.d.log.error(`clearing uploaded ${name}: ${reason}`);
        out.push({ file: name, status: 'failed', reason });
      }
    }
    return out;
  }

  pendingFiles(): string[] {
    return [...this.pending.keys()];
  }

  private async upload(kind: UploadKind, name: string, text: string, append = false): Promise<UploadResult> {
    const rule = RULES[kind];
    if (rule.personal && this.d.personalUploadsRestricted?.()) {
      this.pending.delete(name);
      this.d.log.info(`not uploading ${name}: Restrict Personal Data Upload is on`);
      return { file: name, status: 'suppressed', reason: 'personal data upload restricted' };
    }
    if (rule.gate && this.d.param(rule.gate) === '0') {
      this.pending.delete(name);
      this.d.log.info(`not uploading ${name}: ${rule.gate}=0`);
      return { file: name, status: 'suppressed', reason: `${rule.gate}=0` };
    }
    const server = kind === 'log' && this.d.genericServer ? this.d.genericServer() : this.d.server();
    if (!server) return { file: name, status: 'suppressed', reason: 'no provisioning server configured' };
    let body = utf8Encode(text);
    let encrypted = false;
    if (rule.encryptParam && this.d.param(rule.encryptParam) === '1') {
      const key = this.d.encryptionKey();
      if (!key) {
        this.pending.delete(name);
        this.d.log.error(`not uploading ${name}: ${rule.encryptParam}=1 but the phone has no device.sec.configEncryption.key`);
        return { file: name, status: 'suppressed', reason: `${rule.encryptParam}=1 and no encryption key` };
      }
      body = encryptConfigFile(this.d.crypto, key, body);
      encrypted = true;
    }
    const url = this.url(server, kind, name);
    let failure: string;
    try {
      if (append) {
        const old = await this.d.net.request({ method: 'GET', url, ...requestBase(server) });
        if (old.status >= 200 && old.status < 300) body = concatBytes([old.body, body]);
        else if (old.status !== 404) throw new Error(`io: reading ${redactedUrl(url)} to append answered HTTP ${old.status}`);
      }
      const res = await this.d.net.request({ method: 'PUT', url, body, headers: { 'Content-Type': encrypted ? 'application/octet-stream' : 'text/plain; charset=utf-8' }, ...requestBase(server) });
      if (res.status >= 200 && res.status < 300) {
        this.pending.delete(name);
        this.backoff.reset();
        this.d.log.info(`uploaded ${name}${encrypted ? ' (encrypted)' : ''}: ${body.length} bytes to ${redactedUrl(url)}`);
        return { file: name, status: 'uploaded', encrypted };
      }
      failure = res.status === 405 ? `${redactedUrl(url)}: HTTP 405 (uploads disabled on the server?)` : `${redactedUrl(url)}: HTTP ${res.status}`;
    } catch (e) {
      failure = describeNetError(e, url);
    }
    this.d.log.error(`upload of ${name} failed: ${failure}`);
    this.pending.set(name, { kind, name, text, append });
    this.scheduleRetry();
    return { file: name, status: 'failed', reason: failure, encrypted };
  }

  private url(server: ProvisioningServer, kind: UploadKind, name: string): string {
    const field = RULES[kind].directory;
    return serverUrl(server, field ? this.d.masterField(field) : '', name);
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    const delay = this.backoff.next();
    this.retryTimer = this.d.timers.after(delay, 'upload retry', () => {
      this.retryTimer = null;
      const jobs = [...this.pending.values()];
      this.pending.clear();
      for (const j of jobs) void this.upload(j.kind, j.name, j.text, j.append);
    });
  }
}
