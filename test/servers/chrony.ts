/**
 * Debian chronyd as a real NTP server for the tests: started as a foreground
 * child (`-d`) on 127.0.0.1 on a free UDP port, serving its own clock
 * (`local stratum 8`) to 127.0.0.1 only, with no command port and every file
 * (config, pid, drift) in one temp dir removed on stop. `-x`: chronyd never
 * adjusts the system clock, so a test cannot disturb the machine's time.
 * As root it would drop privileges to the `_chrony` user; `-U`/`-u root`
 * keeps it as the user running the tests (the temp dir stays writable).
 */
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DaemonProcess, freeUdpPort, readyOrStopped, requireProgram } from './daemon-process';

export const CHRONYD_BINARY = '/usr/sbin/chronyd';

export class ChronyServer {
  private constructor(
    readonly dir: string,
    /** UDP port chronyd answers NTP on (127.0.0.1). */
    readonly port: number,
    private readonly daemon: DaemonProcess,
  ) {}

  static async start(): Promise<ChronyServer> {
    requireProgram('chronyd', CHRONYD_BINARY, 'chrony');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntp-chrony-'));
    const port = await freeUdpPort();
    const conf = path.join(dir, 'chrony.conf');
    fs.writeFileSync(conf, [
      `port ${port}`,
      'bindaddress 127.0.0.1',
      'local stratum 8',
      'allow 127.0.0.1',
      'cmdport 0',
      `pidfile ${path.join(dir, 'chronyd.pid')}`,
      `driftfile ${path.join(dir, 'chrony.drift')}`,
      '',
    ].join('\n'));
    const args = ['-d', '-x', '-f', conf];
    // As root chronyd switches to its own user by default; stay root so it can use the temp dir.
    if (process.getuid?.() === 0) args.push('-u', 'root', '-U');
    const daemon = DaemonProcess.spawn('chronyd', CHRONYD_BINARY, args);
    const server = new ChronyServer(dir, port, daemon);
    // Ask it for the time the way a client does, until it answers (chronyd binds shortly after start).
    return readyOrStopped(server, () => daemon.waitUntil(() => answersNtp(port, 300), `answer NTP on 127.0.0.1:${port}`, { intervalMs: 0 }));
  }

  /** What chronyd printed (for failure messages). */
  log(): string {
    return this.daemon.output();
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A minimal SNTP client request (version 4, mode 3): true when a server-mode answer comes back. */
function answersNtp(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', (m) => done(m.length >= 48 && (m[0] & 7) === 4));
    socket.on('error', () => done(false));
    const request = Buffer.alloc(48);
    request[0] = (4 << 3) | 3;
    socket.send(request, port, '127.0.0.1');
  });
}
