/**
 * Log uploads to the provisioning server (spec: "Provisioning Settings";
 * shared/DESIGN.md section 9): `<MAC>-app.log` / `<MAC>-boot.log` in
 * LOG_FILE_DIRECTORY, sent through the provisioning module (bus event
 * `prov:upload`), which owns the server, credentials and retries.
 *
 * - `log.render.file=0`: nothing is sent and nothing is marked as sent.
 * - append mode (`log.render.file.upload.append=1`): only the lines since
 *   the last upload are sent, appended to the server file; once the server
 *   file would pass `.append.sizeLimit` KB, limitMode `delete` starts it
 *   over with the new lines, `stop` sends nothing more.
 * - replace mode: the whole local log (every kept generation) replaces the
 *   server file.
 * Where each log was sent up to is kept in `logs/upload.state` (class logs)
 * so a reboot neither resends nor skips lines.
 */
import type { ComponentLogger } from '../kernel/logger';
import { utf8Decode, utf8Encode } from '../kernel/text-codec';
import type { FileStore } from '../storage/file-store';
import { concatBytes } from '../kernel/bytes';
import type { LogName, RotatingLogFile } from './rotating-log-file';

export const UPLOAD_STATE_PATH = 'logs/upload.state';

/** What the provisioning module receives on `prov:upload`. */
export interface LogUploadRequest {
  kind: 'log';
  name: LogName;
  text: string;
  /** Append to the server file instead of replacing it. */
  append: boolean;
}

interface Cursor {
  gen: number;
  offset: number;
  serverBytes: number;
}

export type UploadOutcome = 'sent' | 'nothing-new' | 'suppressed' | 'stopped';

export interface LogUploaderDeps {
  store: FileStore;
  files: Record<LogName, RotatingLogFile>;
  param: (name: string) => string | undefined;
  send: (request: LogUploadRequest) => void;
  log: ComponentLogger;
  mac: string;
}

export class LogUploader {
  private state: Record<LogName, Cursor>;
  private stopNoted: Record<LogName, boolean> = { app: false, boot: false };

  constructor(private readonly d: LogUploaderDeps) {
    this.state = { app: { gen: 0, offset: 0, serverBytes: 0 }, boot: { gen: 0, offset: 0, serverBytes: 0 } };
    const raw = d.store.read(UPLOAD_STATE_PATH);
    if (raw) {
      try {
        const parsed = JSON.parse(utf8Decode(raw)) as Record<LogName, Cursor>;
        for (const n of ['app', 'boot'] as const) {
          const c = parsed[n];
          if (c && [c.gen, c.offset, c.serverBytes].every((v) => Number.isInteger(v) && v >= 0)) this.state[n] = c;
        }
      } catch (e) {
        d.log.error(`log upload state unreadable (${(e as Error).message}): the next upload starts from the oldest kept line`);
      }
    }
  }

  /** Send what the server should get of log `name` now (the caller flushed the RAM buffer). */
  upload(name: LogName, reason: string): UploadOutcome {
    const file = `${this.d.mac}-${name}.log`;
    if (this.d.param('log.render.file') === '0') {
      this.d.log.info(`not uploading ${file}: log.render.file=0`);
      return 'suppressed';
    }
    const log = this.d.files[name];
    const end = { gen: log.current() ?? 0, offset: log.currentSize() };
    const append = this.d.param('log.render.file.upload.append') !== '0';
    const cursor = this.state[name];
    let text: string;
    let serverBytes: number;
    let appendNow = append;
    if (append) {
      const fresh = this.sinceCursor(log, cursor);
      if (!fresh.length) return 'nothing-new';
      const limit = (Number(this.d.param('log.render.file.upload.append.sizeLimit')) || 512) * 1024;
      if (cursor.serverBytes + fresh.length > limit) {
        if (this.d.param('log.render.file.upload.append.limitMode') === 'stop') {
          if (!this.stopNoted[name]) this.d.log.notice(`${file} on the server reached ${limit / 1024} KB: not appending (limitMode=stop)`);
          this.stopNoted[name] = true;
          return 'stopped';
        }
        this.d.log.notice(`${file} on the server reached ${limit / 1024} KB: starting it over (limitMode=delete)`);
        appendNow = false;
        serverBytes = fresh.length;
      } else {
        serverBytes = cursor.serverBytes + fresh.length;
      }
      text = utf8Decode(fresh);
    } else {
      const all = log.readAll();
      if (!all.length) return 'nothing-new';
      text = utf8Decode(all);
      serverBytes = all.length;
    }
    this.d.send({ kind: 'log', name, text, append: appendNow });
    this.d.log.info(`log upload of ${file} (${reason}): ${utf8Encode(text).length} bytes, ${appendNow ? 'appended' : 'replacing the server file'}`);
    this.state[name] = { gen: end.gen, offset: end.offset, serverBytes };
    this.save();
    return 'sent';
  }

  private sinceCursor(log: RotatingLogFile, cursor: Cursor): Uint8Array {
    const parts: Uint8Array[] = [];
    const gens = log.generations();
    if (gens.length && cursor.gen < gens[0] && (cursor.gen !== 0 || cursor.offset !== 0)) {
      this.d.log.notice(`${log.name}.log rotated past the last upload: lines in between were deleted before they were sent`);
    }
    for (const g of gens) {
      if (g < cursor.gen) continue;
      const bytes = log.readGeneration(g);
      parts.push(g === cursor.gen ? bytes.subarray(Math.min(cursor.offset, bytes.length)) : bytes);
    }
    return concatBytes(parts);
  }

  private save(): void {
    try {
      this.d.store.write(UPLOAD_STATE_PATH, utf8Encode(JSON.stringify(this.state)), { cls: 'logs' });
    } catch (e) {
      this.d.log.error(`log upload state not saved (${(e as Error).message}): a reboot may resend lines`);
    }
  }
}
