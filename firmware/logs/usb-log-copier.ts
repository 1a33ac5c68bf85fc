/**
 * USB logging (spec: "Uploading Logs to a USB Flash Drive", "USB Logging
 * Parameter"): with `feature.usbLogging.enabled=1` the app and boot logs
 * (every kept generation) are copied to the drive as `<MAC>-app.log` and
 * `<MAC>-boot.log` when a log reaches its size limit and every
 * `log.render.file.upload.period` seconds. A missing or full drive is
 * logged, never fatal; the copy is tried again at the next trigger.
 */
import type { Usb } from '../../hal/contract';
import type { ComponentLogger } from '../kernel/logger';
import type { LogName, RotatingLogFile } from './rotating-log-file';

export type UsbCopyOutcome = 'copied' | 'disabled' | 'absent' | 'failed';

export class UsbLogCopier {
  private absentNoted = false;

  constructor(private readonly usb: Usb, private readonly files: Record<LogName, RotatingLogFile>, private readonly param: (name: string) => string | undefined, private readonly log: ComponentLogger, private readonly mac: string) {}

  /** Copy both logs now (the caller flushed the RAM buffer). */
  copy(reason: string): UsbCopyOutcome {
    if (this.param('feature.usbLogging.enabled') !== '1') return 'disabled';
    if (!this.usb.present()) {
      // Said once per absence: a log storm with no stick must not fill the log with this.
      if (!this.absentNoted) this.log.warning(`USB logging: no USB drive present, logs not copied (${reason})`);
      this.absentNoted = true;
      return 'absent';
    }
    this.absentNoted = false;
    for (const name of ['app', 'boot'] as const) {
      const file = `${this.mac}-${name}.log`;
      try {
        this.usb.writeFile(file, this.files[name].readAll());
      } catch (e) {
        const message = (e as Error).message;
        this.log.error(`USB logging: ${file} not copied: ${/^full/.test(message) ? 'the drive is full' : message}`);
        return 'failed';
      }
    }
    this.log.info(`USB logging: app and boot logs copied to the USB drive (${reason})`);
    return 'copied';
  }
}
