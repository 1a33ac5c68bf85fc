/**
 * Debian kamailio as a real SIP registrar for the tests: started in the
 * foreground as a child (`-DD -E`), UDP and TCP on 127.0.0.1 on a free port, digest
 * authentication from a db_text `subscriber` table written here (no database
 * server), locations in memory, and a plain proxy route so registered phones
 * can call each other through it. Everything (config, db_text tables,
 * runtime dir) lives in one temp dir removed on `stop`. Started by root (as CI
 * runs), kamailio drops to nobody/nogroup once its socket is bound.
 *
 * `stop()` then `start()` again keeps the port: the registrar going away and
 * coming back at the same address, as the tests need.
 */
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DaemonProcess, freeUdpAndTcpPort, requireProgram } from './daemon-process';

export const KAMAILIO_BINARY = '/usr/sbin/kamailio';
const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

export interface SipUser {
  user: string;
  password: string;
}

export class KamailioServer {
  private daemon: DaemonProcess | null = null;
  /** What earlier runs printed (the registrar may have been paused and resumed). */
  private earlierOutput = '';

  private constructor(readonly dir: string, readonly port: number) {}

  /** Write the config for these users and start kamailio on a free UDP port. */
  static async start(users: SipUser[]): Promise<KamailioServer> {
    requireProgram('kamailio', KAMAILIO_BINARY, 'kamailio');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kamailio-'));
    const server = new KamailioServer(dir, await freeUdpAndTcpPort());
    fs.mkdirSync(path.join(dir, 'db'));
    fs.mkdirSync(path.join(dir, 'run'));
    fs.writeFileSync(path.join(dir, 'db', 'version'), 'id(int,auto) table_name(string) table_version(int) \n0:subscriber:7\n0:location:9\n');
    // Only the columns auth_db reads with calculate_ha1 (db_text refuses empty non-null columns).
    const rows = users.map((u, i) => `${i + 1}:${dbText(u.user)}:127.0.0.1:${dbText(u.password)}\n`).join('');
    fs.writeFileSync(path.join(dir, 'db', 'subscriber'), `id(int,auto) username(string) domain(string) password(string)\n${rows}`);
    fs.writeFileSync(path.join(dir, 'kamailio.cfg'), kamailioCfg(dir, server.port));
    // Started as root (CI), kamailio drops to nobody: it may read the config and tables, and write its runtime dir.
    if (process.getuid?.() === 0) {
      for (const d of [dir, path.join(dir, 'db')]) fs.chmodSync(d, 0o755);
      fs.chmodSync(path.join(dir, 'run'), 0o777);
    }
    await server.resume();
    return server;
  }

  /** What kamailio printed (stderr: -E), for failure messages. */
  log(): string {
    return this.earlierOutput + (this.daemon?.output() ?? '');
  }

  running(): boolean {
    return this.daemon?.running() ?? false;
  }

  /** Start (again) on the same port: a registrar coming back. Its locations start empty. */
  async resume(): Promise<void> {
    if (this.running()) return;
    this.earlierOutput = this.log();
    const unprivileged = process.getuid?.() === 0 ? ['-u', 'nobody', '-g', 'nogroup'] : [];
    const daemon = DaemonProcess.spawn('kamailio', KAMAILIO_BINARY, ['-f', path.join(this.dir, 'kamailio.cfg'), '-DD', '-E', '-m', '32', '-M', '8', '-Y', path.join(this.dir, 'run'), '-w', this.dir, ...unprivileged]);
    this.daemon = daemon;
    // Send OPTIONS until kamailio answers (it is up once it does).
    await daemon.waitUntil(() => optionsAnswered(this.port), `answer on 127.0.0.1:${this.port}`, { intervalMs: 100 });
  }

  /** Stop kamailio (SIGTERM, then SIGKILL after 3 s), keeping the dir: a registrar going away. */
  async pause(): Promise<void> {
    await this.daemon?.stop();
  }

  async stop(): Promise<void> {
    await this.pause();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** db_text escapes ':' and '\\' in string columns. */
function dbText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

function kamailioCfg(dir: string, port: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
auto_aliases=no
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}
tcp_children=1
# Only this port is "myself": the phones' contacts are 127.0.0.1 too, on other ports.
alias="127.0.0.1:${port}"
mpath="${MODULES}/"

loadmodule "db_text.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
loadmodule "auth_db.so"

modparam("usrloc", "db_mode", 0)
# Tests use short registration periods (a registrar going away is noticed at the next refresh).
modparam("registrar", "min_expires", 5)
modparam("auth_db", "db_url", "text://${path.join(dir, 'db')}")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "load_credentials", "")

request_route {
  xlog("L_INFO", "request $rm $ru from $si:$sp\n");
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("OPTIONS") && uri==myself && $rU==$null) { sl_send_reply("200", "OK"); exit; }
  if (has_totag()) {
    if (loose_route()) { t_relay(); exit; }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
  if (is_method("REGISTER")) {
    if (!auth_check("$fd", "subscriber", "1")) { auth_challenge("$fd", "0"); exit; }
    if (!save("location")) { sl_reply_error(); }
    exit;
  }
  record_route();
  if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
  t_relay();
}
`;
}

/** One OPTIONS request; true when a SIP answer comes back within 300 ms. */
function optionsAnswered(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (ok: boolean) => { clearTimeout(timer); try { s.close(); } catch { /* closed */ } resolve(ok); };
    const timer = setTimeout(() => done(false), 300);
    s.once('error', () => done(false));
    s.on('message', (m) => done(m.toString().startsWith('SIP/2.0')));
    s.bind(0, '127.0.0.1', () => {
      const local = s.address().port;
      const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
        'Max-Forwards: 5',
        `From: <sip:probe@127.0.0.1>;tag=${branch.slice(7)}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ${branch}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '', '',
      ].join('\r\n');
      s.send(msg, port, '127.0.0.1');
    });
  });
}
