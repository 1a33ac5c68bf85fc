/**
 * The network link of the board: /sys/class/net/<if>/operstate, polled (the
 * kernel offers no file to wait on without netlink). `up` and `unknown`
 * (drivers that do not report, loopback, some virtual NICs) count as up; a
 * missing interface counts as down and is logged once.
 */
import * as fs from 'fs';
import * as path from 'path';

export const LINK_POLL_MS = 2000;

export class LinkStateMonitor {
  private timer: NodeJS.Timeout | null = null;
  private last: boolean | null = null;
  private missingLogged = false;

  constructor(private readonly o: { interface: string; sysClassNet?: string; log: (line: string) => void; onChange: (up: boolean) => void }) {}

  /** Read the state now (tell `onChange` if it differs), then every LINK_POLL_MS. */
  start(): boolean {
    const up = this.poll();
    this.timer = setInterval(() => this.poll(), LINK_POLL_MS);
    this.timer.unref();
    return up;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  poll(): boolean {
    const file = path.join(this.o.sysClassNet ?? '/sys/class/net', this.o.interface, 'operstate');
    let up: boolean;
    try {
      const state = fs.readFileSync(file, 'utf8').trim();
      up = state === 'up' || state === 'unknown';
      this.missingLogged = false;
    } catch {
      if (!this.missingLogged) this.o.log(`net: no interface ${this.o.interface} (${file} unreadable): link down`);
      this.missingLogged = true;
      up = false;
    }
    if (up !== this.last) {
      if (this.last !== null) this.o.log(`net: link ${this.o.interface} ${up ? 'up' : 'down'}`);
      this.last = up;
      this.o.onChange(up);
    }
    return up;
  }
}
