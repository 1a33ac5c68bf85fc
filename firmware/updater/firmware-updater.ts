/**
 * The firmware update from the provisioning server: after a provisioning
 * cycle, GET the master file's `APP_FILE_PATH`; when its version differs from
 * the running one (and is newer, or downgrades are allowed), verify it, write
 * it into the inactive slot and reboot into it on trial. Marking the running
 * slot good once the firmware reaches idle ends its trial.
 *
 * Every refusal (not an update file, truncated, another board, bad signature,
 * too big for the slot, a downgrade, the image that already failed its trial)
 * is one error line naming the file and the reason; the running slot and the
 * boot record stay as they were.
 */
import type { Crypto, FlashPartition, Net, NetResponse } from '../../hal/contract';
import type { ComponentLogger } from '../kernel/logger';
import { bytesToHex } from '../kernel/hex';
import { describeNetError, looksLikeHtml } from '../provisioning/server-download';
import { redactedUrl, requestBase, serverUrl, type ProvisioningServer } from '../provisioning/server-settings';
import { readBootRecord, writeBootRecord } from './boot-record';
import { installToInactiveSlot } from './slot-installer';
import { parseUpdateFile } from './update-file';
import { readUpdateKey } from './update-key';
import { updateRefusal } from './update-verification';
import { inactiveSlot, updaterLayout } from './updater-layout';
import { compareVersions } from './version-order';

export interface FirmwareUpdaterDeps {
  net: Net;
  crypto: Pick<Crypto, 'sha256' | 'verify'>;
  updater: FlashPartition;
  board: string;
  runningVersion: string;
  log: ComponentLogger;
  server(): ProvisioningServer | null;
  /** APP_FILE_PATH of the master file in force ('' when none). */
  appFilePath(): string;
  allowDowngrade(): boolean;
  reboot(reason: string): void;
  monotonic(): number;
}

export type UpdateCheck =
  | 'no-image' | 'unchanged' | 'same-version' | 'refused' | 'failed' | 'busy'
  | { installed: string; slot: string; erases: number; programmedBytes: number };

export class FirmwareUpdater {
  /** Validators of the last file looked at: the same file is not downloaded again by every cycle. */
  private lastSeen: { url: string; etag?: string; lastModified?: string } | null = null;
  private busy = false;

  constructor(private readonly d: FirmwareUpdaterDeps) {}

  /** The running slot reached idle: its trial is over (a no-op unless it runs on trial). */
  markRunningGood(): void {
    const record = readBootRecord(this.d.updater);
    const slot = record?.active ?? null;
    if (!record || slot === null) return;
    const info = record.slots[slot];
    if (info.state !== 'trial' || info.version !== this.d.runningVersion) return;
    record.slots[slot] = { ...info, state: 'good' };
    record.trialBootsLeft = 0;
    writeBootRecord(this.d.updater, record);
    this.d.log.notice(`slot ${slot} (${info.version}) reached idle: marked good`);
  }

  /** Where the phone runs from, for the boot log and the status screen. */
  runningSlot(): string {
    const record = readBootRecord(this.d.updater);
    return record?.active ? `slot ${record.active} (${record.slots[record.active].state})` : 'factory image';
  }

  async check(): Promise<UpdateCheck> {
    const path = this.d.appFilePath();
    const server = this.d.server();
    if (!path || !server) return 'no-image';
    if (this.busy) return 'busy';
    this.busy = true;
    try {
      return await this.checkUrl(serverUrl(server, '', path), server);
    } finally {
      this.busy = false;
    }
  }

  private async checkUrl(url: string, server: ProvisioningServer): Promise<UpdateCheck> {
    const where = redactedUrl(url);
    const slotSize = updaterLayout(this.d.updater).slots.A.size;
    const headers: Record<string, string> = {};
    if (this.lastSeen?.url === url) {
      if (this.lastSeen.etag) headers['If-None-Match'] = this.lastSeen.etag;
      if (this.lastSeen.lastModified) headers['If-Modified-Since'] = this.lastSeen.lastModified;
    }
    let res: NetResponse;
    try {
      res = await this.d.net.request({ method: 'GET', url, headers, maxBodyBytes: slotSize, ...requestBase(server), timeoutMs: Math.max(server.timeoutMs, 60000) });
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('too-large:')) return this.refuse(where, `larger than the ${slotSize}-byte slot`);
      this.d.log.warning(`application image ${describeNetError(e, url)}; tried again at the next provisioning cycle`);
      return 'failed';
    }
    if (res.status === 304) return 'unchanged';
    if (res.status === 404 || res.status === 410) {
      this.d.log.info(`no application image at ${where} (HTTP ${res.status})`);
      return 'no-image';
    }
    if (res.status < 200 || res.status > 299 || looksLikeHtml(res)) {
      this.d.log.warning(`application image ${where}: ${res.status < 200 || res.status > 299 ? `HTTP ${res.status}` : 'server answered with an HTML page'}`);
      return 'failed';
    }
    // Looked at once: until the server's copy changes, a refused or current file is not fetched again.
    this.lastSeen = { url, etag: res.headers['etag'], lastModified: res.headers['last-modified'] };
    if (res.body.length > slotSize) return this.refuse(where, `${res.body.length} bytes, larger than the ${slotSize}-byte slot`);
    const parsed = parseUpdateFile(res.body);
    if (!parsed.ok) return this.refuse(where, parsed.error);
    const m = parsed.file.manifest;
    if (m.version === this.d.runningVersion) {
      this.d.log.info(`application image ${where} is version ${m.version}, the one running`);
      return 'same-version';
    }
    if (compareVersions(m.version, this.d.runningVersion) < 0 && !this.d.allowDowngrade()) {
      return this.refuse(where, `version ${m.version} is older than the running ${this.d.runningVersion} (downgrades need prov.softwareUpdate.allowDowngrade=1)`);
    }
    const refusal = updateRefusal(parsed.file, readUpdateKey(this.d.updater), this.d.crypto, this.d.board);
    if (refusal) return this.refuse(where, refusal);
    const fileSha = bytesToHex(this.d.crypto.sha256(res.body));
    const record = readBootRecord(this.d.updater);
    const target = inactiveSlot(record?.active ?? null);
    const previous = record?.slots[target];
    if (previous?.state === 'bad' && previous.sha256 === fileSha) return this.refuse(where, `version ${m.version} already failed its trial boot in slot ${target}`);

    const started = this.d.monotonic();
    let result;
    try {
      result = installToInactiveSlot(this.d.updater, this.d.crypto, res.body, m.version);
    } catch (e) {
      this.d.log.error(`application image ${where}: install failed: ${(e as Error).message}; ${this.runningSlot()} keeps running`);
      return 'failed';
    }
    this.d.log.notice(`installed version ${m.version} into slot ${result.slot} (${res.body.length} bytes, ${result.erases} erases, ${result.programmedBytes} bytes programmed, ${this.d.monotonic() - started} ms): rebooting into it on trial`);
    this.d.reboot(`firmware update to ${m.version}`);
    return { installed: m.version, slot: result.slot, erases: result.erases, programmedBytes: result.programmedBytes };
  }

  private refuse(where: string, reason: string): 'refused' {
    this.d.log.error(`application image ${where} refused: ${reason}; ${this.runningSlot()} (${this.d.runningVersion}) keeps running`);
    return 'refused';
  }
}
