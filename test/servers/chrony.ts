/**
 * Debian chronyd as a real NTP server for the tests: started as a foreground
 * child (`-d`) on 127.0.0.1 on a free UDP port, serving its own clock
 * (`local stratum 8`) to 127.0.0.1 only, with no command port and every file
 * (config, pid, drift) in one temp dir removed on stop. `-x`: chronyd never
 * adjusts the system clock, so a test cannot disturb the machine's time.
 * As root it would drop privileges to the `_chrony` user; `-U`/`-u root`
 * keeps it as the user running the tests (the temp dir stays writable).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CHRONYD_BINARY = '/usr/sbin/chronyd';

export class ChronyServer {
  private constructor(
    readonly dir: string,
    /** UDP port chronyd answers NTP on (127.0.0.1). */
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly output: () => string,
  ) {}

  static async start(): Promise<ChronyServer> {
    if (!fs.existsSync(CHRONYD_BINARY)) {
      throw new Error(`chronyd is not installed (${CHRONYD_BINARY} missing): apt-get install -y chrony${process.env.CI === 'true' ? ' — required under CI' : ''}`);
    }
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
    let output = '';
    const child = spawn(CHRONYD_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const server = new ChronyServer(dir, port, child, () => output);
    liveServers.add(server);
    try {
      await server.waitUntilServing();
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  /** What chronyd printed (for failure messages). */
  log(): string {
    return this.output();
  }

  /** Ask it for the time the way a client does, until it answers (chronyd binds shortly after start). */
  private async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`chronyd exited with ${this.child.exitCode}: ${this.output()}`);
      if (await answersNtp(this.port, 300)) return;
    }
    throw new Error(`chronyd does not answer NTP on 127.0.0.1:${this.port}: ${this.output()}`);
  }

  async stop(): Promise<void> {
    liveServers.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      process.kill(this.child.pid!, 'SIGTERM');
      const timer = setTimeout(() => { if (this.child.exitCode === null) process.kill(this.child.pid!, 'SIGKILL'); }, 3000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const liveServers = new Set<ChronyServer>();
process.on('exit', () => {
  for (const s of liveServers) {
    try {
      process.kill((s as unknown as { child: ChildProcess }).child.pid!, 'SIGKILL');
    } catch { /* already gone */ }
  }
});

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

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.on('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}
