/**
 * Debian mosquitto as the customer's analytics broker for the tests: a
 * non-daemon child on 127.0.0.1 (free port), TLS only with a CA made here
 * (openssl), a password per phone (mosquitto_passwd) and an ACL that lets
 * each phone write under `<prefix>/<its user name>/#` only and read nothing;
 * a `reader` account (the customer's collector) reads the whole tree. Every
 * file lives in one temp dir removed on stop; processes are killed by PID.
 *
 * Subscribers are real MQTT clients: mosquitto_sub children, so the tests
 * need no MQTT library of their own.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DaemonProcess, freeTcpPort, requireProgram } from './daemon-process';

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
export const READER = { user: 'reader', password: 'reader-secret' };

export interface BrokerAccount { user: string; password: string }

export interface Received { topic: string; payload: string }

export class MosquittoBroker {
  private daemon: DaemonProcess | null = null;
  private readonly subscribers = new Set<ChildProcess>();

  private constructor(readonly dir: string, readonly port: number, readonly caPem: string, readonly otherCaPem: string, readonly prefix: string) {}

  get url(): string {
    return `mqtts://127.0.0.1:${this.port}`;
  }

  static async start(accounts: BrokerAccount[], prefix = 'phones'): Promise<MosquittoBroker> {
    requireProgram('mosquitto', MOSQUITTO_BINARY, 'mosquitto mosquitto-clients');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analytics-mosquitto-'));
    const tls = makeTls(dir);
    const passwd = path.join(dir, 'passwd');
    fs.writeFileSync(passwd, '');
    for (const a of [READER, ...accounts]) execFileSync('mosquitto_passwd', ['-b', passwd, a.user, a.password], { stdio: ['ignore', 'ignore', 'pipe'] });
    fs.writeFileSync(path.join(dir, 'acl'), [
      `user ${READER.user}`, `topic read ${prefix}/#`, '',
      // Any other account: its own subtree, write only.
      `pattern write ${prefix}/%u/#`, '',
    ].join('\n'));
    const port = await freeTcpPort();
    const broker = new MosquittoBroker(dir, port, tls.caPem, tls.otherCaPem, prefix);
    fs.writeFileSync(path.join(dir, 'mosquitto.conf'), [
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${passwd}`,
      `acl_file ${path.join(dir, 'acl')}`,
      'persistence false',
      `user ${os.userInfo().username}`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      `listener ${port} 127.0.0.1`,
      `cafile ${path.join(dir, 'tls', 'ca.crt')}`,
      `certfile ${path.join(dir, 'tls', 'server.crt')}`,
      `keyfile ${path.join(dir, 'tls', 'server.key')}`,
      'require_certificate false',
      '',
    ].join('\n'));
    await broker.resume();
    return broker;
  }

  /** Start (again) on the same port: after `pause()`, the broker comes back. */
  async resume(): Promise<void> {
    if (this.daemon) return;
    this.daemon = DaemonProcess.spawn('mosquitto', MOSQUITTO_BINARY, ['-c', path.join(this.dir, 'mosquitto.conf')]);
    await this.daemon.waitForPort(this.port);
  }

  /** Stop the broker (the phone's connection drops, new ones are refused). */
  async pause(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon) return;
    this.daemon = null;
    await daemon.stop();
  }

  /**
   * A real MQTT client subscribed to `topic` as `account` (default: the
   * reader); resolves once the broker has acknowledged the subscription.
   */
  async subscribe(topic: string, account: BrokerAccount = READER): Promise<Subscription> {
    const ca = path.join(this.dir, 'tls', 'ca.crt');
    // stdbuf: piped, mosquitto_sub would hold its lines in a full buffer.
    const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(this.port), '--cafile', ca, '-u', account.user, '-P', account.password,
      '-t', topic, '-q', '1', '-v', '-d', '-i', `sub-${process.pid}-${Math.random().toString(36).slice(2, 8)}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.subscribers.add(child);
    child.once('exit', () => this.subscribers.delete(child));
    const sub = new Subscription(child, () => this.subscribers.delete(child));
    await sub.ready();
    return sub;
  }

  /** Publish as `account` with mosquitto_pub (QoS 1); resolves with its exit code. */
  publishAs(account: BrokerAccount, topic: string, payload: string): number {
    try {
      execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(this.port), '--cafile', path.join(this.dir, 'tls', 'ca.crt'),
        '-u', account.user, '-P', account.password, '-t', topic, '-m', payload, '-q', '1'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10000 });
      return 0;
    } catch (e) {
      return (e as { status?: number }).status ?? 1;
    }
  }

  async stop(): Promise<void> {
    for (const s of [...this.subscribers]) if (s.exitCode === null) process.kill(s.pid!, 'SIGTERM');
    await this.pause();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export class Subscription {
  readonly messages: Received[] = [];
  private buffer = '';
  private debug = '';

  constructor(private readonly child: ChildProcess, private readonly forget: () => void) {
    child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        // -d debug lines start with "Client " or "Subscribed ("; -v message lines are "<topic> <payload>".
        if (line.startsWith('Client ') || line.startsWith('Subscribed (') || line === '') {
          this.debug += line + '\n';
          continue;
        }
        const sp = line.indexOf(' ');
        this.messages.push({ topic: line.slice(0, sp), payload: line.slice(sp + 1) });
      }
    });
    child.stderr!.on('data', (d: Buffer) => { this.debug += d.toString(); });
  }

  async ready(): Promise<void> {
    const deadline = Date.now() + 10000;
    while (!/received SUBACK/.test(this.debug)) {
      if (this.child.exitCode !== null) throw new Error(`mosquitto_sub exited with ${this.child.exitCode}: ${this.debug}`);
      if (Date.now() > deadline) throw new Error(`mosquitto_sub: no SUBACK: ${this.debug}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Parsed JSON payloads, in order of arrival. */
  json(): any[] {
    return this.messages.map((m) => JSON.parse(m.payload));
  }

  /** Wait (real time) until `predicate` holds for the messages so far. */
  async until(predicate: (messages: Received[]) => boolean, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; received: ${JSON.stringify(this.messages.map((m) => m.topic))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    if (this.child.exitCode === null) process.kill(this.child.pid!, 'SIGTERM');
    this.forget();
  }
}

/** A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA (openssl CLI, P-256 keys: fast to make). */
function makeTls(dir: string): { caPem: string; otherCaPem: string } {
  const t = path.join(dir, 'tls');
  fs.mkdirSync(t);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: t, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', ...ec, '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=Test Analytics ${ca}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  ssl('req', ...ec, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(t, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  return { caPem: fs.readFileSync(path.join(t, 'ca.crt'), 'utf8'), otherCaPem: fs.readFileSync(path.join(t, 'other-ca.crt'), 'utf8') };
}
