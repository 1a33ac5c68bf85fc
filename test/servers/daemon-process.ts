/**
 * The lifecycle every real test server shares (nginx, mosquitto, rsyslog,
 * chrony, kamailio, slapd): the program must be installed (an error, never a
 * skip; the message says so under CI=true), ports are picked free on
 * 127.0.0.1, the daemon runs as a foreground child whose output is kept for
 * failure messages, readiness is polled with a probe the server chooses, and
 * it is stopped by its PID (SIGTERM, then SIGKILL). A daemon still running
 * when the test process exits is killed by PID, so a failing test leaves
 * nothing behind.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as net from 'net';

/** Throw a clear install hint when one of `programs` is missing (tests never skip a missing server). */
export function requireProgram(what: string, programs: string | string[], aptPackages: string): void {
  const missing = (Array.isArray(programs) ? programs : [programs]).find((p) => !fs.existsSync(p));
  if (missing === undefined) return;
  throw new Error(`${what} is not installed (${missing} missing): apt-get install -y ${aptPackages}${process.env.CI === 'true' ? ' — required under CI' : ''}`);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A UDP port free on 127.0.0.1 right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

/** A port free for both UDP and TCP on 127.0.0.1 right now (SIP listens on both). */
export async function freeUdpAndTcpPort(): Promise<number> {
  for (;;) {
    const port = await freeUdpPort();
    const tcpFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function acceptsTcp(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

/**
 * Resolve with `server` once `ready` has resolved; a server that does not
 * come up is stopped (daemon killed, temp dir removed) and the error rethrown.
 */
export async function readyOrStopped<S extends { stop(): Promise<void> | void }>(server: S, ready: () => Promise<void>): Promise<S> {
  try {
    await ready();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
}

/** One daemon run in the foreground as a child of the test process. */
export class DaemonProcess {
  private collected = '';
  private spawnError: Error | null = null;

  private constructor(readonly name: string, private readonly child: ChildProcess) {
    child.stdout?.on('data', (c: Buffer) => { this.collected += c.toString(); });
    child.stderr?.on('data', (c: Buffer) => { this.collected += c.toString(); });
    child.on('error', (e) => { this.spawnError = e; this.collected += `\n${e.message}`; });
    running.add(child);
    child.once('exit', () => running.delete(child));
  }

  /** Start `program` (which must stay in the foreground) with stdout and stderr collected. */
  static spawn(name: string, program: string, args: string[]): DaemonProcess {
    return new DaemonProcess(name, spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The end of what it printed: enough to explain a failure, short enough to read. */
  private tail(): string {
    return this.collected.slice(-4000);
  }

  /** What the daemon printed so far (stdout and stderr), for failure messages. */
  output(): string {
    return this.collected;
  }

  running(): boolean {
    return this.spawnError === null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Poll `ready` until it holds; throws with the daemon's output when the
   * daemon exits first or `timeoutMs` passes. `waiting` describes what was
   * awaited ("listen on 127.0.0.1:8080"); a function is asked at the end,
   * so it can name the last failure of the probe.
   */
  async waitUntil(ready: () => Promise<boolean>, waiting: string | (() => string), options: WaitOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running()) throw new Error(`${this.name} exited with ${this.child.exitCode ?? this.child.signalCode ?? this.spawnError?.message}: ${this.tail()}`);
      if (await ready()) return;
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
    }
    throw new Error(`${this.name} did not ${typeof waiting === 'string' ? waiting : waiting()} within ${timeoutMs / 1000} s: ${this.tail()}`);
  }

  /** Wait until the daemon accepts TCP connections on 127.0.0.1:port. */
  waitForPort(port: number, options?: WaitOptions): Promise<void> {
    return this.waitUntil(() => acceptsTcp(port), `listen on 127.0.0.1:${port}`, options);
  }

  /** Ask it to stop (SIGTERM by PID) without waiting, for callers that must stay synchronous. */
  terminate(): void {
    if (!this.running() || !this.child.pid) return;
    try { process.kill(this.child.pid, 'SIGTERM'); } catch { /* already gone */ }
  }

  /** SIGTERM by PID, SIGKILL if still running after `killAfterMs`; resolves once it has exited. */
  async stop(killAfterMs = 3000): Promise<void> {
    if (!this.running() || !this.child.pid) return;
    const pid = this.child.pid;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this.running()) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }, killAfterMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Children not yet exited: killed by PID when the test process exits. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch { /* already gone */ }
  }
});
