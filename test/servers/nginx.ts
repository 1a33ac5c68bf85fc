/**
 * Debian nginx as a real provisioning server for the tests: started as a
 * non-daemon child on 127.0.0.1 (free ports, HTTP and HTTPS with a CA made
 * here), WebDAV PUT/DELETE with create_full_put_path, basic auth from an
 * htpasswd file written here, everything (config, pid, logs, temp paths,
 * document root) inside one temp dir removed on stop.
 *
 * Faults for the bad-server tests are switched by flag files, so the same URL
 * can fail and then recover: `setFault('503' | 'html' | 'huge' | 'timeout')`.
 * `timeout` proxies to a local listener that accepts and never answers.
 *
 * The access log records, per request, the bytes the phone sent and the bytes
 * nginx answered with, so tests and the bench measure traffic at the server.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DaemonProcess, freeTcpPort, readyOrStopped, requireProgram } from './daemon-process';

export const NGINX_BINARY = '/usr/sbin/nginx';

export type NginxFault = '503' | 'html' | 'huge' | 'timeout';

export interface NginxOptions {
  /** Basic-auth users and passwords; absent: no authentication. */
  auth?: { user: string; password: string } | { user: string; password: string }[];
  /** false: no ETag and If-Modified-Since ignored (a server that always sends the whole file). Default true. */
  validators?: boolean;
}

export interface AccessLogEntry {
  method: string;
  uri: string;
  status: number;
  /** Bytes of the request as received (request line, headers, body). */
  requestBytes: number;
  /** Bytes nginx sent back (headers and body). */
  responseBytes: number;
  bodyBytes: number;
  /** Basic-auth user of the request ('' when none). */
  user: string;
}

export interface TlsMaterial {
  caPem: string;
  /** A CA that signed nothing here: trusting only it must make the phone refuse the server. */
  otherCaPem: string;
}

export class NginxServer {
  private constructor(
    readonly dir: string,
    /** The document root: what the server serves and where PUTs land. */
    readonly root: string,
    readonly httpUrl: string,
    readonly httpsUrl: string,
    readonly tls: TlsMaterial,
    private readonly daemon: DaemonProcess,
    private readonly blackhole: net.Server,
    private readonly blackholeSockets: Set<net.Socket>,
  ) {}

  static async start(options: NginxOptions = {}): Promise<NginxServer> {
    requireProgram('nginx', NGINX_BINARY, 'nginx');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-nginx-'));
    const root = path.join(dir, 'www');
    for (const d of ['www', 'faults', 'fault-pages', 'tmp', 'logs']) fs.mkdirSync(path.join(dir, d));
    const tls = makeTls(dir);
    fs.writeFileSync(path.join(dir, 'fault-pages', 'error.html'), '<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body><h1>Maintenance</h1></body></html>\n');
    fs.writeFileSync(path.join(dir, 'fault-pages', 'huge.cfg'), Buffer.alloc(3 * 1024 * 1024, 0x20));
    if (options.auth) {
      const users = Array.isArray(options.auth) ? options.auth : [options.auth];
      fs.writeFileSync(path.join(dir, 'htpasswd'), users.map((u) => `${u.user}:${sshaHash(u.password)}\n`).join(''));
    }

    const held = new Set<net.Socket>();
    const blackhole = net.createServer((socket) => {
      // Accept, never answer; destroyed on stop (close() waits for open connections).
      held.add(socket);
      socket.on('close', () => held.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    const blackholePort = (blackhole.address() as net.AddressInfo).port;
    const [httpPort, httpsPort] = [await freeTcpPort(), await freeTcpPort()];
    const conf = path.join(dir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConf({ dir, root, httpPort, httpsPort, blackholePort, auth: !!options.auth, validators: options.validators !== false }));

    const daemon = DaemonProcess.spawn('nginx', NGINX_BINARY, ['-p', dir, '-c', conf, '-e', path.join(dir, 'logs', 'error.log'), '-g', 'daemon off;']);
    const server = new NginxServer(dir, root, `http://127.0.0.1:${httpPort}/`, `https://127.0.0.1:${httpsPort}/`, tls, daemon, blackhole, held);
    return readyOrStopped(server, async () => {
      await daemon.waitForPort(httpPort);
      await daemon.waitForPort(httpsPort);
    });
  }

  /** Put a file into the document root (as an admin would). */
  put(name: string, content: string | Uint8Array): void {
    const file = path.join(this.root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
    fs.writeFileSync(file, content);
    // nginx's ETag is mtime (seconds) + size: a replacement within the same second and of the
    // same size would look unchanged. Admins' edits are seconds apart; make the test's so too.
    if (before && Math.floor(fs.statSync(file).mtimeMs / 1000) <= Math.floor(before / 1000)) {
      const t = new Date(Math.floor(before / 1000) * 1000 + 1000);
      fs.utimesSync(file, t, t);
    }
  }

  read(name: string): Buffer | null {
    const file = path.join(this.root, name);
    return fs.existsSync(file) ? fs.readFileSync(file) : null;
  }

  remove(name: string): void {
    fs.rmSync(path.join(this.root, name), { force: true });
  }

  /** Every file under the document root, relative paths, sorted. */
  listFiles(): string[] {
    const out: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name), rel + e.name + '/');
        else out.push(rel + e.name);
      }
    };
    walk(this.root, '');
    return out.sort();
  }

