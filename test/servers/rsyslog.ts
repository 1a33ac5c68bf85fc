/**
 * A real rsyslog (Debian `rsyslog` + `rsyslog-gnutls`) on 127.0.0.1 for the
 * remote-syslog tests: UDP (imudp) and TLS (imtcp with the gtls driver, CA
 * and server certificate made with openssl in a temp dir) on free ports,
 * every received message written raw, one per line, to a file in the temp
 * dir. Started as a child (`rsyslogd -n`), killed by PID. Under CI=true a
 * missing rsyslogd or gtls driver fails the suite.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DaemonProcess, freeTcpPort, freeUdpPort, readyOrStopped, requireProgram } from './daemon-process';

export const RSYSLOGD_BINARY = '/usr/sbin/rsyslogd';
const GTLS_DRIVER = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';

export class RsyslogServer {
  private constructor(
    readonly dir: string,
    readonly udpPort: number,
    readonly tlsPort: number,
    /** Plain TCP (octet-counted or LF-framed). */
    readonly tcpPort: number,
    /** CA that signed the server certificate (PEM): the phone trusts it. */
    readonly caPem: string,
    private readonly daemon: DaemonProcess,
  ) {}

  static async start(): Promise<RsyslogServer> {
    requireProgram('rsyslog', RSYSLOGD_BINARY, 'rsyslog rsyslog-gnutls');
    const aarch64Driver = GTLS_DRIVER.replace('x86_64-linux-gnu', 'aarch64-linux-gnu');
    requireProgram("rsyslog's gtls driver", fs.existsSync(aarch64Driver) ? aarch64Driver : GTLS_DRIVER, 'rsyslog-gnutls');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsyslog-'));
    const ca = makeTls(dir);
    const udpPort = await freeUdpPort();
    const tlsPort = await freeTcpPort();
    const tcpPort = await freeTcpPort();
    const conf = path.join(dir, 'rsyslog.conf');
    const received = path.join(dir, 'received.log');
    fs.writeFileSync(conf, `
global(workDirectory="${dir}"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="${dir}/tls/ca.crt"
  defaultNetstreamDriverCertFile="${dir}/tls/server.crt"
  defaultNetstreamDriverKeyFile="${dir}/tls/server.key"
  maxMessageSize="8k")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="${udpPort}")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}")
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" streamDriver.name="ptcp" streamDriver.mode="0")
template(name="raw" type="string" string="%rawmsg%\\n")
action(type="omfile" file="${received}" template="raw" flushOnTXEnd="on" asyncWriting="off")
`);
    const daemon = DaemonProcess.spawn('rsyslogd', RSYSLOGD_BINARY, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')]);
    const server = new RsyslogServer(dir, udpPort, tlsPort, tcpPort, ca, daemon);
    return readyOrStopped(server, async () => {
      await daemon.waitForPort(tlsPort);
      await daemon.waitForPort(tcpPort);
    });
  }

  /** Raw messages received so far (one per line, as sent by the phone). */
  messages(): string[] {
    const file = path.join(this.dir, 'received.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** Wait (real time) until a received message matches. */
  async waitFor(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages().find((m) => pattern.test(m));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`rsyslog received no message matching ${pattern} within ${timeoutMs} ms; received:\n${this.messages().slice(-10).join('\n')}\nrsyslogd: ${this.daemon.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A CA and a server certificate for 127.0.0.1 signed by it (openssl CLI); returns the CA PEM. */
function makeTls(dir: string): string {
  const t = path.join(dir, 'tls');
  fs.mkdirSync(t);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: t, stdio: ['ignore', 'ignore', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test Syslog CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(t, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  return fs.readFileSync(path.join(t, 'ca.crt'), 'utf8');
}
