/**
 * The logger's flash sink. Taking a line only pushes it onto a RAM buffer;
 * a timer writes the buffer to the current log file in one store
 * transaction, every FLUSH_INTERVAL_MS or as soon as FLUSH_BYTES are waiting
 * (on the next timer tick, never inside the caller). A burst bigger than
 * MAX_BUFFER_BYTES is dropped line by line and counted as missed events
 * (the logger reports the count in the next line that gets through), so a
 * log storm costs bounded RAM and one batch write per tick, not one flash
 * program per line.
 */
import type { LogRecord } from '../kernel/logger';
import type { Timers } from '../kernel/timers';
import { StorageFullError } from '../storage/errors';
import type { LogName, RotatingLogFile } from './rotating-log-file';

export const FLUSH_INTERVAL_MS = 5000;
export const FLUSH_BYTES = 4096;
export const MAX_BUFFER_BYTES = 64 * 1024;

export interface FlashWriterHooks {
  /** A log rotated (its size limit was reached). */
  onRotate(name: LogName): void;
  /** A write failed (flash full, …): the batch is lost; reported once until a write succeeds. */
  onWriteError(name: LogName, message: string): void;
  /** An old log file was deleted to make room for new lines. */
  onMadeRoom?(message: string): void;
}

export class LogFlashWriter {
  private target: LogName = 'boot';
  private readonly pending: Record<LogName, string[]> = { app: [], boot: [] };
  private bufferedBytes = 0;
  private timer: number | null = null;
  private soon = false;
  private failing = false;
  private dropped = 0;

  constructor(private readonly files: Record<LogName, RotatingLogFile>, private readonly timers: Timers, private readonly hooks: FlashWriterHooks) {}

  /** The logger sink: O(1), never touches flash. */
  readonly sink = (line: string, record?: LogRecord): boolean => {
    if (this.bufferedBytes + line.length > MAX_BUFFER_BYTES) {
      this.dropped++;
      return false;
    }
    this.pending[this.target].push(line);
    this.bufferedBytes += line.length + 1;
    // Errors and worse reach flash on the next tick: they are what a crash investigation needs.
    if ((this.bufferedBytes >= FLUSH_BYTES || (record !== undefined && record.level >= 4)) && !this.soon) this.schedule(0);
    else if (this.timer === null) this.schedule(FLUSH_INTERVAL_MS);
    return true;
  };

  /** Lines taken from now on go to `name` (boot.log during the boot phase, app.log after). */
  switchTo(name: LogName): void {
    this.target = name;
  }

  currentTarget(): LogName {
    return this.target;
  }

  /** Lines dropped because the buffer was full, since boot. */
  droppedLines(): number {
    return this.dropped;
  }

  bufferedLines(): number {
    return this.pending.app.length + this.pending.boot.length;
  }

  /** Write everything buffered now (before an upload, a USB copy, a package, a reboot). */
  flush(): void {
    if (this.timer !== null) this.timers.cancel(this.timer);
    this.timer = null;
    this.soon = false;
    for (const name of ['boot', 'app'] as const) {
      const lines = this.pending[name];
      if (!lines.length) continue;
      this.pending[name] = [];
      this.bufferedBytes = this.recount();
      let rotations = 0;
      try {
        rotations = this.appendMakingRoom(name, lines);
        this.failing = false;
      } catch (e) {
        if (!this.failing) {
          this.failing = true;
          this.hooks.onWriteError(name, `${lines.length} lines lost: ${(e as Error).message}`);
        }
        continue;
      }
      if (rotations > 0) this.hooks.onRotate(name);
    }
  }

  /** On a full flash the logs give way first: their oldest generations go (boot log first) until the batch fits or one file each is left. */
  private appendMakingRoom(name: LogName, lines: string[]): number {
    for (;;) {
      try {
        return this.files[name].append(lines).rotations;
      } catch (e) {
        if (!(e instanceof StorageFullError)) throw e;
        const dropped = this.files.boot.dropOldest() ?? this.files.app.dropOldest();
        if (dropped === null) throw e;
        this.hooks.onMadeRoom?.(`flash full: deleted the oldest log file to write new lines`);
      }
    }
  }

  private recount(): number {
    let n = 0;
    for (const l of this.pending.app) n += l.length + 1;
    for (const l of this.pending.boot) n += l.length + 1;
    return n;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.timers.cancel(this.timer);
    this.soon = ms === 0;
    this.timer = this.timers.after(ms, 'log flush', () => {
      this.timer = null;
      this.soon = false;
      this.flush();
    });
  }
}