  /** Switch the server into a fault for every URL, or only for `onlyUri` (e.g. `/site.cfg`); null: healthy again. */
  setFault(fault: NginxFault | null, onlyUri?: string): void {
    for (const f of fs.readdirSync(path.join(this.dir, 'faults'))) fs.rmSync(path.join(this.dir, 'faults', f), { recursive: true });
    if (!fault) return;
    const flag = onlyUri ? path.join(this.dir, 'faults', `${fault}.only`, onlyUri) : path.join(this.dir, 'faults', fault);
    fs.mkdirSync(path.dirname(flag), { recursive: true });
    fs.writeFileSync(flag, '');
  }

  /** The access log so far (nginx writes it unbuffered). */
  accessLog(): AccessLogEntry[] {
    const file = path.join(this.dir, 'logs', 'access.log');
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => {
      const [method, uri, status, requestBytes, responseBytes, bodyBytes, user] = line.split(' ');
      return { method, uri, status: Number(status), requestBytes: Number(requestBytes), responseBytes: Number(responseBytes), bodyBytes: Number(bodyBytes), user: user === '-' ? '' : user };
    });
  }

  /** Wait until nginx has logged every finished request (it logs after answering), so access-log marks are exact. */
  async quiesce(): Promise<void> {
    let last = -1;
    for (let i = 0; i < 100; i++) {
      const n = this.accessLog().length;
      if (n === last) return;
      last = n;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  errorLog(): string {
    const file = path.join(this.dir, 'logs', 'error.log');
    return (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '') + this.daemon.output();
  }

  /** Stop nginx (by its PID), the black-hole listener, and remove the temp dir. */
  async stop(): Promise<void> {
    await this.daemon.stop();
    await new Promise<void>((r) => {
      this.blackhole.close(() => r());
      for (const socket of this.blackholeSockets) socket.destroy();
    });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function nginxConf(o: { dir: string; root: string; httpPort: number; httpsPort: number; blackholePort: number; auth: boolean; validators: boolean }): string {
  const p = (...parts: string[]) => path.join(o.dir, ...parts);
  // Workers of a root master drop to "nobody" and could not write the temp dir.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 1;
pid ${p('nginx.pid')};
error_log ${p('logs', 'error.log')} warn;
events { worker_connections 64; }
http {
  default_type application/octet-stream;
  types { text/xml xml; text/html html; }
  log_format prov '$request_method $uri $status $request_length $bytes_sent $body_bytes_sent $remote_user';
  access_log ${p('logs', 'access.log')} prov;
  client_body_temp_path ${p('tmp', 'body')};
  proxy_temp_path ${p('tmp', 'proxy')};
  fastcgi_temp_path ${p('tmp', 'fastcgi')};
  uwsgi_temp_path ${p('tmp', 'uwsgi')};
  scgi_temp_path ${p('tmp', 'scgi')};
  server_tokens off;
  server {
    listen 127.0.0.1:${o.httpPort};
    listen 127.0.0.1:${o.httpsPort} ssl;
    ssl_certificate ${p('tls', 'server.crt')};
    ssl_certificate_key ${p('tls', 'server.key')};
    root ${o.root};
    client_max_body_size 8m;
    ${o.validators ? '' : 'etag off; if_modified_since off;'}
    location /__fault/ {
      internal;
      alias ${p('fault-pages')}/;
      default_type text/html;
    }
    location / {
      ${o.auth ? `auth_basic "provisioning"; auth_basic_user_file ${p('htpasswd')};` : ''}
      if (-f ${p('faults', '503')}) { return 503; }
      if (-f ${p('faults', 'html')}) { rewrite ^ /__fault/error.html last; }
      if (-f ${p('faults', 'huge')}) { rewrite ^ /__fault/huge.cfg last; }
      if (-f ${p('faults', 'timeout')}) { proxy_pass http://127.0.0.1:${o.blackholePort}; }
      if (-f ${p('faults', '503.only')}$uri) { return 503; }
      if (-f ${p('faults', 'timeout.only')}$uri) { proxy_pass http://127.0.0.1:${o.blackholePort}; }
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;
}

/** A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA (openssl CLI). */
function makeTls(dir: string): TlsMaterial {
  const t = path.join(dir, 'tls');
  fs.mkdirSync(t);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: t, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const ca of ['ca', 'other-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '2', '-subj', `/CN=Test Provisioning ${ca}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(t, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
  return { caPem: fs.readFileSync(path.join(t, 'ca.crt'), 'utf8'), otherCaPem: fs.readFileSync(path.join(t, 'other-ca.crt'), 'utf8') };
}

/** RFC 2307 {SSHA}: base64(SHA-1(password + salt) + salt), understood by nginx's auth_basic_user_file. */
function sshaHash(password: string): string {
  const salt = crypto.randomBytes(8);
  const digest = crypto.createHash('sha1').update(password).update(salt).digest();
  return '{SSHA}' + Buffer.concat([digest, salt]).toString('base64');
}
