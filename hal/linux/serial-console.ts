/**
 * The board's serial console (HAL `serial`): each line goes to the board
 * file's serial device (a UART such as /dev/ttyS0) and to listeners (the
 * runner prints them on stdout, which systemd keeps in the journal). The last
 * lines are kept for `RunningBoard.log()`. A serial device that cannot be
 * opened or written is reported once and the console carries on without it:
 * the log of last resort must not stop the phone.
 */
import * as fs from 'fs';
import { KeptSerialLines } from './kept-serial-lines';

export class SerialConsole extends KeptSerialLines {
  private fd: number | null = null;

  constructor(private readonly o: { device?: string; keep?: number } = {}) {
    super(o.keep);
    if (o.device) {
      try {
        // No O_CREAT: a missing /dev/ttyS0 must not become a regular file in /dev.
        this.fd = fs.openSync(o.device, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_NOCTTY);
      } catch (e) {
        this.write(`serial: cannot open ${o.device}: ${(e as Error).message}; console on stdout only`);
      }
    }
  }

  write(line: string): void {
    if (this.fd !== null) {
      try {
        fs.writeSync(this.fd, line.replace(/\n/g, '\r\n') + '\r\n');
      } catch (e) {
        this.close();
        super.write(line);
        this.write(`serial: writing ${this.o.device} failed: ${(e as Error).message}; console on stdout only`);
        return;
      }
    }
    super.write(line);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
